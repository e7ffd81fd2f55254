// The live CPU: a CpuidSource over the real CPUID instruction, and the decisions taken at boot.
#pragma once
#include "src/arch/cpu_features.hpp"

namespace cpu {
void detect();
const CpuInfo& info();
void print();
void enable_umip();  // CR4.UMIP where CPUID has it

// CPUID on this machine (EFLAGS.ID must toggle first: a 386 and early 486s have no CPUID).
struct LiveCpuid final : CpuidSource {
    bool has_cpuid() const override;
    CpuidRegs query(u32 leaf) const override;
};
}  // namespace cpu
