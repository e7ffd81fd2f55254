#include "src/drv/contain.hpp"
#include "drivers/lib/abi.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/fault_decode.hpp"
#include "src/console.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/symbols.hpp"
#include "src/lib/demangle.hpp"
#include "src/trap/frame.hpp"

namespace drv {
namespace {
u32 g_contained = 0;
// The aborted call's record, copied out: after the abort the thread's record slots are free
// again, and the report and the reload make gate calls (console output) that reuse them.
// gh_abort_return reads the copy with IF = 0 right after the trap returns.
CallRecord g_resume_rec;
alignas(16) u8 g_df_resume_stack[256];  // gh_abort_return switches away at once

struct Resume {
    u32 eip, eax, ebx;
};

// Abort every in-flight call into driver `di` on this thread (the outermost one and everything
// nested in it), reload the driver, and say where the outermost caller resumes.
bool abort_calls(u32 di, u32 err, Resume* out) {
    // Only the current thread can be inside a driver: threads are switched out only from ring 3
    // or while blocked in wait, never during a driver call (src/proc/sched.cpp). So "every
    // thread's in-flight call into the driver" is this thread's, and resetting the driver's
    // whole stack pool on reload frees no one else's slot.
    ThreadCalls& t = *gh_current_calls;
    u32 i = 0;
    while (i < t.depth && t.rec[i].driver != di) i++;
    if (i == t.depth) return false;
    for (u32 j = t.depth; j-- > i;) {
        CallRecord& r = t.rec[j];
        if (r.slot != kNoSlot) gh_drivers[r.driver].busy &= ~(1u << r.slot);
        gh_drivers[r.driver].calls++;
    }
    t.depth = i;
    t.kstack_esp = t.rec[i].prev_kstack;
    g_resume_rec = t.rec[i];
    *out = {u32(uptr(&gh_abort_return)), drvabi::error_result(err), u32(uptr(&g_resume_rec))};
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
    u32 off = 0;
    const char* sym = symbolize(d, eip, &off);
    kprintf("driver: fault in %s (cs=0x%04x ds=0x%04x) at %04x:%08x", d.name, u32(d.cs), u32(d.ds), u32(d.cs), eip);
    char readable[160];
    if (eip >= d.image.code_size) kprintf(" past the code limit (code ends at 0x%x)", d.image.code_size);
    else if (sym && demangle(sym, readable, sizeof readable)) kprintf(" in %s+0x%x", readable, off);
    else if (sym) kprintf(" in %s+0x%x", sym, off);
    kprintf("\n");
}

bool contain(TrapFrame& f, Driver& d, const char* what) {
    report_location(d, f.eip);
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
    return true;
}
}  // namespace

bool contain_fault(TrapFrame& f) {
    Driver* d = by_cs(u16(f.cs));
    if (!d) return false;
    return contain(f, *d, exception_name(f.vector));
}

bool watchdog(TrapFrame& f) {
    ThreadCalls& t = *gh_current_calls;
    if (t.depth == 0) return false;
    CallRecord& top = t.rec[t.depth - 1];
    if (top.driver == kKernelDriver || gh_tick_count - top.start_tick < kWatchdogTicks) return false;
    Driver* d = by_cs(u16(f.cs));
    if (!d || index_of(*d) != top.driver) return false;  // only while the driver's own code runs
    kprintf("trap: watchdog: %s has run %u ticks in one call with interrupts on\n", d->name,
            gh_tick_count - top.start_tick);
    return contain(f, *d, "endless loop (watchdog)");
}

bool contain_double_fault(Tss& back) {
    Driver* d = by_cs(back.cs);
    if (!d) return false;
    kprintf("trap: #DF in a driver: most likely its stack overflowed (a fault that could not be delivered "
            "on the same stack)\n");
    report_location(*d, back.eip);
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
}  // namespace drv
