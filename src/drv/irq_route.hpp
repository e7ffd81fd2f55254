// IRQ lines to driver handlers: exports named "<driver>.irq<N>" (docs/drivers.md, "IRQs").
#pragma once
#include "src/lib/str.hpp"
#include "src/lib/types.hpp"

namespace drv {
// An export of that name handles IRQ N (up to 4 per line): the line is unmasked.
void route_irq_export(Str name, u32 export_id, u16 gate);
// The gate goes away (its driver is unloaded).
void unroute_gate(u16 gate);

// From the IRQ handler (IF = 0, inside drv::irq_enter/irq_leave): every handler of the line.
// A ring-0 handler runs with IF = 0, as the interrupt came. A ring-1 handler cannot turn
// interrupts off (IOPL 0), so the line is acknowledged first and it runs with IF = 1: IRQ 0 still
// comes, and the watchdog stops a handler that never returns. An IRQ that comes again while its
// handlers run is not nested into them: they run once more after they return.
void dispatch_irq(u8 irq);
u32 irq_repeats();   // the handlers ran again for an IRQ that came while they ran
u32 irq_dropped();   // ... and gave up after kMaxIrqRepeats in a row (an IRQ storm): counted
}  // namespace drv
