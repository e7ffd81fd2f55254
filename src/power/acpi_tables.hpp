// ACPI tables for power-off (ACPI 6.4, chapter 5): the RSDP (found in the first KiB of the EBDA or
// in 0xE0000-0xFFFFF on a 16-byte boundary, ch. 5.2.5.1), the RSDT/XSDT, the FADT ("FACP":
// SMI_CMD, ACPI_ENABLE, PM1a/PM1b_CNT_BLK, DSDT) and the \_S5 package in the DSDT's AML
// (ch. 7.4.2: SLP_TYPa and SLP_TYPb for the soft-off state). Pure: memory is read through a
// Memory the caller gives (the kernel's direct map; byte arrays in the host tests).
#pragma once
#include "src/lib/types.hpp"

namespace acpi {

class Memory {
public:
    // Copy n bytes at physical address phys; false when that memory cannot be read.
    virtual bool read(u32 phys, void* out, u32 n) const = 0;
};

struct SoftOff {
    const char* why = nullptr;  // nullptr: found; else what was missing
    u32 rsdp = 0, rsdt = 0, fadt = 0, dsdt = 0;
    bool xsdt = false;
    u32 smi_cmd = 0;
    u8 acpi_enable = 0;
    u32 pm1a_cnt = 0, pm1b_cnt = 0;
    u8 slp_typa = 0, slp_typb = 0;
};

// The RSDP's address, or 0. ebda: the EBDA's physical address (BDA word 0x40E << 4), 0 for none.
u32 find_rsdp(const Memory& m, u32 ebda);
// Walk RSDP -> RSDT/XSDT -> FADT -> DSDT -> \_S5.
SoftOff find_soft_off(const Memory& m, u32 ebda);
// The two SLP_TYP values of an _S5_ package in AML text (`08 [\] _S5_ 12 <pkglen> <count> ...`).
bool parse_s5(const u8* aml, u32 n, u8* a, u8* b);
// What to write to a PM1x control register for sleep type `typ`: SLP_TYP in bits 10-12, SLP_EN bit 13.
constexpr u16 pm1_sleep_value(u8 typ) { return u16((typ & 7) << 10 | 1u << 13); }
static_assert(pm1_sleep_value(5) == 0x3400 && pm1_sleep_value(0) == 0x2000);

}  // namespace acpi
