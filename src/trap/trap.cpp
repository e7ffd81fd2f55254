// trap_dispatch: every vector lands here from src/trap/entry.asm.
#include "seg/fixup.hpp"
#include "src/dev/pic.hpp"
#include "src/dev/pit.hpp"
#include "src/panic.hpp"
#include "src/trap/frame.hpp"
#include "src/trap/idt.hpp"
#include "src/trap/report.hpp"

namespace {
void irq(u8 line) {
    if (!pic::begin_irq(line)) return;  // spurious IRQ 7/15: counted, not acknowledged
    if (line == 0) pit::on_tick();
    pic::end_irq(line);
}
}  // namespace

extern "C" void trap_dispatch(TrapFrame* f) {
    if (f->vector >= idt::kIrqBase && f->vector < idt::kIrqBase + 16) {
        irq(u8(f->vector - idt::kIrqBase));
        return;
    }
    u32 resume = fixup::find(f->eip);
    trap_report(*f, resume);
    if (resume) {
        fixup::apply(*f);
        return;
    }
    panic("unhandled exception %u in the kernel at %04x:%08x", f->vector, f->cs & 0xFFFF, f->eip);
}
