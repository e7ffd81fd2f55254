// Driver image validation, on the real built driver (build/drivers/null.drv) and on copies of it
// broken in every way the loader must refuse.
#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <iterator>
#include <string>
#include <vector>
#include "src/boot/elf.hpp"
#include "src/drv/audience.hpp"
#include "src/drv/gate_layout.hpp"
#include "src/drv/image.hpp"

namespace {
std::vector<u8> load_null() {
    std::ifstream f("build/drivers/null.drv", std::ios::binary);
    std::vector<u8> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    return bytes;
}

std::string reject(const std::vector<u8>& file) {
    drv::Image img;
    const char* why = nullptr;
    if (drv::parse_image(file.data(), u32(file.size()), &img, &why)) return "accepted";
    return why;
}

template <class T>
T get(const std::vector<u8>& f, u32 off) {
    T v;
    std::memcpy(&v, f.data() + off, sizeof v);
    return v;
}
template <class T>
void put(std::vector<u8>& f, u32 off, T v) {
    std::memcpy(f.data() + off, &v, sizeof v);
}

// File offset of program header i, and of the driver header (start of the data segment).
u32 ph_off(const std::vector<u8>& f, u32 i) { return get<elf::Header>(f, 0).phoff + i * sizeof(elf::ProgramHeader); }
u32 data_file_off(const std::vector<u8>& f) {
    for (u32 i = 0; i < get<elf::Header>(f, 0).phnum; i++) {
        auto ph = get<elf::ProgramHeader>(f, ph_off(f, i));
        if (ph.type == elf::kPtLoad && !(ph.flags & elf::kPfX)) return ph.offset;
    }
    return 0;
}
}  // namespace

TEST_CASE("the built null driver is a valid image", "[image]") {
    auto f = load_null();
    REQUIRE(f.size() > 512);  // run `make kernel` first: the test reads the real driver
    drv::Image img;
    const char* why = nullptr;
    REQUIRE(drv::parse_image(f.data(), u32(f.size()), &img, &why));
    CHECK(std::string(img.name.p, img.name.n) == "null");
    CHECK(img.data_offset == img.header.stack_slots * img.header.stack_slot_bytes);
    CHECK(img.export_count() >= 5);
    CHECK(img.import_count() == 3);
    Str first;
    REQUIRE(img.string_at(img.export_at(0).name, &first));
    CHECK(first.starts_with("null."));
    CHECK(img.data_limit() == img.data_offset + img.data_memsz - 1);
}

TEST_CASE("malformed images are refused with a reason", "[image]") {
    auto good = load_null();
    REQUIRE(good.size() > 512);

    CHECK(reject({}) == "truncated: shorter than an ELF header");
    CHECK(reject(std::vector<u8>(good.begin(), good.begin() + 40)) == "truncated: shorter than an ELF header");
    CHECK(reject(std::vector<u8>(good.begin(), good.begin() + 300)) == "truncated: a segment runs past the end of the file");

    auto f = good;
    f[1] = 'X';
    CHECK(reject(f) == "not an ELF file");

    f = good;
    f[4] = 2;  // ELFCLASS64
    CHECK(reject(f) == "not 32-bit little-endian ELF");

    f = good;
    put<u16>(f, 18, 40);  // EM_ARM
    CHECK(reject(f) == "wrong machine (not EM_386)");

    f = good;
    put<u16>(f, 16, 1);  // ET_REL
    CHECK(reject(f) == "not an executable ELF (ET_EXEC)");

    f = good;
    put<u32>(f, 28, 0xFFFFFFF0);  // e_phoff far past the end
    CHECK(reject(f) == "truncated: program headers past the end of the file");

    f = good;  // make the data segment executable and writable: no code segment left
    for (u32 i = 0; i < get<elf::Header>(f, 0).phnum; i++) {
        auto ph = get<elf::ProgramHeader>(f, ph_off(f, i));
        if (ph.type == elf::kPtLoad && (ph.flags & elf::kPfX)) {
            ph.flags |= elf::kPfW;
            put(f, ph_off(f, i), ph);
        }
    }
    CHECK(reject(f) == "a writable code segment");

    f = good;  // code linked somewhere else than offset 0
    for (u32 i = 0; i < get<elf::Header>(f, 0).phnum; i++) {
        auto ph = get<elf::ProgramHeader>(f, ph_off(f, i));
        if (ph.type == elf::kPtLoad && (ph.flags & elf::kPfX)) {
            ph.vaddr = 0x1000;
            put(f, ph_off(f, i), ph);
        }
    }
    CHECK(reject(f) == "code not linked at offset 0 (use drivers/lib/driver.ld)");

    f = good;  // the data segment's file range overlapping the code's
    for (u32 i = 0; i < get<elf::Header>(f, 0).phnum; i++) {
        auto ph = get<elf::ProgramHeader>(f, ph_off(f, i));
        if (ph.type == elf::kPtLoad && !(ph.flags & elf::kPfX)) {
            auto code = get<elf::ProgramHeader>(f, ph_off(f, 0));
            ph.offset = code.offset;
            put(f, ph_off(f, i), ph);
        }
    }
    CHECK(reject(f) != "accepted");

    u32 hdr = data_file_off(good);
    f = good;
    put<u32>(f, hdr, 0x12345678);
    CHECK(reject(f) == "bad driver header magic");

    f = good;
    put<u32>(f, hdr + 4, 99);
    CHECK(reject(f) == "unsupported driver ABI version");

    f = good;
    put<u32>(f, hdr + 8, 0);  // no stack slots
    CHECK(reject(f) == "stack slots must be 1..32");

    f = good;
    put<u32>(f, hdr + 12, 0x400);  // slots * bytes no longer where the data is linked
    CHECK(reject(f) == "data not linked right above the stacks");

    f = good;
    put<u32>(f, hdr + 16, 0x10);  // the name points into the stacks
    CHECK(reject(f) == "bad driver name");

    f = good;
    put<u32>(f, hdr + 24, get<u32>(f, hdr + 24) + 4);  // export table end not a whole entry
    CHECK(reject(f) == "bad export table");

    f = good;
    put<u32>(f, hdr + 36, 0x100000);  // trampoline beyond the code
    CHECK(reject(f) == "trampoline outside the code segment");

    f = good;  // an export whose code offset is past the code segment
    u32 exports = get<u32>(f, hdr + 20);
    u32 data_vaddr = 0;
    for (u32 i = 0; i < get<elf::Header>(f, 0).phnum; i++) {
        auto ph = get<elf::ProgramHeader>(f, ph_off(f, i));
        if (ph.type == elf::kPtLoad && !(ph.flags & elf::kPfX)) data_vaddr = ph.vaddr;
    }
    put<u32>(f, hdr + (exports - data_vaddr) + 4, 0x7FFFFF);
    CHECK(reject(f) == "export outside the code segment");

    f = good;  // an export whose audience is none of kernel / drivers / programs
    put<u32>(f, hdr + (exports - data_vaddr) + 8, 0);
    CHECK(reject(f) == "export with an unknown audience");
    f = good;
    put<u32>(f, hdr + (exports - data_vaddr) + 8, 4);
    CHECK(reject(f) == "export with an unknown audience");

    f = good;  // an import slot in the stack area
    u32 imports = get<u32>(f, hdr + 28);
    put<u32>(f, hdr + (imports - data_vaddr) + 4, 0x10);
    CHECK(reject(f) == "import slot outside the data segment");
}

TEST_CASE("symbol names are driver.function", "[image]") {
    CHECK(drv::valid_symbol_name(Str("null.echo")));
    CHECK(drv::valid_symbol_name(Str("kernel.putc")));
    CHECK(!drv::valid_symbol_name(Str("null")));
    CHECK(!drv::valid_symbol_name(Str(".echo")));
    CHECK(!drv::valid_symbol_name(Str("null.")));
    CHECK(!drv::valid_symbol_name(Str("a.b.c")));
    CHECK(!drv::valid_symbol_name(Str("Null.echo")));
    CHECK(!drv::valid_symbol_name(Str("null.ec ho")));
}

TEST_CASE("the built null driver declares its audiences", "[image][audience]") {
    auto f = load_null();
    REQUIRE(f.size() > 512);
    drv::Image img;
    const char* why = nullptr;
    REQUIRE(drv::parse_image(f.data(), u32(f.size()), &img, &why));
    std::map<std::string, u32> by_name;
    for (u32 i = 0; i < img.export_count(); i++) {
        Str n;
        REQUIRE(img.string_at(img.export_at(i).name, &n));
        by_name[std::string(n.p, n.n)] = img.export_at(i).audience;
    }
    CHECK(by_name.at("null.echo") == drvabi::kForPrograms);
    CHECK(by_name.at("null.fill") == drvabi::kForDrivers);  // takes a selector: never for programs
    CHECK(by_name.at("null.irq0") == drvabi::kForKernel);
}

TEST_CASE("IRQ handlers are the kernel's whatever they declare", "[audience]") {
    CHECK(drv::effective_audience(Str("pit.irq0"), drvabi::kForPrograms) == drvabi::kForKernel);
    CHECK(drv::effective_audience(Str("kbd.irq12"), drvabi::kForDrivers) == drvabi::kForKernel);
    CHECK(drv::effective_audience(Str("null.irqx"), drvabi::kForPrograms) == drvabi::kForPrograms);
    CHECK(drv::effective_audience(Str("null.irq"), drvabi::kForDrivers) == drvabi::kForDrivers);
    CHECK(drv::effective_audience(Str("null.echo"), 0) == drvabi::kForKernel);  // unknown: the narrowest
}

TEST_CASE("an export refuses callers above its audience and counts them", "[audience]") {
    drv::set_audience(3, drvabi::kForDrivers);
    CHECK(drv::allowed(3, drvabi::kForKernel));
    CHECK(drv::allowed(3, drvabi::kForDrivers));
    CHECK(!drv::allowed(3, drvabi::kForPrograms));
    CHECK(!drv::allowed(3, drvabi::kForPrograms));
    CHECK(drv::refused(3) == 2);
    drv::set_audience(4, drvabi::kForKernel);
    CHECK(!drv::allowed(4, drvabi::kForDrivers));
    CHECK(!drv::allowed(drv::kMaxExportIds, drvabi::kForKernel));
    CHECK(std::string(drv::audience_name(drvabi::kForPrograms)) == "programs");
}

namespace {
std::vector<u8> load_driver(const char* name) {
    std::ifstream f(std::string("build/drivers/") + name + ".drv", std::ios::binary);
    return std::vector<u8>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}
drv::Image parse_ok(const std::vector<u8>& f) {
    drv::Image img;
    const char* why = nullptr;
    REQUIRE(f.size() > 512);  // run `make kernel` first: the test reads the real drivers
    INFO((why ? why : ""));
    REQUIRE(drv::parse_image(f.data(), u32(f.size()), &img, &why));
    return img;
}
std::string ports_of(const drv::Image& img) {
    std::string s;
    for (u32 i = 0; i < img.port_count(); i++) {
        char b[32];
        std::snprintf(b, sizeof b, "%s%x+%u", s.empty() ? "" : ",", img.port_at(i).base, img.port_at(i).count);
        s += b;
    }
    return s.empty() ? "none" : s;
}
// File offset of a data-segment offset (the header is at the start of the file-backed data).
u32 file_off(const std::vector<u8>& f, u32 data_offset) {
    u32 data_vaddr = 0;
    for (u32 i = 0; i < get<elf::Header>(f, 0).phnum; i++) {
        auto ph = get<elf::ProgramHeader>(f, ph_off(f, i));
        if (ph.type == elf::kPtLoad && !(ph.flags & elf::kPfX)) data_vaddr = ph.vaddr;
    }
    return data_file_off(f) + (data_offset - data_vaddr);
}
constexpr u32 kModeField = 48, kPortsField = 52, kPortsEndField = 56;  // drvabi::Header
}  // namespace

TEST_CASE("the built drivers declare their modes and real ports", "[image][ports]") {
    CHECK(ports_of(parse_ok(load_driver("serial"))) == "3f8+8");
    CHECK(ports_of(parse_ok(load_driver("pit"))) == "40+4");
    CHECK(ports_of(parse_ok(load_driver("kbd"))) == "60+1,64+1");
    CHECK(ports_of(parse_ok(load_driver("vga"))) == "3d4+2");
    for (const char* none : {"null", "faulty", "ramdisk", "crayon"}) {
        INFO(none);
        CHECK(ports_of(parse_ok(load_driver(none))) == "none");
    }
    for (const char* ring0 : {"null", "faulty", "ramdisk", "serial", "pit", "kbd", "vga"}) {
        INFO(ring0);
        CHECK(parse_ok(load_driver(ring0)).header.mode == drvabi::kRing0);
    }
    CHECK(parse_ok(load_driver("crayon")).header.mode == drvabi::kRing1Domains);  // GH_DRIVER_MODE(domains)
    static_assert(offsetof(drvabi::Header, mode) == kModeField && offsetof(drvabi::Header, ports) == kPortsField &&
                  offsetof(drvabi::Header, ports_end) == kPortsEndField);
}

TEST_CASE("malformed modes and port lists are refused with a reason", "[image][ports]") {
    auto good = load_driver("kbd");  // two ranges: 0x60+1, 0x64+1
    drv::Image img = parse_ok(good);
    u32 hdr = data_file_off(good);
    u32 table = file_off(good, img.header.ports);
    auto f = good;
    put<u32>(f, hdr + kModeField, 3);
    CHECK(reject(f) == "unknown isolation mode (want ring 0, ring 1 or ring 1 + domains)");
    f = good;
    put<u32>(f, hdr + kModeField, 1);
    CHECK(reject(f) == "accepted");

    f = good;  // the second range reaching back into the first
    put<u16>(f, table + 4, 0x60);
    CHECK(reject(f) == "overlapping I/O port ranges");
    f = good;
    put<u16>(f, table + 4, 0x5F);
    put<u16>(f, table + 6, 2);
    CHECK(reject(f) == "overlapping I/O port ranges");
    f = good;  // wrapping past 0xFFFF
    put<u16>(f, table + 4, 0xFFF0);
    put<u16>(f, table + 6, 0x11);
    CHECK(reject(f) == "an I/O port range wraps past 0xFFFF");
    f = good;
    put<u16>(f, table + 4, 0xFFFF);
    put<u16>(f, table + 6, 1);  // the last port itself is fine
    CHECK(reject(f) == "accepted");
    f = good;
    put<u16>(f, table + 2, 0);
    CHECK(reject(f) == "an empty I/O port range");
    f = good;  // more entries than kMaxPortRanges (whatever follows the table counts as entries)
    put<u32>(f, hdr + kPortsEndField, img.header.ports + 5 * 4);
    CHECK(reject(f) == "too many I/O port ranges (at most 4)");
    f = good;
    put<u32>(f, hdr + kPortsEndField, img.header.ports + 6);  // not a whole entry
    CHECK(reject(f) == "bad I/O port table");
    f = good;
    put<u32>(f, hdr + kPortsField, 0x10);  // in the stacks: not in the file
    CHECK(reject(f) == "bad I/O port table");
    f = good;  // zero ranges is a valid declaration
    put<u32>(f, hdr + kPortsEndField, img.header.ports);
    CHECK(reject(f) == "accepted");
}
