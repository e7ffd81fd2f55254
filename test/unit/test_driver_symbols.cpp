// Fault reports name a driver function from the driver's own ELF symbols (src/drv/symbols.cpp),
// on the real built null driver: an EIP inside a function names it, an EIP past the code limit or
// between functions names nothing (a report once read "memcmp+0x7ffffde0" for a jump far past
// the code; only QEMU, which checks no limits, lets EIP get there).
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include <cstring>
#include "src/boot/elf.hpp"
#include "src/drv/image.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/symbols.hpp"

namespace {
struct NullDriver {
    std::vector<u8> bytes;
    drv::Driver d{};
    NullDriver() {
        std::ifstream f("build/drivers/null.drv", std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        const char* why = nullptr;
        ok = !bytes.empty() && drv::parse_image(bytes.data(), u32(bytes.size()), &d.image, &why);
        d.file_bytes = bytes.data();
        d.file_size = u32(bytes.size());
    }
    bool ok = false;
    u32 export_code(const char* name) const {
        for (u32 i = 0; i < d.image.export_count(); i++) {
            Str n;
            if (d.image.string_at(d.image.export_at(i).name, &n) && std::string(n.p, n.n) == name)
                return d.image.export_at(i).code;
        }
        return 0xFFFFFFFF;
    }
};
}  // namespace

TEST_CASE("a driver EIP inside a function names it, past the code limit nothing", "[symbols]") {
    NullDriver n;
    REQUIRE(n.ok);  // run `make kernel` first: the test reads the real driver
    u32 sum = n.export_code("null.sum");
    REQUIRE(sum != 0xFFFFFFFF);
    u32 off = 99;
    const char* name = drv::symbolize(n.d, sum, &off);
    REQUIRE(name);
    CHECK(std::string(name).find("sum") != std::string::npos);
    CHECK(off == 0);
    CHECK(drv::symbolize(n.d, n.d.image.code_size, &off) == nullptr);
    CHECK(drv::symbolize(n.d, n.d.image.code_size + 0x10, &off) == nullptr);
    CHECK(drv::symbolize(n.d, 0x7FFFFFF0, &off) == nullptr);
    CHECK(drv::symbolize(n.d, 0xFFFFFFFF, &off) == nullptr);
}

// Zero the st_size of every function symbol: then only the code-limit check stands between an
// EIP far past the code and the last function's name.
void drop_symbol_sizes(std::vector<u8>& f) {
    elf::Header eh;
    std::memcpy(&eh, f.data(), sizeof eh);
    for (u32 s = 0; s < eh.shnum; s++) {
        elf::SectionHeader sh;
        std::memcpy(&sh, f.data() + eh.shoff + s * sizeof sh, sizeof sh);
        if (sh.type != elf::kShtSymtab) continue;
        for (u32 i = 0; i < sh.size / sizeof(elf::Symbol); i++) {
            elf::Symbol sym;
            std::memcpy(&sym, f.data() + sh.offset + i * sizeof sym, sizeof sym);
            sym.size = 0;
            std::memcpy(f.data() + sh.offset + i * sizeof sym, &sym, sizeof sym);
        }
    }
}

TEST_CASE("without symbol sizes, the code limit alone keeps a far EIP from naming a function", "[symbols]") {
    NullDriver n;
    REQUIRE(n.ok);
    drop_symbol_sizes(n.bytes);
    u32 off = 0;
    REQUIRE(drv::symbolize(n.d, n.export_code("null.sum"), &off));  // still names functions
    CHECK(drv::symbolize(n.d, n.d.image.code_size - 1, &off) != nullptr);  // the last one, sizeless
    CHECK(drv::symbolize(n.d, n.d.image.code_size, &off) == nullptr);
    CHECK(drv::symbolize(n.d, 0x7FFFFFF0, &off) == nullptr);
}

TEST_CASE("a driver without its file bytes names nothing", "[symbols]") {
    NullDriver n;
    REQUIRE(n.ok);
    n.d.file_bytes = nullptr;
    u32 off = 0;
    CHECK(drv::symbolize(n.d, n.export_code("null.sum"), &off) == nullptr);
}
