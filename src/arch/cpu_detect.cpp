#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"

namespace cpu {
namespace {
CpuInfo g_info;
constexpr u32 kEflagsId = 1u << 21;
}  // namespace

bool LiveCpuid::has_cpuid() const {
    // [intel/vol2] CPUID: software can use CPUID if it can flip EFLAGS.ID (bit 21).
    u32 before = x86::eflags();
    x86::set_eflags(before ^ kEflagsId);
    u32 after = x86::eflags();
    x86::set_eflags(before);
    return ((before ^ after) & kEflagsId) != 0;
}

CpuidRegs LiveCpuid::query(u32 leaf) const {
    CpuidRegs r;
    x86::cpuid(leaf, &r.eax, &r.ebx, &r.ecx, &r.edx);
    return r;
}

void detect() { g_info = decide_cpu(LiveCpuid{}); }
const CpuInfo& info() { return g_info; }

void print() {
    const CpuInfo& c = g_info;
    if (!c.has_cpuid) {
        kprintf("cpu: no CPUID (EFLAGS.ID fixed): a 486 or older; assuming no TSC, SEP, PSE, PGE\n");
    } else {
        kprintf("cpu: vendor=%s family=%u model=%u stepping=%u max_leaf=0x%x%s%s\n", c.vendor, c.family,
                c.model, c.stepping, c.max_leaf, c.brand[0] ? " brand=" : "", c.brand);
    }
    kprintf("cpu: tsc=%s pse=%s pge=%s umip=%s sep=%s (%s)%s\n", c.tsc ? "yes" : "no", c.pse ? "yes" : "no",
            c.pge ? "yes" : "no", c.umip ? "yes" : "no", c.sep_usable ? "yes" : "no", sep_reason(c),
            c.hypervisor ? " hypervisor=yes" : "");
}

// UMIP where CPUID has it: SGDT, SIDT, SLDT, SMSW and STR raise #GP at CPL > 0 instead of telling
// a program where the kernel's tables are ([intel/vol3] §2.5, CR4.UMIP). Without it they work in
// ring 3 (docs/syscalls.md, "What a program can still see").
void enable_umip() {
    if (!g_info.umip) return;
    x86::set_cr4(x86::cr4() | (1u << 11));
    kprintf("cpu: UMIP on: SGDT, SIDT, SLDT, SMSW and STR fault in ring 3\n");
}
}  // namespace cpu
