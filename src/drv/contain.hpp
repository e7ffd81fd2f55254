// Fault containment for drivers (docs/drivers.md, "Containment"): a fault in driver code is
// attributed by the faulting CS, reported, every in-flight call into the driver is aborted with an
// error to its caller, and the driver is reloaded from its pristine image into the same selectors.
#pragma once
#include "src/lib/types.hpp"

struct TrapFrame;
struct Tss;

namespace drv {
inline constexpr u32 kWatchdogTicks = 50;  // 0.5 s at 100 Hz inside one driver call
// The fault-injection campaign shortens it (an emulated half second per endless loop is most of
// an injection's cost); at least 2, so that one whole tick has passed inside the call.
void set_watchdog_ticks(u32 ticks);

// From trap_dispatch for an exception: true when it was a driver's and the frame now resumes
// the aborted call's caller.
bool contain_fault(TrapFrame& f);
// A trap from a program's ring (CPL 2 or 3) or virtual-8086 mode while a driver call is in
// flight: the innermost driver got there (IRET/RETF out of its ring) and is contained as for a
// fault. False when no driver call is in flight (a program's own trap).
bool contain_escape(TrapFrame& f);
// From the PIT tick: abort a driver call that has run longer than kWatchdogTicks.
bool watchdog(TrapFrame& f);
u32 watchdog_stops();  // calls it has aborted
u8 last_contained_vector();  // the exception of the last fault contain_fault was asked about
struct LastFault {
    u8 vector;       // 0x20 + 0 for the watchdog's (a tick)
    u16 cs;
    u32 eip;
    const char* driver;  // the one aborted (nullptr: none yet)
};
LastFault last_contained();  // the last fault or watchdog stop that aborted a driver's calls
// From the #DF task: `back` is the interrupted task's TSS; true when it was edited to resume
// the caller of the aborted driver call.
bool contain_double_fault(Tss& back);
u32 contained_faults();
// Around the IRQ handler's driver calls (src/trap/trap.cpp): an abort that unwinds past an IRQ
// handler (the IRQ interrupted a call it aborts) sends that IRQ's EOI, or the PIC would keep the
// line (and every lower-priority one) in service for good: the timer, and with it the watchdog,
// would stop. irq_leave sends the EOI unless irq_acknowledge already has (before a ring-1 handler
// runs with IF = 1); irq_handled_below: an outer frame handles the same line.
void irq_enter(u8 line);
void irq_acknowledge();
bool irq_handled_below(u8 line);
void irq_leave(u8 line);
}  // namespace drv
