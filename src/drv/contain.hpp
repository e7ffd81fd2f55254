// Fault containment for drivers (docs/drivers.md, "Containment"): a fault in driver code is
// attributed by the faulting CS, reported, every in-flight call into the driver is aborted with an
// error to its caller, and the driver is reloaded from its pristine image into the same selectors.
#pragma once
#include "src/lib/types.hpp"

struct TrapFrame;
struct Tss;

namespace drv {
inline constexpr u32 kWatchdogTicks = 50;  // 0.5 s at 100 Hz inside one driver call

// From trap_dispatch for an exception: true when it was a driver's and the frame now resumes
// the aborted call's caller.
bool contain_fault(TrapFrame& f);
// From the PIT tick: abort a driver call that has run longer than kWatchdogTicks.
bool watchdog(TrapFrame& f);
// From the #DF task: `back` is the interrupted task's TSS; true when it was edited to resume
// the caller of the aborted driver call.
bool contain_double_fault(Tss& back);
u32 contained_faults();
}  // namespace drv
