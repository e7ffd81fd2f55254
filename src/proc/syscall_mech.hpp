// Which instruction a patched system-call site becomes (docs/syscalls.md). Chosen from CPUID,
// never by trying: QEMU executes SYSENTER even on a CPU model without SEP. Pure, host-tested.
#pragma once
#include "src/arch/cpu_features.hpp"
#include "src/boot/cmdline.hpp"

namespace proc {
enum class Mech : u8 { Sysenter = 1, Gate = 2, Int80 = 3 };  // also what sys_mechanism() returns

struct MechChoice {
    Mech mech;
    bool refused;       // the requested mechanism is not available here; mech is the fallback
    const char* why;    // for the boot log
};

MechChoice choose_mechanism(SyscallSel requested, const CpuInfo& cpu);
const char* mech_name(Mech m);
}  // namespace proc
