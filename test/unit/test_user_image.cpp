// User program validation, on the real built program (build/user/hello.elf) and broken copies.
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include "src/boot/elf.hpp"
#include "src/proc/user_image.hpp"

namespace {
std::vector<u8> load_hello() {
    std::ifstream f("build/user/hello.elf", std::ios::binary);
    return std::vector<u8>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}
std::string reject(const std::vector<u8>& file) {
    proc::UserImage img;
    const char* why = nullptr;
    if (proc::parse_user_image(file.data(), u32(file.size()), &img, &why)) return "accepted";
    return why;
}
elf::ProgramHeader ph(const std::vector<u8>& f, u32 i) {
    elf::Header eh;
    std::memcpy(&eh, f.data(), sizeof eh);
    elf::ProgramHeader p;
    std::memcpy(&p, f.data() + eh.phoff + i * sizeof p, sizeof p);
    return p;
}
void set_ph(std::vector<u8>& f, u32 i, const elf::ProgramHeader& p) {
    elf::Header eh;
    std::memcpy(&eh, f.data(), sizeof eh);
    std::memcpy(f.data() + eh.phoff + i * sizeof p, &p, sizeof p);
}
}  // namespace

TEST_CASE("the built hello program is a valid user image", "[userimage]") {
    auto f = load_hello();
    REQUIRE(f.size() > 512);  // run `make kernel` first: the test reads the real program
    proc::UserImage img;
    const char* why = nullptr;
    REQUIRE(proc::parse_user_image(f.data(), u32(f.size()), &img, &why));
    CHECK(img.entry >= 0x00400000);
    CHECK(img.count >= 2);
    CHECK(img.seg[0].executable);
    CHECK(!img.seg[0].writable);
}

TEST_CASE("malformed user programs are refused with a reason", "[userimage]") {
    auto good = load_hello();
    REQUIRE(good.size() > 512);
    CHECK(reject({}) == "truncated: shorter than an ELF header");
    CHECK(reject(std::vector<u8>(good.begin(), good.begin() + 200)) == "truncated: a segment runs past the end of the file");

    auto f = good;
    f[0] = 0;
    CHECK(reject(f) == "not an ELF file");

    f = good;
    auto p = ph(f, 0);
    p.vaddr = 0xC0000000;  // into the kernel
    set_ph(f, 0, p);
    CHECK(reject(f) == "a segment outside user space");

    f = good;
    p = ph(f, 0);
    p.vaddr = 0;  // page 0 must stay unmapped
    set_ph(f, 0, p);
    CHECK(reject(f) == "a segment outside user space");

    f = good;
    p = ph(f, 0);
    p.memsz = 0xBF000000;  // runs past the top of user space
    set_ph(f, 0, p);
    CHECK(reject(f) == "a segment outside user space");

    f = good;
    p = ph(f, 0);
    p.filesz = p.memsz + 1;
    set_ph(f, 0, p);
    CHECK(reject(f) == "a segment's file size exceeds its memory size");

    f = good;  // the second segment moved onto the first one's page
    auto p1 = ph(f, 1);
    p1.vaddr = ph(f, 0).vaddr + 8;
    set_ph(f, 1, p1);
    CHECK(reject(f) == "segments share a page");

    f = good;  // the entry point outside any executable segment
    u32 entry = 0x00800000;
    std::memcpy(f.data() + 24, &entry, 4);
    CHECK(reject(f) == "entry point outside the code");

    f = good;
    u16 machine = 40;
    std::memcpy(f.data() + 18, &machine, 2);
    CHECK(reject(f) == "wrong machine (not EM_386)");
}
