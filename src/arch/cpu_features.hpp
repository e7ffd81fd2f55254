// CPU feature decisions from CPUID, behind an interface so host tests can feed a fake CPUID for
// the machines no emulator here has: no CPUID at all, no TSC, the Pentium Pro SEP erratum.
#pragma once
#include "src/lib/types.hpp"

struct CpuidRegs {
    u32 eax, ebx, ecx, edx;
};

struct CpuidSource {
    virtual bool has_cpuid() const = 0;  // EFLAGS.ID toggles ([intel/vol2] CPUID)
    virtual CpuidRegs query(u32 leaf) const = 0;

protected:
    ~CpuidSource() = default;  // never deleted through the interface (no operator delete here)
};

struct CpuInfo {
    bool has_cpuid;
    char vendor[13];
    char brand[49];
    u32 family, model, stepping;  // display values, extended fields applied
    u32 max_leaf, max_ext_leaf;
    bool tsc, pse, pge;
    bool sep_reported;  // CPUID.1:EDX.SEP
    bool sep_usable;    // ... and not a Pentium Pro that misreports it
    bool hypervisor;    // CPUID.1:ECX bit 31
    bool umip;          // CPUID.(7,0):ECX bit 2: SGDT/SIDT/SLDT/SMSW/STR fault at CPL > 0 with CR4.UMIP
};

// CPUID.1:EDX and ECX bits ([intel/vol2] CPUID, table 3-11).
namespace cpuid_bits {
inline constexpr u32 kPse = 1u << 3;
inline constexpr u32 kTsc = 1u << 4;
inline constexpr u32 kSep = 1u << 11;
inline constexpr u32 kPge = 1u << 13;
inline constexpr u32 kHypervisor = 1u << 31;
inline constexpr u32 kUmip = 1u << 2;  // leaf 7, subleaf 0, ECX
}  // namespace cpuid_bits

CpuInfo decide_cpu(const CpuidSource& src);

// Why SYSENTER is or is not usable, for the boot log.
const char* sep_reason(const CpuInfo& c);
