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
    Parsed p = parse("/boot/gatehouse.elf frobnicate console=lcd selftest dump=gdt,bogus crash= break=2");
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
    CHECK(word(p.d, 4) == "break=2");
    CHECK(reason(p.d, 4) == "bad value for break (want no value, 0, 1 or small)");
    CHECK(reason(p.d, 2) == "unknown dump item (want gdt|drivers|memmap)");
}

TEST_CASE("autorun= takes the rest of the line", "[cmdline]") {
    Parsed p = parse("/boot/gatehouse.elf selftest autorun=run hello;ps;poweroff");
    CHECK(p.d.count == 0);
    CHECK(p.o.selftest);
    CHECK(std::string(p.o.autorun.p, p.o.autorun.n) == "run hello;ps;poweroff");
    Parsed q = parse("autorun=\"help;gdt\"");
    CHECK(std::string(q.o.autorun.p, q.o.autorun.n) == "help;gdt");
    Parsed e = parse("autorun=");
    CHECK(e.d.count == 1);
    CHECK(parse("").o.autorun.empty());
}

TEST_CASE("syscall= picks the system-call mechanism", "[cmdline]") {
    CHECK(parse("").o.syscall == SyscallSel::Auto);
    CHECK(parse("syscall=sysenter").o.syscall == SyscallSel::Sysenter);
    CHECK(parse("syscall=gate").o.syscall == SyscallSel::Gate);
    CHECK(parse("syscall=int").o.syscall == SyscallSel::Int);
    Parsed bad = parse("syscall=fast");
    CHECK(bad.o.syscall == SyscallSel::Auto);
    REQUIRE(bad.d.count == 1);
    CHECK(reason(bad.d, 0) == "bad value for syscall (want auto|sysenter|gate|int)");
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
    Parsed open = parse("selftest console=\"serial break");
    CHECK(open.o.selftest);
    CHECK(open.o.console == ConsoleSel::Both);  // the open word is refused whole
    CHECK(!open.o.magic_break);                 // "break" is inside the quote
    REQUIRE(open.d.count == 1);
    CHECK(word(open.d, 0) == "console=\"serial break");
    CHECK(reason(open.d, 0) == "unterminated quote");
    Parsed spaced = parse("dump=\"gdt, memmap\"");  // a quoted space reaches the item list
    CHECK(spaced.o.dump_gdt);
    CHECK(!spaced.o.dump_memmap);
    REQUIRE(spaced.d.count == 1);
    CHECK(word(spaced.d, 0) == " memmap");
}

TEST_CASE("diagnostics beyond the capacity are counted, not lost silently", "[cmdline]") {
    Parsed p = parse("a b c d e f g h i j selftest");
    CHECK(p.d.count == CmdlineDiagnostics::kMax);
    CHECK(p.d.dropped == 2);
    CHECK(p.o.selftest);
}

TEST_CASE("flags take no value, =1 or =0", "[cmdline]") {
    CHECK(!parse("halt=1").o.poweroff);
    CHECK(!parse("halt").o.poweroff);
    CHECK(parse("halt halt=0").o.poweroff);
    CHECK(parse("selftest=1").o.selftest);
    CHECK(!parse("selftest selftest=0").o.selftest);
    CHECK(parse("break=1").o.magic_break);
    CHECK(parse("break=small").o.magic_break);
    CHECK(parse("break=small").o.break_small);
    CHECK(!parse("break=1").o.break_small);
    CHECK(!parse("break=small break=0").o.magic_break);
    CHECK(!parse("break=tiny").o.magic_break);
    {
        char small_buf[256];
        REQUIRE(describe_options(parse("break=small").o, small_buf, sizeof small_buf));
        CHECK(std::string(small_buf).find(" break=small ") != std::string::npos);
    }
    Parsed p = parse("halt=yes");
    CHECK(p.o.poweroff);
    REQUIRE(p.d.count == 1);
    CHECK(reason(p.d, 0) == "bad value for a flag (want no value, 0 or 1)");
    Parsed q = parse("console");
    REQUIRE(q.d.count == 1);
    CHECK(reason(q.d, 0) == "missing value");
    CHECK(parse("crash=df crash=none").o.crash == Crash::None);
}

TEST_CASE("near misses are unknown, not guessed", "[cmdline]") {
    for (const char* text : {"Selftest", "selftests", "console:serial", "=serial", "consol=serial"}) {
        Parsed p = parse(text);
        REQUIRE(p.d.count == 1);
        CHECK(reason(p.d, 0) == "unknown option");
        CHECK(!p.o.selftest);
        CHECK(p.o.console == ConsoleSel::Both);
    }
    CHECK(reason(parse("console=Serial").d, 0) == "bad value for console (want serial|vga|both)");
    CHECK(reason(parse("crash=pani").d, 0) == "bad value for crash (want panic|df|gp|triple|hang)");
    Parsed e = parse("dump=gdt,,memmap");
    CHECK(e.o.dump_gdt);
    CHECK(e.o.dump_memmap);
    REQUIRE(e.d.count == 1);
    CHECK(reason(e.d, 0) == "empty item in dump list");
}

TEST_CASE("parsing keeps what the line does not set", "[cmdline]") {
    Options o;
    o.selftest = true;
    o.console = ConsoleSel::Vga;
    CmdlineDiagnostics d;
    parse_cmdline("console=lcd halt", o, d);
    CHECK(o.selftest);
    CHECK(o.console == ConsoleSel::Vga);
    CHECK(!o.poweroff);
    CHECK(d.count == 1);
}

TEST_CASE("option names and the effective-options line", "[cmdline]") {
    CHECK(std::string(console_name(ConsoleSel::Serial)) == "serial");
    CHECK(std::string(console_name(ConsoleSel::Both)) == "both");
    CHECK(std::string(crash_name(Crash::DoubleFault)) == "df");
    CHECK(std::string(crash_name(Crash::GpFault)) == "gp");
    CHECK(std::string(crash_name(Crash::None)) == "none");

    char buf[128];
    CHECK(describe_options(Options{}, buf, sizeof buf));
    CHECK(std::string(buf) == "console=both selftest=0 break=0 crash=none halt=0 syscall=auto bench=0");

    Parsed p = parse("/boot/gatehouse.elf selftest console=serial dump=memmap,gdt break crash=gp halt");
    REQUIRE(describe_options(p.o, buf, sizeof buf));
    CHECK(std::string(buf) == "console=serial selftest=1 break=1 dump=gdt,memmap crash=gp halt=1 syscall=auto bench=0");

    // The description parses back to the same options.
    Parsed again = parse(buf);
    CHECK(again.d.count == 0);
    char buf2[128];
    REQUIRE(describe_options(again.o, buf2, sizeof buf2));
    CHECK(std::string(buf2) == buf);

    // bench and autorun round-trip too (autorun last: it takes the rest of the line).
    Parsed b = parse("bench=pit autorun=run hello;ps;poweroff");
    REQUIRE(describe_options(b.o, buf, sizeof buf));
    CHECK(std::string(buf) == "console=both selftest=0 break=0 crash=none halt=0 syscall=auto bench=pit autorun=run hello;ps;poweroff");
    Parsed b2 = parse(buf);
    CHECK(b2.d.count == 0);
    REQUIRE(describe_options(b2.o, buf2, sizeof buf2));
    CHECK(std::string(buf2) == buf);

    // bench=trace (make bench-trace) round-trips, and a later plain bench turns it off.
    Parsed t = parse("bench=trace");
    CHECK(t.d.count == 0);
    CHECK((t.o.bench && t.o.bench_trace && !t.o.bench_pit));
    REQUIRE(describe_options(t.o, buf, sizeof buf));
    CHECK(std::string(buf) == "console=both selftest=0 break=0 crash=none halt=0 syscall=auto bench=trace");
    Parsed t2 = parse(buf);
    CHECK((t2.d.count == 0 && t2.o.bench_trace));
    Parsed t3 = parse("bench=trace bench=pit");
    CHECK((t3.o.bench_pit && !t3.o.bench_trace));
    Parsed t4 = parse("bench=trace bench");
    CHECK((t4.o.bench && !t4.o.bench_trace && !t4.o.bench_pit));
    Parsed t5 = parse("bench=trace bench=tracing");
    CHECK((t5.d.count == 1 && t5.o.bench_trace));

    char tiny[8];
    CHECK(!describe_options(p.o, tiny, sizeof tiny));
    CHECK(std::string(tiny) == "console");  // cut, still terminated
    CHECK(!describe_options(p.o, tiny, 0));
}

TEST_CASE("campaign options", "[cmdline]") {
    Parsed off = parse("/boot/gatehouse.elf");
    CHECK(off.o.campaign == 0);
    CHECK(off.o.seed == 1);
    CHECK(off.o.campaign_check == 1024);
    CHECK(!off.o.campaign_trace);

    auto check_all_set = [](const Parsed& q) {
        CHECK(q.d.count == 0);
        CHECK(q.o.campaign == 3500000);
        CHECK(q.o.seed == 0xdeadbeefu);
        CHECK(q.o.campaign_from == 17);
        CHECK(q.o.campaign_check == 1);
        CHECK(q.o.campaign_trace);
    };
    Parsed p = parse("campaign=3500000 seed=0xdeadbeef campaign_from=17 campaign_check=1 campaign_trace");
    check_all_set(p);

    // Bad numbers are refused with a reason and keep the default.
    Parsed bad = parse("campaign=12x seed=99999999999 campaign_check=0 campaign= campaign_trace=yes");
    REQUIRE(bad.d.count == 5);
    CHECK(reason(bad.d, 0) == "bad number (want decimal or 0x hex, 32 bits)");
    CHECK(reason(bad.d, 1) == "bad number (want decimal or 0x hex, 32 bits)");
    CHECK(reason(bad.d, 2) == "number too small");
    CHECK(reason(bad.d, 3) == "missing value");
    CHECK(word(bad.d, 4) == "campaign_trace=yes");
    CHECK(bad.o.campaign == 0);
    CHECK(bad.o.seed == 1);
    CHECK(bad.o.campaign_check == 1024);

    // The effective-options line carries the campaign and parses back to it.
    char buf[192];
    REQUIRE(describe_options(p.o, buf, sizeof buf));
    CHECK(std::string(buf) ==
          "console=both selftest=0 break=0 crash=none halt=0 syscall=auto bench=0 campaign=3500000 seed=3735928559 "
          "campaign_from=17 campaign_check=1 campaign_trace=1");
    check_all_set(parse(buf));
    Parsed zero = parse("campaign=1 seed=0");
    REQUIRE(describe_options(zero.o, buf, sizeof buf));
    CHECK(std::string(buf).find(" campaign=1 seed=0 campaign_from=0 campaign_check=1024 campaign_trace=0") != std::string::npos);
}

TEST_CASE("drvring: every driver, one driver, several, and what each driver gets", "[cmdline][drvring]") {
    Parsed none = parse("selftest");
    CHECK(!none.o.drvring_all);
    CHECK(none.o.drvring_count == 0);
    CHECK(ring_override(none.o, Str("null")) == nullptr);  // the image's mode

    Parsed all = parse("drvring=1");
    CHECK(all.d.count == 0);
    REQUIRE(ring_override(all.o, Str("null")) != nullptr);
    CHECK(*ring_override(all.o, Str("null")) == drvabi::kRing1);

    Parsed p = parse("drvring=domains drvring=null:0 drvring=serial:1,kbd:domains drvring=null:1");
    CHECK(p.d.count == 0);
    CHECK(p.o.drvring_all);
    CHECK(p.o.drvring == drvabi::kRing1Domains);
    CHECK(p.o.drvring_count == 3);                                    // null's second override replaced its first
    CHECK(*ring_override(p.o, Str("null")) == drvabi::kRing1);        // its own override wins
    CHECK(*ring_override(p.o, Str("serial")) == drvabi::kRing1);
    CHECK(*ring_override(p.o, Str("kbd")) == drvabi::kRing1Domains);
    CHECK(*ring_override(p.o, Str("vga")) == drvabi::kRing1Domains);  // drvring=domains
    CHECK(*ring_override(parse("drvring=pit:0").o, Str("pit")) == drvabi::kRing0);
    CHECK(ring_override(parse("drvring=pit:0").o, Str("vga")) == nullptr);
    CHECK(std::string(mode_option_name(drvabi::kRing1Domains)) == "domains");

    char buf[256];
    REQUIRE(describe_options(p.o, buf, sizeof buf));
    CHECK(std::string(buf).find(" drvring=domains,null:1,serial:1,kbd:domains") != std::string::npos);
    REQUIRE(describe_options(none.o, buf, sizeof buf));
    CHECK(std::string(buf).find("drvring") == std::string::npos);  // left out when the images decide
}

TEST_CASE("drvring: bad words are reported and ignored, the good items still apply", "[cmdline][drvring]") {
    Parsed p = parse("drvring=2 drvring=ring1 drvring= drvring drvring=null: drvring=:1 drvring=Null:1 "
                     "drvring=null:domains,x:7");
    CHECK(!p.o.drvring_all);
    REQUIRE(p.o.drvring_count == 1);
    CHECK(*ring_override(p.o, Str("null")) == drvabi::kRing1Domains);
    REQUIRE(p.d.count == 8);
    CHECK(word(p.d, 0) == "2");
    CHECK(reason(p.d, 0) == "bad value for drvring (want 0|1|domains or <driver>:0|1|domains)");
    CHECK(word(p.d, 1) == "ring1");
    CHECK(word(p.d, 2) == "drvring=");
    CHECK(reason(p.d, 2) == "missing value");
    CHECK(word(p.d, 3) == "drvring");
    CHECK(reason(p.d, 3) == "missing value");
    CHECK(word(p.d, 4) == "null:");
    CHECK(word(p.d, 5) == ":1");
    CHECK(reason(p.d, 5) == "bad driver name in drvring (want [a-z0-9_-], 1..31 characters)");
    CHECK(word(p.d, 6) == "Null:1");
    CHECK(reason(p.d, 6) == "bad driver name in drvring (want [a-z0-9_-], 1..31 characters)");
    CHECK(word(p.d, 7) == "x:7");

    Parsed many = parse("drvring=a:1,b:1,c:1,d:1,e:1,f:1,g:1,h:1,i:1 drvring=a:0");
    CHECK(many.o.drvring_count == 8);
    REQUIRE(many.d.count == 1);
    CHECK(word(many.d, 0) == "i:1");
    CHECK(reason(many.d, 0) == "too many per-driver drvring overrides (at most 8)");
    CHECK(*ring_override(many.o, Str("a")) == drvabi::kRing0);  // replacing one still works when full
}
