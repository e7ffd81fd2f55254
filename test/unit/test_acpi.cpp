#include <catch2/catch.hpp>
#include <cstring>
#include <map>
#include <string>
#include <vector>
#include "src/power/acpi_tables.hpp"

namespace {
// Physical memory as a few byte runs.
struct FakeMemory final : acpi::Memory {
    std::map<u32, std::vector<u8>> runs;
    bool read(u32 phys, void* out, u32 n) const override {
        for (auto& [base, bytes] : runs)
            if (phys >= base && phys + n <= base + bytes.size()) {
                std::memcpy(out, bytes.data() + (phys - base), n);
                return true;
            }
        return false;
    }
};
void put32(std::vector<u8>& v, u32 at, u32 x) {
    for (int i = 0; i < 4; i++) v.at(at + i) = u8(x >> (8 * i));
}
void fix_sum(std::vector<u8>& v, u32 from, u32 n, u32 sum_at) {
    v.at(sum_at) = 0;
    u8 s = 0;
    for (u32 i = from; i < from + n; i++) s = u8(s + v[i]);
    v[sum_at] = u8(-s);
}
std::vector<u8> table(const char* sig, u32 len) {
    std::vector<u8> t(len, 0);
    std::memcpy(t.data(), sig, 4);
    put32(t, 4, len);
    return t;
}
// A machine like QEMU's: RSDP in the BIOS area, RSDT -> (APIC, FACP) -> DSDT with \_S5.
struct Machine {
    FakeMemory m;
    std::vector<u8> bios = std::vector<u8>(0x20000, 0);
    std::vector<u8> rsdt = table("RSDT", 44), apic = table("APIC", 40), fadt = table("FACP", 116);
    std::vector<u8> dsdt;
    Machine(std::vector<u8> aml, u8 rev = 0) {
        dsdt = table("DSDT", u32(36 + aml.size()));
        std::memcpy(dsdt.data() + 36, aml.data(), aml.size());
        u32 rsdp = 0xF5A30 - 0xE0000;
        std::memcpy(bios.data() + rsdp, "RSD PTR ", 8);
        bios[rsdp + 15] = rev;
        put32(bios, rsdp + 16, 0x3FE1000);
        fix_sum(bios, rsdp, 20, rsdp + 8);
        put32(rsdt, 36, 0x3FE2000);
        put32(rsdt, 40, 0x3FE3000);
        put32(fadt, 40, 0x3FE4000);
        put32(fadt, 48, 0xB2);
        fadt[52] = 0xF1;
        put32(fadt, 64, 0x604);
        seal();
    }
    void seal() {
        fix_sum(rsdt, 0, u32(rsdt.size()), 9);
        fix_sum(apic, 0, u32(apic.size()), 9);
        fix_sum(fadt, 0, u32(fadt.size()), 9);
        fix_sum(dsdt, 0, u32(dsdt.size()), 9);
        m.runs = {{0xE0000, bios}, {0x3FE1000, rsdt}, {0x3FE2000, apic}, {0x3FE3000, fadt}, {0x3FE4000, dsdt}};
    }
};
// Some AML before the package, as a real DSDT has, then Name(\_S5, Package(4) {...}).
std::vector<u8> s5_aml(std::vector<u8> values, bool root = false) {
    std::vector<u8> a = {0x10, 0x05, '_', 'S', 'B', '_', 0x5B, 0x80, '_', 'S', '5', 'X'};  // decoys
    a.push_back(0x08);
    if (root) a.push_back('\\');
    for (char c : std::string("_S5_")) a.push_back(u8(c));
    a.push_back(0x12);
    a.push_back(u8(2 + values.size()));
    a.push_back(0x04);
    a.insert(a.end(), values.begin(), values.end());
    return a;
}
}  // namespace

TEST_CASE("acpi: RSDP -> RSDT -> FADT -> DSDT -> \\_S5 (QEMU's layout)") {
    Machine q(s5_aml({0x00, 0x00, 0x00, 0x00}));
    acpi::SoftOff s = acpi::find_soft_off(q.m, 0);
    REQUIRE(s.why == nullptr);
    CHECK(s.rsdp == 0xF5A30);
    CHECK(s.fadt == 0x3FE3000);
    CHECK(s.pm1a_cnt == 0x604);
    CHECK(s.smi_cmd == 0xB2);
    CHECK(s.acpi_enable == 0xF1);
    CHECK(s.slp_typa == 0);
    CHECK(acpi::pm1_sleep_value(s.slp_typa) == 0x2000);
}

TEST_CASE("acpi: byte-prefixed SLP_TYP values and a root-prefixed name") {
    Machine b(s5_aml({0x0A, 0x07, 0x0A, 0x05, 0x00, 0x00}, true));
    acpi::SoftOff s = acpi::find_soft_off(b.m, 0);
    REQUIRE(s.why == nullptr);
    CHECK(s.slp_typa == 7);
    CHECK(s.slp_typb == 5);
    Machine one(s5_aml({0x01, 0x0A, 0x02}));
    s = acpi::find_soft_off(one.m, 0);
    CHECK(s.slp_typa == 1);
    CHECK(s.slp_typb == 2);
}

TEST_CASE("acpi: what is missing is named") {
    Machine noS5({0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00});
    CHECK(std::string(acpi::find_soft_off(noS5.m, 0).why) == "no \\_S5 package in the DSDT");
    Machine bad(s5_aml({0, 0}));
    bad.dsdt[40] ^= 1;  // a corrupted DSDT: the checksum no longer holds
    bad.m.runs[0x3FE4000] = bad.dsdt;
    CHECK(std::string(acpi::find_soft_off(bad.m, 0).why) == "DSDT missing or bad checksum");
    FakeMemory empty;
    empty.runs = {{0xE0000, std::vector<u8>(0x20000, 0)}};
    CHECK(std::string(acpi::find_soft_off(empty, 0).why) == "no RSDP (no ACPI)");
    Machine nofadt(s5_aml({0, 0}));
    put32(nofadt.rsdt, 40, 0x3FE2000);  // two APICs, no FACP
    nofadt.seal();
    CHECK(std::string(acpi::find_soft_off(nofadt.m, 0).why) == "no FADT");
}

TEST_CASE("acpi: the RSDP is found in the EBDA first, on 16-byte boundaries only") {
    Machine q(s5_aml({0, 0}));
    std::vector<u8> ebda(1024, 0);
    std::memcpy(ebda.data() + 0x20, "RSD PTR ", 8);
    put32(ebda, 0x20 + 16, 0x3FE1000);
    fix_sum(ebda, 0x20, 20, 0x28);
    q.m.runs[0x9FC00] = ebda;
    CHECK(acpi::find_rsdp(q.m, 0x9FC00) == 0x9FC20);
    CHECK(acpi::find_rsdp(q.m, 0) == 0xF5A30);
    // misaligned signature: not found there
    std::vector<u8> odd(1024, 0);
    std::memcpy(odd.data() + 0x24, "RSD PTR ", 8);
    q.m.runs[0x9FC00] = odd;
    CHECK(acpi::find_rsdp(q.m, 0x9FC00) == 0xF5A30);
}

TEST_CASE("acpi: an _S5_ package split across the scanner's chunks is still found") {
    std::vector<u8> aml(500, 0xA3);  // NoopOp padding puts the package across the 512-byte chunk edge
    auto pkg = s5_aml({0x0A, 0x05, 0x0A, 0x05});
    aml.insert(aml.end(), pkg.begin(), pkg.end());
    Machine q(aml);
    acpi::SoftOff s = acpi::find_soft_off(q.m, 0);
    REQUIRE(s.why == nullptr);
    CHECK(s.slp_typa == 5);
}
