#include <catch2/catch.hpp>
#include <map>
#include <string>
#include "src/arch/cpu_features.hpp"

namespace {
// A fake CPUID: leaves not in the map answer zeros, as a CPU answers for unsupported leaves
// (real CPUs repeat the highest basic leaf; zeros are the stricter test).
struct FakeCpuid final : CpuidSource {
    bool cpuid = true;
    std::map<u32, CpuidRegs> leaves;
    bool has_cpuid() const override { return cpuid; }
    CpuidRegs query(u32 leaf) const override {
        auto it = leaves.find(leaf);
        return it == leaves.end() ? CpuidRegs{0, 0, 0, 0} : it->second;
    }
};

constexpr u32 sig(u32 family, u32 model, u32 stepping) { return (family << 8) | (model << 4) | stepping; }
constexpr CpuidRegs kIntel{1, 0x756E6547, 0x6C65746E, 0x49656E69};  // max leaf 1, "GenuineIntel"

FakeCpuid intel(u32 signature, u32 edx) {
    FakeCpuid f;
    f.leaves[0] = kIntel;
    f.leaves[1] = {signature, 0, 0, edx};
    return f;
}
using namespace cpuid_bits;
}  // namespace

TEST_CASE("no CPUID: a 486 with no features", "[cpu]") {
    FakeCpuid f;
    f.cpuid = false;
    CpuInfo c = decide_cpu(f);
    CHECK(!c.has_cpuid);
    CHECK(std::string(c.vendor) == "unknown");
    CHECK(c.family == 4);
    CHECK(!c.tsc);
    CHECK(!c.pse);
    CHECK(!c.pge);
    CHECK(!c.sep_usable);
    CHECK(std::string(sep_reason(c)) == "no CPUID");
}

TEST_CASE("a 486 with CPUID but no TSC", "[cpu]") {
    CpuInfo c = decide_cpu(intel(sig(4, 8, 0), 0x1));  // FPU only
    CHECK(c.has_cpuid);
    CHECK(std::string(c.vendor) == "GenuineIntel");
    CHECK(c.family == 4);
    CHECK(c.model == 8);
    CHECK(!c.tsc);
    CHECK(!c.sep_reported);
    CHECK(std::string(sep_reason(c)) == "CPUID.1:EDX.SEP=0");
}

TEST_CASE("a Pentium: TSC and PSE, no SEP, no PGE", "[cpu]") {
    CpuInfo c = decide_cpu(intel(sig(5, 2, 5), kTsc | kPse));
    CHECK(c.family == 5);
    CHECK(c.model == 2);
    CHECK(c.stepping == 5);
    CHECK(c.tsc);
    CHECK(c.pse);
    CHECK(!c.pge);
    CHECK(!c.sep_usable);
}

TEST_CASE("the Pentium Pro reports SEP without having it", "[cpu]") {
    u32 edx = kTsc | kPse | kPge | kSep;
    CpuInfo ppro = decide_cpu(intel(sig(6, 1, 1), edx));
    CHECK(ppro.sep_reported);
    CHECK(!ppro.sep_usable);
    CHECK(std::string(sep_reason(ppro)).find("Pentium Pro") != std::string::npos);
    // The erratum needs all three: model < 3 and stepping < 3 on family 6.
    CHECK(decide_cpu(intel(sig(6, 1, 9), edx)).sep_usable);
    CHECK(decide_cpu(intel(sig(6, 3, 2), edx)).sep_usable);   // Pentium II Klamath
    CHECK(!decide_cpu(intel(sig(6, 2, 2), edx)).sep_usable);
    CHECK(decide_cpu(intel(sig(15, 2, 1), edx)).sep_usable);  // not family 6
}

TEST_CASE("extended family and model, brand string, hypervisor bit", "[cpu]") {
    FakeCpuid f;
    f.leaves[0] = {0x16, 0x756E6547, 0x6C65746E, 0x49656E69};
    // Family 6, extended model 9, model 0xE, stepping 0xA: a Kaby Lake (model 0x9E).
    f.leaves[1] = {0x000906EA, 0, kHypervisor, kTsc | kPse | kPge | kSep};
    f.leaves[0x80000000] = {0x80000008, 0, 0, 0};
    const char brand[49] = "  Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz\0\0\0\0\0\0";
    for (u32 i = 0; i < 3; i++) {
        u32 r[4];
        for (int k = 0; k < 4; k++)
            r[k] = u32(u8(brand[i * 16 + k * 4])) | u32(u8(brand[i * 16 + k * 4 + 1])) << 8 |
                   u32(u8(brand[i * 16 + k * 4 + 2])) << 16 | u32(u8(brand[i * 16 + k * 4 + 3])) << 24;
        f.leaves[0x80000002 + i] = {r[0], r[1], r[2], r[3]};
    }
    CpuInfo c = decide_cpu(f);
    CHECK(c.family == 6);
    CHECK(c.model == 0x9E);
    CHECK(c.stepping == 0xA);
    CHECK(c.hypervisor);
    CHECK(c.sep_usable);
    CHECK(c.max_ext_leaf == 0x80000008);
    CHECK(std::string(c.brand) == "Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz");
}

TEST_CASE("extended family applies only to family 15", "[cpu]") {
    CpuInfo p4 = decide_cpu(intel(0x00100F22, kTsc));  // AMD K10 style: base 0xF + ext 1
    CHECK(p4.family == 0x10);
    CHECK(p4.model == 2);
    CpuInfo k6 = decide_cpu(intel(0x00F00580 | 0x0, kTsc));  // ext fields ignored on family 5
    CHECK(k6.family == 5);
    CHECK(k6.model == 8);
}

TEST_CASE("max leaf 0: no leaf 1 is read", "[cpu]") {
    FakeCpuid f = intel(sig(6, 8, 3), kTsc | kSep);
    f.leaves[0].eax = 0;
    CpuInfo c = decide_cpu(f);
    CHECK(c.has_cpuid);
    CHECK(!c.tsc);
    CHECK(!c.sep_usable);
    CHECK(c.family == 4);  // nothing known: the 486 floor, as without CPUID
    CHECK(c.model == 0);
    CHECK(std::string(c.vendor) == "GenuineIntel");
    CHECK(std::string(sep_reason(c)) == "no CPUID leaf 1");
}

TEST_CASE("a bogus extended-leaf answer is not trusted", "[cpu]") {
    FakeCpuid f = intel(sig(5, 4, 3), kTsc);
    f.leaves[0x80000000] = {0x00000001, 0, 0, 0};  // an old CPU echoing a basic leaf
    CpuInfo c = decide_cpu(f);
    CHECK(c.max_ext_leaf == 0);
    CHECK(c.brand[0] == '\0');
}

namespace {
// Up to 48 bytes of `text`, zero-padded, into leaves 0x80000002..4.
void put_brand(FakeCpuid& f, const char* text) {
    char brand[48] = {};
    for (u32 i = 0; i < 48 && text[i]; i++) brand[i] = text[i];
    for (u32 i = 0; i < 3; i++) {
        u32 r[4];
        for (int k = 0; k < 4; k++) {
            const char* b = brand + i * 16 + k * 4;
            r[k] = u32(u8(b[0])) | u32(u8(b[1])) << 8 | u32(u8(b[2])) << 16 | u32(u8(b[3])) << 24;
        }
        f.leaves[0x80000002 + i] = {r[0], r[1], r[2], r[3]};
    }
}
}  // namespace

TEST_CASE("QEMU's -cpu 486: CPUID with family 4, PSE but no TSC", "[cpu]") {
    // QEMU's "486" model: family 4 model 8 stepping 0, EDX = FPU | VME | PSE.
    CpuInfo c = decide_cpu(intel(0x480, 0xB));
    CHECK(c.has_cpuid);
    CHECK(c.family == 4);
    CHECK(c.model == 8);
    CHECK(c.stepping == 0);
    CHECK(c.pse);
    CHECK(!c.tsc);
    CHECK(!c.pge);
    CHECK(!c.sep_reported);
    CHECK(!c.sep_usable);
    CHECK(!c.hypervisor);
    CHECK(c.max_leaf == 1);
    CHECK(c.max_ext_leaf == 0);
    CHECK(c.brand[0] == '\0');
}

TEST_CASE("Pentium Pro and Pentium II around the SEP erratum", "[cpu]") {
    u32 edx = kTsc | kPse | kPge | kSep;
    CpuInfo m1s1 = decide_cpu(intel(sig(6, 1, 1), edx));  // Pentium Pro: reported, unusable
    CHECK(m1s1.family == 6);
    CHECK(m1s1.model == 1);
    CHECK(m1s1.stepping == 1);
    CHECK(m1s1.pge);
    CHECK(std::string(sep_reason(m1s1)) ==
          "Pentium Pro erratum: SEP reported but SYSENTER missing (family 6 model <3 stepping <3)");
    CpuInfo m1s9 = decide_cpu(intel(sig(6, 1, 9), edx));  // the rule needs stepping < 3 too
    CHECK(m1s9.sep_usable);
    CHECK(std::string(sep_reason(m1s9)) == "CPUID.1:EDX.SEP=1");
    CHECK(!decide_cpu(intel(sig(6, 0, 0), edx)).sep_usable);
    CHECK(!decide_cpu(intel(sig(6, 2, 2), edx)).sep_usable);
    CHECK(decide_cpu(intel(sig(6, 2, 3), edx)).sep_usable);
    CpuInfo p2 = decide_cpu(intel(sig(6, 5, 0), edx));     // Pentium II Deschutes
    CHECK(p2.sep_reported);
    CHECK(p2.sep_usable);
    CHECK(!decide_cpu(intel(sig(6, 5, 0), edx & ~kSep)).sep_usable);
    CHECK(decide_cpu(intel(sig(5, 1, 1), edx)).sep_usable);  // the erratum is family 6 only
}

TEST_CASE("strings from CPUID are made printable", "[cpu]") {
    FakeCpuid f = intel(sig(6, 8, 3), kTsc);
    f.leaves[0] = {1, 0x756E6547, 0x6C65741F, 0x49656EFF};  // control and high bytes in the vendor
    f.leaves[0x80000000] = {0x80000004, 0, 0, 0};
    put_brand(f, "Fake\x01" "CPU\x80");
    CpuInfo c = decide_cpu(f);
    CHECK(std::string(c.vendor) == "Genu?neI?tel");
    CHECK(std::string(c.brand) == "Fake?CPU?");
    CHECK(c.max_ext_leaf == 0x80000004);
}

TEST_CASE("a brand string needs max extended leaf 0x80000004", "[cpu]") {
    FakeCpuid f = intel(sig(6, 8, 3), kTsc);
    f.leaves[0x80000000] = {0x80000003, 0, 0, 0};
    put_brand(f, "Should not appear");
    CpuInfo c = decide_cpu(f);
    CHECK(c.max_ext_leaf == 0x80000003);
    CHECK(c.brand[0] == '\0');
    f.leaves[0x80000000].eax = 0x80000004;
    CHECK(std::string(decide_cpu(f).brand) == "Should not appear");
    // A 48-byte brand without a terminator is cut at 48.
    put_brand(f, "0123456789abcdef0123456789abcdef0123456789abcdef");
    CHECK(std::string(decide_cpu(f).brand) == "0123456789abcdef0123456789abcdef0123456789abcdef");
}

TEST_CASE("hypervisor bit only from ECX bit 31", "[cpu]") {
    FakeCpuid f = intel(sig(6, 0xF, 1), kTsc);
    f.leaves[1].ecx = 0x7FFFFFFF;
    CHECK(!decide_cpu(f).hypervisor);
    f.leaves[1].ecx = kHypervisor;
    CHECK(decide_cpu(f).hypervisor);
    f.leaves[1].edx = ~0u & ~kTsc;  // every other EDX bit: features come from their own bits only
    CpuInfo c = decide_cpu(f);
    CHECK(!c.tsc);
    CHECK(c.pse);
    CHECK(c.pge);
    CHECK(c.sep_usable);
}

TEST_CASE("UMIP only from leaf 7 ECX bit 2, and only when leaf 7 exists", "[cpu]") {
    FakeCpuid f = intel(sig(6, 0xF, 1), kTsc);
    f.leaves[7] = {0, 0, kUmip, 0};
    CHECK(!decide_cpu(f).umip);  // max leaf 1: leaf 7 is not asked
    f.leaves[0].eax = 7;
    CHECK(decide_cpu(f).umip);
    f.leaves[7] = {~0u, ~0u, ~kUmip, ~0u};
    CHECK(!decide_cpu(f).umip);
}
