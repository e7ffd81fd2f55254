#include <catch2/catch.hpp>
#include <string>
#include "seg/call_site.hpp"
#include "src/proc/syscall_mech.hpp"

using proc::Mech;

namespace {
CpuInfo cpu(bool sep_usable) {
    CpuInfo c{};
    c.has_cpuid = true;
    c.sep_reported = true;
    c.sep_usable = sep_usable;
    return c;
}
}  // namespace

TEST_CASE("auto: SYSENTER only where SEP really works, else call gates", "[syscall]") {
    CHECK(proc::choose_mechanism(SyscallSel::Auto, cpu(true)).mech == Mech::Sysenter);
    CHECK(proc::choose_mechanism(SyscallSel::Auto, cpu(false)).mech == Mech::Gate);
    CpuInfo none{};  // no CPUID at all
    CHECK(proc::choose_mechanism(SyscallSel::Auto, none).mech == Mech::Gate);
}

TEST_CASE("forcing SYSENTER without SEP is refused, with the fallback named", "[syscall]") {
    auto c = proc::choose_mechanism(SyscallSel::Sysenter, cpu(false));
    CHECK(c.refused);
    CHECK(c.mech == Mech::Gate);
    CHECK(std::string(c.why).find("refused") != std::string::npos);
    auto ok = proc::choose_mechanism(SyscallSel::Sysenter, cpu(true));
    CHECK(!ok.refused);
    CHECK(ok.mech == Mech::Sysenter);
}

TEST_CASE("gates and INT 0x80 work everywhere", "[syscall]") {
    for (bool sep : {false, true}) {
        CHECK(proc::choose_mechanism(SyscallSel::Gate, cpu(sep)).mech == Mech::Gate);
        CHECK(proc::choose_mechanism(SyscallSel::Int, cpu(sep)).mech == Mech::Int80);
        CHECK(!proc::choose_mechanism(SyscallSel::Int, cpu(sep)).refused);
    }
    CHECK(std::string(proc::mech_name(Mech::Int80)) == "int");
}

TEST_CASE("system-call sites: the unpatched form and the three patched forms", "[syscall]") {
    const u8 site[7] = {0x9A, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00};
    auto n = callsite::decode_syscall(site);
    REQUIRE(n.ok());
    CHECK(n.value() == 2);
    const u8 driver_site[7] = {0x9A, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00};  // RPL 0: not a syscall site
    CHECK(!callsite::decode_syscall(driver_site).ok());

    u8 out[7];
    callsite::encode_int80(out, 2);
    const u8 int80[7] = {0xB8, 0x02, 0x00, 0x00, 0x00, 0xCD, 0x80};
    for (int i = 0; i < 7; i++) CHECK(out[i] == int80[i]);

    callsite::encode_near_call(out, 0x00400010, 0xBFFF8020);
    u32 rel = 0xBFFF8020u - 0x00400015u;
    CHECK(out[0] == 0xE8);
    CHECK((u32(out[1]) | u32(out[2]) << 8 | u32(out[3]) << 16 | u32(out[4]) << 24) == rel);
    CHECK(out[5] == 0x90);
    CHECK(out[6] == 0x90);

    callsite::encode_direct(out, 0, 0x01FB);  // through a DPL-3 call gate, RPL 3
    const u8 gate[7] = {0x9A, 0, 0, 0, 0, 0xFB, 0x01};
    for (int i = 0; i < 7; i++) CHECK(out[i] == gate[i]);
    // No patched form decodes as an unpatched site: a site is patched once.
    CHECK(!callsite::decode_syscall(int80).ok());
    CHECK(!callsite::decode_syscall(gate).ok());
}
