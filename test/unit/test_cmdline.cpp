#include <catch2/catch.hpp>
#include <string>
#include "src/boot/cmdline.hpp"

namespace {
struct Parsed {
    Options o;
    CmdlineDiagnostics d;
};
Parsed parse(const char* text) {
    Parsed p;
    parse_cmdline(text, p.o, p.d);
    return p;
}
std::string word(const CmdlineDiagnostics& d, u32 i) { return std::string(d.items[i].word.p, d.items[i].word.n); }
std::string reason(const CmdlineDiagnostics& d, u32 i) { return d.items[i].reason; }
}  // namespace

TEST_CASE("defaults with an empty line or just the kernel path", "[cmdline]") {
    for (const char* text : {"", "/boot/gatehouse.elf", "   ", static_cast<const char*>(nullptr)}) {
        Parsed p = parse(text);
        CHECK(p.d.count == 0);
        CHECK(p.o.console == ConsoleSel::Both);
        CHECK(!p.o.selftest);
        CHECK(!p.o.magic_break);
        CHECK(p.o.crash == Crash::None);
        CHECK(p.o.poweroff);
    }
}

TEST_CASE("every option", "[cmdline]") {
    Parsed p = parse("/boot/gatehouse.elf selftest console=serial dump=gdt,memmap break crash=df halt");
    CHECK(p.d.count == 0);
    CHECK(p.o.selftest);
    CHECK(p.o.console == ConsoleSel::Serial);
    CHECK(p.o.dump_gdt);
    CHECK(p.o.dump_memmap);
    CHECK(p.o.magic_break);
    CHECK(p.o.crash == Crash::DoubleFault);
    CHECK(!p.o.poweroff);
    CHECK(parse("console=vga").o.console == ConsoleSel::Vga);
    CHECK(parse("console=serial console=both").o.console == ConsoleSel::Both);  // last wins
    CHECK(parse("crash=triple").o.crash == Crash::Triple);
    CHECK(parse("crash=hang").o.crash == Crash::Hang);
    CHECK(parse("crash=gp").o.crash == Crash::GpFault);
    CHECK(parse("crash=panic").o.crash == Crash::Panic);
    CHECK(parse("\tselftest\t").o.selftest);
}

TEST_CASE("bad input is reported and ignored; the rest still applies", "[cmdline]") {
    Parsed p = parse("/boot/gatehouse.elf frobnicate console=lcd selftest dump=gdt,bogus crash= break=1");
    CHECK(p.o.selftest);
    CHECK(p.o.dump_gdt);
    CHECK(p.o.console == ConsoleSel::Both);
    CHECK(!p.o.magic_break);
    REQUIRE(p.d.count == 5);
    CHECK(word(p.d, 0) == "frobnicate");
    CHECK(reason(p.d, 0) == "unknown option");
    CHECK(word(p.d, 1) == "console=lcd");
    CHECK(reason(p.d, 1) == "bad value for console (want serial|vga|both)");
    CHECK(word(p.d, 2) == "bogus");
    CHECK(word(p.d, 3) == "crash=");
    CHECK(reason(p.d, 3) == "missing value");
    CHECK(word(p.d, 4) == "break=1");
    CHECK(reason(p.d, 4) == "takes no value");
}

TEST_CASE("the image path comes first, whoever loaded it", "[cmdline]") {
    CHECK(parse("build/kernel.elf selftest").d.count == 0);     // QEMU -kernel
    CHECK(parse("(cd)/boot/gatehouse.elf selftest").d.count == 0);
    CHECK(parse("selftest console=vga").o.console == ConsoleSel::Vga);  // no path at all
}

TEST_CASE("a path later in the line is not skipped", "[cmdline]") {
    Parsed p = parse("selftest /boot/other");
    CHECK(p.o.selftest);
    REQUIRE(p.d.count == 1);
    CHECK(word(p.d, 0) == "/boot/other");
}

TEST_CASE("quoted values keep their spaces; an open quote is reported", "[cmdline]") {
    Parsed p = parse("console=\"serial\" selftest");
    CHECK(p.d.count == 0);
    CHECK(p.o.console == ConsoleSel::Serial);
    CHECK(p.o.selftest);
    Parsed q = parse("dump=\"gdt,memmap\"");
    CHECK(q.o.dump_memmap);
    Parsed grub = parse("/boot/gatehouse.elf \"console=serial\" selftest");  // GRUB-quoted word
    CHECK(grub.d.count == 0);
    CHECK(grub.o.console == ConsoleSel::Serial);
    Parsed open = parse("selftest console=\"serial selftest");
    CHECK(open.o.selftest);
    REQUIRE(open.d.count >= 1);
    CHECK(reason(open.d, 0) == "unterminated quote");
}

TEST_CASE("diagnostics beyond the capacity are counted, not lost silently", "[cmdline]") {
    Parsed p = parse("a b c d e f g h i j selftest");
    CHECK(p.d.count == CmdlineDiagnostics::kMax);
    CHECK(p.d.dropped == 2);
    CHECK(p.o.selftest);
}
