// trap_dispatch: every vector lands here from src/trap/entry.asm, on the kernel stack.
#include "seg/fixup.hpp"
#include "src/dev/pic.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/registry.hpp"
#include "src/panic.hpp"
#include "src/proc/process.hpp"
#include "src/trap/frame.hpp"
#include "src/trap/idt.hpp"
#include "src/trap/report.hpp"

namespace {
void irq(u8 line, TrapFrame& f) {
    if (!pic::begin_irq(line)) return;  // spurious IRQ 7/15: counted, not acknowledged
    if (line == 0) pit::on_tick();
    drv::dispatch_irq(line);
    pic::end_irq(line);
    if (line == 0) drv::watchdog(f);
    if (line == 0 && (f.cs & 3) == 3) proc::preempt();
}

// An RDOS-style call site in a driver (9A <import> <null selector>) raises #GP(0) on its first
// run; patch it and run it again.
bool patch_site(TrapFrame& f) {
    if (f.vector != 13 || f.error != 0) return false;
    drv::Driver* d = drv::by_cs(u16(f.cs));
    return d && drv::patch_call_site(*d, f.eip);
}
}  // namespace

extern "C" void trap_dispatch(TrapFrame* f) {
    if (f->vector >= idt::kIrqBase && f->vector < idt::kIrqBase + 16) {
        irq(u8(f->vector - idt::kIrqBase), *f);
        return;
    }
    if (f->vector == idt::kSyscallVector) {
        proc::syscall_trap(*f);
        return;
    }
    if ((f->cs & 3) == 3) {  // a fault in a user program: patch its call site, or kill it
        proc::user_fault(*f);
        return;
    }
    if (patch_site(*f)) return;
    u32 resume = fixup::find(f->eip);
    if (f->cs != 0x08) resume = 0;  // fixups name kernel code only
    trap_report(*f, resume);
    if (resume) {
        fixup::apply(*f);
        return;
    }
    if (drv::contain_fault(*f)) return;
    panic("unhandled exception %u in the kernel at %04x:%08x", f->vector, f->cs & 0xFFFF, f->eip);
}
