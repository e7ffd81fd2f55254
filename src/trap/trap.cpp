// trap_dispatch: every vector lands here from src/trap/entry.asm, on the kernel stack.
#include "seg/fixup.hpp"
#include "src/arch/x86.hpp"
#include "src/dev/pic.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/irq_route.hpp"
#include "src/drv/registry.hpp"
#include "src/panic.hpp"
#include "src/proc/process.hpp"
#include "src/trap/frame.hpp"
#include "src/trap/idt.hpp"
#include "src/trap/report.hpp"

extern "C" char guarded_copy_access[];  // seg/guarded.asm: guarded_copy's faulting instruction
extern "C" char syscall_gate_stubs_start[], syscall_gate_stubs_end[], syscall_sysenter_entry[];

namespace {
constexpr u32 kTF = 1u << 8;
constexpr u32 kDr6SingleStep = 1u << 14;  // DR6.BS ([intel/vol3] §17.2.3)
u32 g_single_steps = 0;

// A TF that a program set is nobody's breakpoint: there is no debugger. A call gate and SYSENTER
// leave TF alone, so the single-step trap arrives at CPL 0 before the entry's first instruction
// ([intel/vol3] §17.3.1.4; Linux meets the same case at its SYSENTER entry); an INT 0x80 returns
// TF with the program's EFLAGS and it traps in ring 3. Either way: clear TF in the frame and go on.
// In ring 3 every #DB is the program's own (a single step, ICEBP): the kernel sets no debug
// registers. The saved TF may already be clear there: the trap after a POPF that cleared TF.
// The kernel never single-steps itself either, so a single-step #DB (DR6.BS) at CPL 0 anywhere is
// the program's too: after MOV SS / POP SS the CPU holds the trap over the next instruction, and a
// TF set before `mov ss, x; int 0x80` arrives on the first instruction of the handler ([intel/vol3]
// §6.8.3; the single-step form of CVE-2018-8897), where TF is already clear in the frame.
bool ignore_program_single_step(TrapFrame& f) {
    if (f.vector != 1) return false;
    u32 eip = f.eip;
    bool at_entry = f.cs == 0x08 && ((eip >= u32(uptr(syscall_gate_stubs_start)) && eip < u32(uptr(syscall_gate_stubs_end))) ||
                                     eip == u32(uptr(syscall_sysenter_entry)));
    bool single_step = x86::dr6() & kDr6SingleStep;
    if (!at_entry && !single_step && !proc::program_cs(f.cs)) return false;
    x86::set_dr6(0);  // the CPU never clears DR6's status bits itself
    f.eflags &= ~kTF;
    g_single_steps++;
    return true;
}

void irq(u8 line, TrapFrame& f) {
    if (!pic::begin_irq(line)) return;  // spurious IRQ 7/15: counted, not acknowledged
    if (line == 0) pit::on_tick();
    drv::irq_enter(line);
    drv::dispatch_irq(line);
    drv::irq_leave(line);  // the EOI, unless sent before a ring-1 handler ran
    if (line == 0) drv::watchdog(f);
    if (line == 0) proc::ipc_tick();
    // Preempt a program only between driver calls: code a driver sent to ring 3 or 2 inside its
    // call is not the program's, and switching there would hand its call records to another thread.
    if (line == 0) proc::tick(proc::program_cs(f.cs) && f.calls_top == 0);
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
    if (f->calls_top && drv::contain_escape(*f)) return;  // a driver's IRET/RETF out of its ring
    if (f->vector == idt::kSyscallVector) {
        proc::syscall_trap(*f);
        return;
    }
    if (ignore_program_single_step(*f)) return;
    if (proc::program_cs(f->cs)) {  // a fault in a user program or small server: patch its call site, or kill it
        proc::user_fault(*f);
        return;
    }
    if (patch_site(*f)) return;
    u32 resume = fixup::find(f->eip);
    if (f->cs != 0x08) resume = 0;  // fixups name kernel code only
    // A guarded copy of a program's bad pointer is an ordinary error return (-Fault), not news:
    // counted (fixup::last().count), not reported — a fuzzer makes thousands of them.
    bool user_copy = resume && f->eip == u32(uptr(guarded_copy_access)) && proc::in_user_syscall();
    if (!user_copy) trap_report(*f, resume);
    if (resume) {
        fixup::apply(*f);
        return;
    }
    if (drv::contain_fault(*f)) return;
    panic("unhandled exception %u in the kernel at %04x:%08x", f->vector, f->cs & 0xFFFF, f->eip);
}

u32 trap_single_steps_ignored() { return g_single_steps; }
