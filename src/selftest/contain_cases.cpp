// Self-test: faults inside a driver are contained. Each case makes `faulty` raise one kind of
// fault; the call must come back with an error, the driver must be reloaded from its pristine
// image and serve again, and nothing outside the faulty driver may change (DESIGN, "What nothing
// else changes means"): kernel text and rodata, the other drivers' code and rodata, the GDT but
// the faulty driver's entries, the IDT, and the TSSes' configuration.
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "seg/limit_probe.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/integrity.hpp"
#include "src/drv/irq_route.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/registry.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/drv/isolation.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {

drv::Snapshot snapshot() { return drv::snapshot(drv::by_name("faulty")); }

enum Kind : u32 {  // drivers/faulty/faulty.cpp
    kReadPastLimit = 1, kWritePastLimit, kWriteCode, kJumpPastCode, kStackOverflow,
    kLoadNotPresent, kLoadFreeSelector, kDivideByZero, kInvalidOpcode, kEndlessLoop, kStackSegmentPastLimit,
    kPageFault, kForeignJump, kCliLoop, kSysenter, kLeaveRing, kSyscallGate,
};

// Run one fault through `faulty` and check everything the containment promises.
void check_contained(Case& c, u32 kind, u32 arg, bool needs_limits, u32 arg2 = 0) {
    drv::Driver* f = drv::by_name("faulty");
    if (!f || !drv::by_name("null")) return c.skip("the null and faulty driver modules are not loaded");
    if (needs_limits && !limits::enforced()) return c.skip("limits not enforced here");
    ST_CHECK(c, drv::call("faulty.set_state", 0x12345678) == 0);
    ST_CHECK(c, drv::call("faulty.state") == 0x12345678);
    u32 restarts = f->restarts;
    u16 cs = f->cs, ds = f->ds;
    drv::Snapshot before = snapshot();
    u32 r = drv::call("faulty.fault", kind, arg, arg2);
    if (r != drvabi::error_result(u32(Err::Fault))) return c.fail("faulty.fault returned %08x, want -Fault", r);
    ST_CHECK(c, f->restarts == restarts + 1);
    ST_CHECK(c, f->cs == cs && f->ds == ds);              // reloaded into the same selectors
    ST_CHECK(c, drv::call("faulty.state") == 0x600DF00D); // pristine data again
    ST_CHECK(c, drv::call("faulty.echo", 5) == 5);        // and serving
    ST_CHECK(c, drv::call("null.via_gate", 6) == 6);      // through other drivers too
    drv::Snapshot after = snapshot();
    ST_CHECK(c, after.kernel == before.kernel);
    ST_CHECK(c, after.gdt == before.gdt);
    ST_CHECK(c, after.idt == before.idt);
    ST_CHECK(c, after.tss == before.tss);
    ST_CHECK(c, after.others == before.others);
}

u32 past_data_limit() { return drv::by_name("faulty")->image.data_limit() + 1; }
u32 past_code_limit() { return drv::code_limit(*drv::by_name("faulty")) + 16; }  // past the thunks too

void read_past_limit(Case& c) { check_contained(c, kReadPastLimit, drv::by_name("faulty") ? past_data_limit() : 0, true); }
void write_past_limit(Case& c) { check_contained(c, kWritePastLimit, drv::by_name("faulty") ? past_data_limit() : 0, true); }
void write_code(Case& c) { check_contained(c, kWriteCode, 0x10, true); }
void jump_past_code(Case& c) { check_contained(c, kJumpPastCode, drv::by_name("faulty") ? past_code_limit() : 0, true); }
void stack_segment_past_limit(Case& c) {
    check_contained(c, kStackSegmentPastLimit, drv::by_name("faulty") ? past_data_limit() : 0, true);
}
void page_fault(Case& c) { check_contained(c, kPageFault, 0, false); }
void stack_overflow(Case& c) { check_contained(c, kStackOverflow, 0, true); }
void divide_by_zero(Case& c) { check_contained(c, kDivideByZero, 0, false); }
void invalid_opcode(Case& c) { check_contained(c, kInvalidOpcode, 0, false); }
void endless_loop(Case& c) { check_contained(c, kEndlessLoop, 0, false); }
// SYSENTER from a driver: the kernel's entry would return by SYSEXIT to ring 3 out of the call;
// it aborts the call instead, in either ring. Where SYSENTER is not usable it faults (#UD, or #GP
// with SYSENTER_CS 0): -Fault as well.
void sysenter_in_driver(Case& c) {
    drv::Driver* f = drv::by_name("faulty");
    if (!f) return c.skip("the faulty driver module is not loaded");
    // Without usable SEP, SYSENTER is #UD (or #GP with no SYSENTER_CS): a fault, contained the same.
    drvabi::Mode was = drv::isolation(drv::index_of(*f)).effective;
    check_contained(c, kSysenter, 0, false);
    if (!drv::change_mode(*f, drvabi::kRing1).ok()) return c.fail("faulty could not be put in ring 1");
    check_contained(c, kSysenter, 0, false);
    ST_CHECK(c, drv::change_mode(*f, was).ok());
}

// A driver that leaves its ring inside its call by IRET (to ring 3, and from ring 0 into
// virtual-8086 mode, which only CPL 0 can enter) runs code there that faults at once (EIP 0 is not
// mapped): no program runs inside a driver call, so the fault is the driver's. Found by the
// campaign (seed 70, injection 1355: a byte of null became IRET and popped EFLAGS with VM set); in
// the kernel thread (TSS.esp0 = 0) the fault cannot be delivered: a #DF, which panicked.
void leave_ring(Case& c) {
    drv::Driver* f = drv::by_name("faulty");
    if (!f) return c.skip("the faulty driver module is not loaded");
    drvabi::Mode was = drv::isolation(drv::index_of(*f)).effective;
    // Once a program has run, the kernel thread's TSS.esp0 is 0 again (src/proc/sched.cpp): the
    // ring-0 cases below are #DFs on the #DF task's stack, not traps on that program's old stack.
    if (proc::run("hello").ok()) ST_CHECK(c, tss::main_tss.esp0 == 0);
    const drvabi::Mode modes[] = {drvabi::kRing0, drvabi::kRing1};
    for (drvabi::Mode m : modes) {
        if (!drv::change_mode(*f, m).ok()) return c.fail("faulty could not be put in mode %u", u32(m));
        check_contained(c, kLeaveRing, gdt::kUserCS, false, gdt::kUserDS);
        if (m == drvabi::kRing0) check_contained(c, kLeaveRing, 0, false);
        else ST_CHECK(c, drv::call("faulty.fault", kLeaveRing, 0) == drvabi::error_result(u32(Err::Unsupported)));
    }
    ST_CHECK(c, drv::change_mode(*f, was).ok());
}

// A driver that far-calls a system-call gate inside its call: the general gate path (mechanism)
// and the register-IPC one (ipc_call_regs), from ring 0 (no stack switch: the kernel's C++ would
// have run on the driver's stack) and ring 1. Only programs make system calls, between calls.
void syscall_gate_in_driver(Case& c) {
    drv::Driver* f = drv::by_name("faulty");
    if (!f) return c.skip("the faulty driver module is not loaded");
    drvabi::Mode was = drv::isolation(drv::index_of(*f)).effective;
    const u32 numbers[] = {4, 23};  // user/lib/syscall.hpp: kMechanism, kIpcCallRegs
    const drvabi::Mode modes[] = {drvabi::kRing0, drvabi::kRing1};
    for (drvabi::Mode m : modes) {
        if (!drv::change_mode(*f, m).ok()) return c.fail("faulty could not be put in mode %u", u32(m));
        for (u32 n : numbers) {
            auto gate = proc::gate_for(n);
            if (!gate.ok()) return c.fail("no gate for system call %u", n);
            check_contained(c, kSyscallGate, 0, false, gate.value());
        }
    }
    ST_CHECK(c, drv::change_mode(*f, was).ok());
}

// cli; jmp $ hangs a ring-0 machine for good (no NMI source); at CPL 1 with IOPL 0 the CLI itself
// is #GP, so no loop ever runs with interrupts off. faulty goes to ring 1 for it, then back.
void cli_loop_in_ring1(Case& c) {
    drv::Driver* f = drv::by_name("faulty");
    if (!f) return c.skip("the faulty driver module is not loaded");
    drvabi::Mode was = drv::isolation(drv::index_of(*f)).effective;
    if (!drv::change_mode(*f, drvabi::kRing1).ok()) return c.fail("faulty could not be put in ring 1");
    check_contained(c, kCliLoop, 0, false);
    ST_CHECK(c, drv::change_mode(*f, was).ok());
    if (drv::running_mode(drv::index_of(*f)) == drvabi::kRing0)
        ST_CHECK(c, drv::call("faulty.fault", kCliLoop) == drvabi::error_result(u32(Err::Unsupported)));
}

// faulty far-jumps into null.echo, which runs with faulty's DS and stores its call counter at an
// offset past faulty's DS limit: #GP with CS = null's. The fault is faulty's (it jumped), so
// faulty is reloaded and null is left alone. Before the fix this panicked ("unhandled
// exception"): abort_calls found no call into null to abort.
void foreign_jump(Case& c) {
    drv::Driver* f = drv::by_name("faulty");
    drv::Driver* n = drv::by_name("null");
    if (!f || !n) return c.skip("the null and faulty driver modules are not loaded");
    if (!limits::enforced()) return c.skip("limits not enforced here");
    if (n->image.data_memsz <= f->image.data_memsz) return c.skip("null's counter would not lie past faulty's limit");
    const drv::GateEntry* echo = drv::find_gate("null.echo");
    ST_CHECK(c, echo != nullptr);
    u32 null_restarts = n->restarts, null_faults = n->faults;
    check_contained(c, kForeignJump, gh_exports[echo->export_id].code, true, n->cs);
    ST_CHECK(c, n->restarts == null_restarts && n->faults == null_faults);  // null was not blamed
}

// null.irq0 faults (a ud2, armed by null.spin(1, 1) inside the call, so it can only hit an irq0
// that interrupts the spin: a tick before the call cannot take it, as it could when the test wrote
// the ud2 before calling) while null.spin runs: the abort unwinds past the IRQ handler, which must
// still acknowledge the IRQ, or the PIC keeps IRQ 0 in service and the timer stops for good.
// Before the fix the ticks stopped here (found by the fault-injection campaign, seed 1, injection 72).
void irq_fault_under_a_call(Case& c) {
    drv::Driver* n = drv::by_name("null");
    const drv::GateEntry* irq = drv::find_gate("null.irq0");
    if (!n || !irq) return c.skip("the null driver is not loaded");
    if (!(x86::eflags() & (1u << 9))) return c.fail("the self-test runs with IF = 0: no IRQ 0 could come");
    u32 faults = n->faults, restarts = n->restarts;
    u32 r = drv::call("null.spin", 1, 1);
    ST_CHECK(c, r == drvabi::error_result(u32(Err::Fault)));  // spin was aborted with the irq0 call
    ST_CHECK(c, n->faults == faults + 1 && n->restarts == restarts + 1);
    u32 t = pit::ticks();
    for (u32 i = 0; i < 20000000 && pit::ticks() == t; i++) {
    }
    ST_CHECK(c, pit::ticks() != t);  // the timer still ticks
    ST_CHECK(c, drv::call("null.echo", 7) == 7);
    ST_CHECK(c, drv::call("null.spin", 1) >= 1);  // and null.irq0 (pristine again) runs
}

// An IRQ export that never returns. In ring 0 it runs with IF = 0 and would hang the machine for
// good (no NMI source): the fault campaign's hangs. A ring-1 handler cannot turn interrupts off,
// so the kernel acknowledges the line and runs it with IF = 1 (src/drv/irq_route.cpp): IRQ 0 keeps
// coming and the watchdog stops it, under a call into its driver and outside any call. null goes
// to ring 1 for it, then back. Before the fix this boot hung at the first case.
void endless_irq_export_in_ring1(Case& c) {
    drv::Driver* n = drv::by_name("null");
    if (!n || !drv::find_gate("null.irq0")) return c.skip("the null driver is not loaded");
    if (!(x86::eflags() & (1u << 9))) return c.fail("the self-test runs with IF = 0: no IRQ 0 could come");
    drvabi::Mode was = drv::isolation(drv::index_of(*n)).effective;
    if (!drv::change_mode(*n, drvabi::kRing1).ok()) return c.fail("null could not be put in ring 1");
    u32 faults = n->faults, restarts = n->restarts, stops = drv::watchdog_stops();
    ST_CHECK(c, drv::call("null.spin", 1, 2) == drvabi::error_result(u32(Err::Fault)));  // aborted with irq0
    ST_CHECK(c, n->faults == faults + 1 && n->restarts == restarts + 1 && drv::watchdog_stops() == stops + 1);
    u32 repeats = drv::irq_repeats();
    x86::cli();  // armed with no IRQ during the call: the next IRQ 0 loops outside any call
    ST_CHECK(c, drv::call("null.arm_irq0", 2) == 0);
    x86::sti();
    u32 t = pit::ticks();
    while (n->faults == faults + 1 && pit::ticks() - t < 8 * drv::kWatchdogTicks) x86::sti_hlt();
    ST_CHECK(c, n->faults == faults + 2 && n->restarts == restarts + 2 && drv::watchdog_stops() == stops + 2);
    // The IRQ 0s that came during the loop were not nested into it: the handlers ran once more.
    ST_CHECK(c, drv::irq_repeats() > repeats);
    t = pit::ticks();
    for (u32 i = 0; i < 20000000 && pit::ticks() == t; i++) {
    }
    ST_CHECK(c, pit::ticks() != t);                   // the timer still ticks
    ST_CHECK(c, drv::call("null.spin", 1) >= 1);      // and null.irq0 (pristine again) runs
    ST_CHECK(c, drv::change_mode(*n, was).ok());
}

// null far-calls faulty.echo in an endless loop (its benchmark loop, with a count that does not
// end): each call into faulty is short, so a watchdog that counted only the innermost call's
// ticks saw fresh faulty calls at most ticks and stopped null late or never (the campaign's seed
// 20, injection 34336: a hang in Bochs, whose ticks come at the same point of the loop every
// time). A call's ticks include its callees': null is stopped after the limit, in either ring.
void endless_calls_into_another_driver(Case& c) {
    drv::Driver* n = drv::by_name("null");
    drv::Driver* f = drv::by_name("faulty");
    if (!n || !f || !drv::find_gate("null.bench_loop")) return c.skip("the null and faulty drivers are not loaded");
    if (!(x86::eflags() & (1u << 9))) return c.fail("the self-test runs with IF = 0: no IRQ 0 could come");
    drvabi::Mode was = drv::isolation(drv::index_of(*n)).effective;
    const drvabi::Mode modes[] = {drvabi::kRing0, drvabi::kRing1};
    for (drvabi::Mode m : modes) {
        if (!drv::change_mode(*n, m).ok()) return c.fail("null could not be put in the ring");
        u32 faults = n->faults, f_faults = f->faults, stops = drv::watchdog_stops(), t = pit::ticks();
        ST_CHECK(c, drv::call("null.bench_loop", 0xFFFFFFFFu, 1) == drvabi::error_result(u32(Err::Fault)));
        u32 took = pit::ticks() - t;
        ST_CHECK(c, drv::watchdog_stops() == stops + 1 && n->faults == faults + 1 && f->faults == f_faults);
        if (took > drv::kWatchdogTicks + 10) kprintf("selftest:   stopped after %u ticks (limit %u)\n", took, drv::kWatchdogTicks);
        ST_CHECK(c, took <= drv::kWatchdogTicks + 10);
        ST_CHECK(c, drv::call("faulty.echo", 5) == 5 && drv::call("null.echo", 6) == 6);
    }
    ST_CHECK(c, drv::change_mode(*n, was).ok());
}

void load_foreign_selectors(Case& c) {
    // A not-present descriptor (#NP) and a free GDT slot (#GP naming it): neither is the driver's.
    auto np = gdt::alloc("selftest", desc::segment(0x1000, 0xFFF, desc::Kind::DataRW, 0) & ~(u64(1) << 47));
    ST_CHECK(c, np.ok());
    check_contained(c, kLoadNotPresent, np.value(), false);
    (void)gdt::release(np.value());
    if (c.failed() || c.skipped()) return;
    auto free_slot = gdt::alloc("selftest", 0);
    ST_CHECK(c, free_slot.ok());
    ST_CHECK(c, gdt::release(free_slot.value()).ok());
    check_contained(c, kLoadFreeSelector, free_slot.value(), false);
}

}  // namespace

void suite_contain(Runner& r) {
    r.run("contain: read past the data limit (#GP)", read_past_limit);
    r.run("contain: write past the data limit (#GP)", write_past_limit);
    r.run("contain: write through the code selector (#GP)", write_code);
    r.run("contain: jump past the code limit (#GP)", jump_past_code);
    r.run("contain: an SS-relative read past the limit (#SS)", stack_segment_past_limit);
    r.run("contain: stack overflow (#DF through the task gate)", stack_overflow);
    r.run("contain: loading not-present and free selectors (#NP, #GP)", load_foreign_selectors);
    r.run("contain: a far jump into another driver's code blames the jumper", foreign_jump);
    r.run("contain: an IRQ export faulting under a call into its driver leaves the timer running", irq_fault_under_a_call);
    r.run("contain: divide by zero (#DE)", divide_by_zero);
    r.run("contain: a page fault (#PF) through a borrowed flat selector", page_fault);
    r.run("contain: invalid opcode (#UD)", invalid_opcode);
    r.run("contain: endless loop with interrupts on (watchdog)", endless_loop);
    r.run("contain: cli; jmp $ in ring 1 faults at the CLI (IOPL 0) and is contained", cli_loop_in_ring1);
    r.run("contain: an IRQ export that never returns, in ring 1 (IF = 1), is stopped by the watchdog",
          endless_irq_export_in_ring1);
    r.run("contain: a driver that far-calls another in an endless loop is stopped by the watchdog (ring 0, ring 1)",
          endless_calls_into_another_driver);
    r.run("contain: SYSENTER inside a driver call (ring 0, then ring 1) aborts the call", sysenter_in_driver);
    r.run("contain: an IRET out of the driver's ring (to ring 3, from ring 0 to virtual-8086 mode) inside its call "
          "is the driver's fault", leave_ring);
    r.run("contain: a far call through a system-call gate inside a driver call (ring 0, ring 1) aborts the call",
          syscall_gate_in_driver);
}

}  // namespace selftest
