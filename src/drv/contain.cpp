#include "src/drv/contain.hpp"
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/fault_decode.hpp"
#include "src/console.hpp"
#include "src/panic.hpp"
#include "src/dev/pic.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/stubs.hpp"
#include "src/drv/stub_fill.hpp"
#include "src/drv/symbols.hpp"
#include "src/lib/demangle.hpp"
#include "src/trap/frame.hpp"

namespace drv {
namespace {
u32 g_contained = 0;
u32 g_watchdog_ticks = kWatchdogTicks;
u32 g_watchdog_stops = 0;
u8 g_last_vector = 0;  // the last exception contain_fault saw
LastFault g_last{};
// The aborted call's record, copied out: after the abort the records are free again, and the
// report and the reload make gate calls (console output) that reuse them. gh_abort_return reads
// the copy with IF = 0 right after the trap returns.
CallRecord g_resume_rec;
alignas(16) u8 g_df_resume_stack[256];  // gh_abort_return switches away at once

// The calls in flight in the code a trap interrupted: trap entry moves the record top up by one
// for the trap itself (TrapFrame.calls_top keeps the interrupted one); a #DF arrives through a task
// gate, without that step. Set by each entry point below before anything reads the records.
u32 g_live_depth = 0;

struct Resume {
    u32 eip, eax, ebx, calls_top;
};

// The IRQs being handled, innermost last, each with the number of driver calls in flight when it
// came and whether its EOI is still owed. IRQ handlers switch no thread, so one list serves every
// thread. Only ring-1 handlers run with IF = 1, and a line that comes again while its handlers run
// is not nested further (src/drv/irq_route.cpp): at most one frame per line, and one more.
struct IrqFrame {
    u8 line;
    bool owed;
    u32 depth;
};
IrqFrame g_irq_frames[17];
u32 g_irq_count = 0;
u32 g_irq_overflow = 0;  // irq_enter found the list full (cannot happen, see above): not recorded

// Resuming at call depth `depth`: every IRQ that interrupted a deeper call is abandoned with its
// handler. Found by the fault-injection campaign (seed 1, injection 72: null.irq0 faulted while
// null.spin ran; the abort skipped the EOI and the machine hung at the next wait for a tick).
void abandon_irqs_above(u32 depth) {
    while (g_irq_count && g_irq_frames[g_irq_count - 1].depth > depth) {
        g_irq_count--;
        if (g_irq_frames[g_irq_count].owed) pic::end_irq(g_irq_frames[g_irq_count].line);
    }
}

// Abort every in-flight call into driver `di` on this thread (the outermost one and everything
// nested in it), reload the driver, and say where the outermost caller resumes.
bool abort_calls(u32 di, u32 err, Resume* out) {
    // Only the current thread can be inside a driver: threads are switched out only from ring 3
    // or while blocked in wait, never during a driver call (src/proc/sched.cpp). So "every
    // in-flight call into the driver" is in gh_calls, and the stacks it frees are no one else's.
    Calls& t = gh_calls;
    u32 depth = g_live_depth, i = 0;
    while (i < depth && (!is_call(i) || driver_of(i) != di)) i++;
    if (i == depth) return false;
    for (u32 j = depth; j-- > i;)
        if (u32 callee = driver_of(j); callee != kKernelDriver) gh_drivers[callee].aborted++;
    // The outermost ring-1 entry among the aborted ones saved the esp0 before it just below its
    // caller's frame and the I/O ports before it in its record: what the resumed caller runs with
    // again. The outermost domain entry among them saved the GDT image the caller ran on right
    // above that esp0 (gh_abort_return loads it); with none, the caller's image is still loaded.
    // The slots are on the kernel stack, or on a ring-0 caller's own (the stubs' slow path).
    auto below_caller = [&](u32 j, u32 bytes) {
        const CallRecord& r = t.rec[j];
        u32 base = r.caller_ss == gdt::kKernelDS ? 0 : desc::decode(gdt::get(gdt::index_of(u16(r.caller_ss)))).base;
        return *reinterpret_cast<const u32*>(uptr(base + r.caller_esp - bytes));
    };
    for (u32 j = i; j < depth; j++) {
        u32 callee = driver_of(j);
        if (!is_call(j) || callee == kKernelDriver || !is_domain(callee)) continue;
        GdtrImage* saved = reinterpret_cast<GdtrImage*>(uptr(below_caller(j, 4)));
        if (!is_gdt_image(saved)) {  // never LGDT something that is no table's image
            bool m = console::muted();
            console::set_muted(false);
            kprintf("contain: the GDT image saved by the call into %s at depth %u is %p, no table's; the kernel's "
                    "is loaded (record: esp %08x ss %04x; esp0 slot %08x)\n", get(callee).name, j, saved,
                    t.rec[j].caller_esp, u32(t.rec[j].caller_ss), below_caller(j, 8));
            console::set_muted(m);
            saved = &gh_gdtr_main;
        }
        gh_gdt_current = saved;
        break;
    }
    // A stray far call through the domains' return gate by a driver outside domains named a
    // bogus image before its LGDT faulted: name the one loaded.
    if (!is_gdt_image(gh_gdt_current)) gh_gdt_current = loaded_gdt_image();
    for (u32 j = i; j < depth; j++) {
        u32 callee = driver_of(j);
        if (!is_call(j) || callee == kKernelDriver || gh_drivers[callee].ring == 0) continue;
        // (A ring-0 caller's slots were not found before: a #PF panic, a ring-0 null looping on
        // calls into a ring-1 faulty, stopped by the watchdog.)
        tss::main_tss.esp0 = below_caller(j, is_domain(callee) ? 8 : 4);
        (void)switch_io_ports(t.rec[j].ports);
        break;
    }
    g_resume_rec = t.rec[i];
    for (u32 j = i; j < kMaxRecords; j++) gh_call_guards[j / 32] &= ~(1u << (j % 32));  // their traps are abandoned
    t.top = i * sizeof(CallRecord);  // the trap's own calls (the report, the reload) go on from here
    abandon_irqs_above(i);
    *out = {u32(uptr(&gh_abort_return)), drvabi::error_result(err), u32(uptr(&g_resume_rec)), t.top};
    return true;
}

void reload_after_fault(Driver& d) {
    d.faults++;
    g_contained++;
    if (d.initializing) {
        // Its init faulted: reloading would run the same init again, forever. Leave it down;
        // calls into it answer "unsupported".
        d.initializing = false;
        d.state = State::Failed;
        gh_drivers[index_of(d)].up = 0;
        kprintf("driver: %s faulted in its init; left down\n", d.name);
        return;
    }
    Result<void> r = reload(d);
    if (r.ok())
        kprintf("driver: %s reloaded from its pristine image into the same selectors (restart %u)\n", d.name,
                d.restarts);
    else
        kprintf("driver: %s could not be reloaded (%s); it stays down\n", d.name, err_name(r.error()));
}

void report_location(const Driver& d, u32 eip) {
    if (console::muted()) return;  // the symbol search and the demangling print nothing (the campaign)
    u32 off = 0;
    const char* sym = symbolize(d, eip, &off);
    kprintf("driver: fault in %s (cs=0x%04x ds=0x%04x) at %04x:%08x", d.name, u32(d.cs), u32(d.ds), u32(d.cs), eip);
    char readable[160];
    if (eip >= d.image.code_size) kprintf(" past the code limit (code ends at 0x%x)", d.image.code_size);
    else if (sym && demangle(sym, readable, sizeof readable)) kprintf(" in %s+0x%x", readable, off);
    else if (sym) kprintf(" in %s+0x%x", sym, off);
    kprintf("\n");
}

// The driver a fault in code selector `cs` is blamed on. Driver code runs inside a call into that
// driver (its gate switched CS), so it is the innermost call's callee — unless that callee strayed
// into another driver's code selector by a direct far jmp/call/ret (ring 0 can: DESIGN, "What
// ring 0 cannot enforce"). Then the stray callee is to blame: the code it ran is intact (no
// driver can write code) and ran with the stray driver's DS and SS, and the other driver was
// never entered, so only the stray one is aborted and reloaded. Found by the fault-injection
// campaign (seed 1, injection 13: vga far-jumped into ramdisk's code; the kernel panicked).
Driver* culprit(u16 cs, Driver** owner) {
    *owner = by_cs(cs);
    if (!*owner) return nullptr;
    if (g_live_depth == 0) return *owner;
    u32 top = driver_of(g_live_depth - 1);
    if (top == kKernelDriver || top == index_of(**owner) || get(top).state == State::Empty) return *owner;
    return &get(top);
}

// The innermost call's callee when it is a loaded driver (nullptr: no call in flight, a call into
// the kernel, or a driver unloaded since).
Driver* innermost_callee() {
    if (g_live_depth == 0 || driver_of(g_live_depth - 1) == kKernelDriver) return nullptr;
    Driver& top = get(driver_of(g_live_depth - 1));
    return top.state != State::Empty ? &top : nullptr;
}

// A fault with the kernel's CS but the innermost callee's data segment (`seg`: SS in a #DF's
// saved state, DS in a trap frame) is that driver's: kernel code switches to the kernel's DS and
// stack before it touches anything of the kernel's, so what ran was either a stub's first pushes
// on the driver's exhausted stack (a fault that left room for the CPU's frame but not for the trap
// entry's pushes: #DF in trap_stub_NN; seed 1, injection 2513) or code the driver reached by a
// stray far transfer into the kernel's code selector (seed 7, injection 536: a byte flipped in
// null's code; #GP at a kernel-CS address outside the kernel). Both found by the campaign; both
// panicked. What such code did is bounded by the segments it had, and the campaign's checksums
// say whether that held.
Driver* on_driver_segments(u16 cs, u16 seg) {
    if ((cs & ~3) != gdt::kKernelCS || (seg & ~3) == gdt::kKernelDS) return nullptr;
    Driver* top = innermost_callee();
    return top && (top->ds & ~3) == (seg & ~3) ? top : nullptr;
}

// Code with a program's privilege (CPL 2 or 3), or in virtual-8086 mode, inside a driver call
// was sent there by the innermost driver: an IRET or RETF to an outer ring (from ring 0 or 1), or
// an IRET with EFLAGS.VM set (only CPL 0 can). No program runs inside a driver call: a thread runs
// its program only between them. Found by the campaign (seed 70, injection 1355): a byte of null's
// code became IRET, which popped its caller's EDI as EFLAGS, VM set; the first fault in
// virtual-8086 mode found TSS.esp0 = 0 (the kernel thread has no ring-3 entry) and became a #DF,
// and the #DF handler, seeing CS = 0001 owned by nobody, panicked.
constexpr u32 kEflagsVm = 1u << 17;
Driver* escaped(u16 cs, u32 eflags) {
    return (eflags & kEflagsVm) || (cs & 3) >= 2 ? innermost_callee() : nullptr;
}
const char* escape_name(u16 cs, u32 eflags) {
    return eflags & kEflagsVm ? "virtual-8086 mode" : (cs & 3) == 3 ? "ring 3" : "ring 2";
}
// The interrupted CS:EIP is in `owner`'s code (not a V86 segment, not a program's selector).
bool in_code_of(const Driver& owner, u16 cs, u32 eflags) { return !(eflags & kEflagsVm) && by_cs(cs) == &owner; }

// `owner`: whose code selector the trap interrupted (for the location); `stray`: a driver other
// than the owner ran it (a far transfer into the owner's code), said as such.
bool contain(TrapFrame& f, Driver& owner, Driver& d, const char* what, bool stray = true) {
    g_last = {u8(f.vector), u16(f.cs), f.eip, d.name};
    if ((f.cs & ~3) != gdt::kKernelCS && in_code_of(owner, u16(f.cs), f.eflags)) report_location(owner, f.eip);
    if (&owner != &d && stray)
        kprintf("driver: %s strayed into %s's code selector (a direct far transfer): %s is to blame\n", d.name,
                owner.name, d.name);
    kprintf("driver: %s; aborting the calls into %s\n", what, d.name);
    Resume r;
    if (!abort_calls(index_of(d), u32(Err::Fault), &r)) return false;
    reload_after_fault(d);
    f.eip = r.eip;
    f.cs = gdt::kKernelCS;
    f.eflags = 0x2;  // IF = 0 until gh_abort_return restores the caller's flags
    f.eax = r.eax;
    f.ebx = r.ebx;
    f.ds = f.es = gdt::kKernelDS;
    f.fs = f.gs = 0;
    f.ret_ss = 0;    // the frame is on the kernel stack: return in place
    f.calls_top = r.calls_top;
    return true;
}
}  // namespace

// A fault with the kernel's CS inside the generated entry stubs: stubs are never entered but at
// their first byte by a gate or a patched call, and they fault nowhere, so this is a driver's far
// transfer into the middle of one (a corrupted import slot or patched site: the campaign's seed 7,
// injection 1614 landed on null.irq0's stub + 1). The innermost call's callee made it.
Driver* in_stub_area(u16 cs, u32 eip) {
    u32 area = u32(uptr(gh_stub_area));
    bool back = eip >= u32(uptr(&gh_ring1_back)) && eip < u32(uptr(gh_ring1_back_end));  // a stray call
    if ((cs & ~3) != gdt::kKernelCS || ((eip < area || eip - area >= kMaxExportIds * kStubBytes) && !back)) return nullptr;
    return innermost_callee();
}

bool contain_fault(TrapFrame& f) {
    g_live_depth = f.calls_top / sizeof(CallRecord);
    g_last_vector = u8(f.vector);
    Driver* owner;
    Driver* d = culprit(u16(f.cs), &owner);
    if (!d && (d = owner = on_driver_segments(u16(f.cs), u16(f.ds))))
        kprintf("driver: the kernel's code selector ran with %s's segments (a stray far transfer, or a gate entered "
                "on an exhausted stack): %s is to blame\n", d->name, d->name);
    if (!d && (d = owner = in_stub_area(u16(f.cs), f.eip)))
        kprintf("driver: a fault inside a gate stub, not at its entry (a stray far transfer from %s): %s is to blame\n",
                d->name, d->name);
    if (!d) return false;
    return contain(f, *owner, *d, exception_name(f.vector));
}

bool contain_escape(TrapFrame& f) {
    g_live_depth = f.calls_top / sizeof(CallRecord);
    Driver* d = escaped(u16(f.cs), f.eflags);
    if (!d) return false;
    g_last_vector = u8(f.vector);
    // This trap came through TSS.esp0, which a ring-0 callee's call never moves (ring-1 stubs
    // put it below their frames): the CPU's frame and trap entry's went on the thread's live
    // kernel frames, which no abort can return through. (In the kernel thread TSS.esp0 is 0 and
    // the same escape is a #DF, contained below.) Ring 0 has no wall here; ring 1 has.
    if (running_mode(index_of(*d)) == drvabi::kRing0)
        panic("driver: %s left ring 0 for %s inside its call (%s at %04x:%08x): the trap frame went on the "
              "thread's kernel stack at TSS.esp0, over live frames (ring 0 cannot contain this; ring 1 can)",
              d->name, escape_name(u16(f.cs), f.eflags), exception_name(f.vector), u32(f.cs & 0xFFFF), f.eip);
    kprintf("driver: %s left its ring for %s inside its call (%s at %04x:%08x): %s is to blame\n", d->name,
            escape_name(u16(f.cs), f.eflags), exception_name(f.vector), u32(f.cs & 0xFFFF), f.eip, d->name);
    return contain(f, *d, *d, "an IRET or RETF out of its ring", false);
}

// Each tick counts against every driver call in flight above the innermost call into a kernel
// service: a call's ticks are the time since it began, its callees' time included (a driver that
// loops calling another is as stuck as one that loops alone: the campaign's seed 20, injection
// 34336 returned into null's benchmark loop of far calls to faulty.echo, whose fresh records took
// every tick while null's never reached the limit: a hang). Time inside a kernel service counts
// for no driver. The innermost call over the limit is an endless loop; its driver is aborted at a
// tick that interrupts driver code or a gate stub — never the kernel's own code half-way.
bool watchdog(TrapFrame& f) {
    g_live_depth = f.calls_top / sizeof(CallRecord);
    constexpr u32 kNone = ~0u;
    u32 over = kNone;
    for (u32 j = g_live_depth; j-- > 0;) {
        if (!is_call(j)) continue;
        if (driver_of(j) == kKernelDriver) break;
        CallRecord& r = gh_calls.rec[j];
        if (r.ticks < 0xFFFF) r.ticks++;
        if (r.ticks >= g_watchdog_ticks && over == kNone) over = j;
    }
    if (over == kNone) return false;
    Driver* where = f.eflags & kEflagsVm ? nullptr : by_cs(u16(f.cs));  // V86: CS is a paragraph
    u32 eip = f.eip;
    bool in_gate_code = (f.cs & ~3) == gdt::kKernelCS &&
                        (in_stub_area(u16(f.cs), eip) ||
                         (eip >= u32(uptr(&gh_ring1_back)) && eip < u32(uptr(gh_ring1_back_end))));
    bool outside = escaped(u16(f.cs), f.eflags) != nullptr;  // a program's ring or V86 mode, inside the call
    if (!where && !in_gate_code && !outside) return false;  // kernel code: the next tick
    Driver& d = get(driver_of(over));
    kprintf("trap: watchdog: a call into %s has run %u ticks with interrupts on%s%s\n", d.name,
            u32(gh_calls.rec[over].ticks), where && where != &d ? ", now in " : "", where && where != &d ? where->name : "");
    g_watchdog_stops++;
    return contain(f, where ? *where : d, d, "endless loop (watchdog)", false);
}

bool contain_double_fault(Tss& back) {
    g_live_depth = gh_calls.depth();
    Driver* owner = nullptr;
    Driver* d = nullptr;
    // In virtual-8086 mode CS is a paragraph number, which may equal some driver's selector.
    if (!(back.eflags & kEflagsVm)) d = culprit(back.cs, &owner);
    if (!d && (d = owner = on_driver_segments(back.cs, back.ss)))
        kprintf("trap: #DF in the kernel's trap entry on %s's stack: its fault left too little stack for the entry\n",
                d->name);
    if (!d && (d = owner = escaped(back.cs, back.eflags)))
        kprintf("trap: #DF in %s, where %s went inside its call (a fault there found no ring-0 stack: TSS.esp0 = %08x)\n",
                escape_name(back.cs, back.eflags), d->name, tss::main_tss.esp0);
    else if (d)
        kprintf("trap: #DF in a driver: most likely its stack overflowed (a fault that could not be delivered "
                "on the same stack)\n");
    if (!d) return false;
    if (back.cs != gdt::kKernelCS && in_code_of(*owner, back.cs, back.eflags)) report_location(*owner, back.eip);
    if (owner != d) kprintf("driver: %s strayed into %s's code selector: %s is to blame\n", d->name, owner->name, d->name);
    Resume r;
    if (!abort_calls(index_of(*d), u32(Err::Fault), &r)) return false;
    reload_after_fault(*d);
    back.eip = r.eip;
    back.cs = gdt::kKernelCS;
    back.eflags = 0x2;
    back.eax = r.eax;
    back.ebx = r.ebx;
    back.ds = back.es = back.ss = gdt::kKernelDS;
    back.fs = back.gs = 0;
    back.esp = u32(uptr(g_df_resume_stack + sizeof(g_df_resume_stack)));
    return true;
}

u32 contained_faults() { return g_contained; }
u32 watchdog_stops() { return g_watchdog_stops; }
u8 last_contained_vector() { return g_last_vector; }
LastFault last_contained() { return g_last; }

// A system call inside a driver call (src/proc/syscall_entry.asm, in_driver_call): SYSENTER
// (caller_cs = 0) or a far call through a system-call gate (caller_cs = its CS). Only programs
// make system calls, and never inside a driver call: the innermost driver did, directly or from
// code it sent to ring 3 or 2. Its calls are aborted as for a fault, and the caller resumes
// through gh_abort_return with the record returned here.
extern "C" u32 gh_contain_entry(u32 caller_cs) {
    g_live_depth = gh_calls.depth();
    u32 i = g_live_depth;
    while (i > 0 && driver_of(i - 1) == kKernelDriver) i--;
    const char* what = caller_cs ? "a system-call gate" : "SYSENTER";
    if (i == 0) panic("syscall: %s inside a call into the kernel only", what);
    Driver& d = get(driver_of(i - 1));
    // From ring 3 or 2 the gate switched to TSS.esp0, which a ring-0 callee's call never moves:
    // its frame went on the thread's live frames (ring 0 has no wall there; ring 1 has).
    if (caller_cs && (caller_cs & 3) >= 2 && running_mode(index_of(d)) == drvabi::kRing0)
        panic("driver: %s sent code to ring %u that called %s inside its call: the gate's frame went on the "
              "thread's kernel stack at TSS.esp0, over live frames (ring 0 cannot contain this; ring 1 can)",
              d.name, caller_cs & 3, what);
    if (caller_cs)
        kprintf("driver: %s called a system-call gate from ring %u inside a call (only programs make system calls, "
                "between driver calls); aborting the calls into %s\n", d.name, caller_cs & 3, d.name);
    else
        kprintf("driver: %s executed SYSENTER inside a call (only programs may: its SYSEXIT goes to ring 3); "
                "aborting the calls into %s\n", d.name, d.name);
    Resume r;
    if (!abort_calls(index_of(d), u32(Err::Fault), &r)) panic("syscall: %s: no call into %s to abort", what, d.name);
    reload_after_fault(d);
    return r.ebx;
}
void irq_enter(u8 line) {
    if (g_irq_count < sizeof g_irq_frames / sizeof g_irq_frames[0]) g_irq_frames[g_irq_count++] = {line, true, gh_calls.depth()};
    else g_irq_overflow++;
}
void irq_acknowledge() {
    IrqFrame* f = g_irq_count && !g_irq_overflow ? &g_irq_frames[g_irq_count - 1] : nullptr;
    if (!f || !f->owed) return;
    f->owed = false;
    pic::end_irq(f->line);
}
bool irq_handled_below(u8 line) {
    for (u32 i = 0; i + 1 < g_irq_count; i++)
        if (g_irq_frames[i].line == line) return true;
    return false;
}
void irq_leave(u8 line) {
    if (g_irq_overflow) {  // this IRQ was not recorded: its EOI is owed
        g_irq_overflow--;
        pic::end_irq(line);
        return;
    }
    if (!g_irq_count) return;
    g_irq_count--;
    if (g_irq_frames[g_irq_count].owed) pic::end_irq(line);
}
void set_watchdog_ticks(u32 ticks) { g_watchdog_ticks = ticks < 2 ? 2 : ticks > 0xFFFF ? 0xFFFF : ticks; }  // CallRecord.ticks
}  // namespace drv
