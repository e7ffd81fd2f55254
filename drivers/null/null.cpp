// null: the smallest driver, for the benchmark and the call-path tests. `echo` returns its
// argument; `sum` adds its three; `via_gate`, `via_patched`
// and `nested` call into another driver (nested: A -> B -> A).
#include "drivers/lib/driver.hpp"

GH_DRIVER("null");

namespace {
GH_IMPORT(kernel_ticks, "kernel.ticks");
GH_IMPORT(faulty_echo, "faulty.echo");
GH_IMPORT(faulty_call_null, "faulty.call_null");
// Room before the call counter: the self-test's stray far jump runs null.echo on faulty's data
// segment, where this counter's offset must lie past faulty's limit (contain_cases.cpp,
// foreign_jump), whatever faulty's own data grows to.
[[gnu::used]] volatile u8 g_room[256] = {1};
u32 g_calls = 0;

GH_FN u32 nop(u32, u32, u32) { return 0; }
GH_FN u32 echo(u32 a, u32, u32) {
    g_calls++;
    return a;
}
GH_FN u32 sum(u32 a, u32 b, u32 c) { return a + b + c; }
// The EFLAGS this driver runs with: entry hygiene is checked from ring 3 through it.
GH_FN u32 flags(u32, u32, u32) { return x86::eflags(); }
GH_FN u32 calls(u32, u32, u32) { return g_calls; }
// Through the call gate of an import.
GH_FN u32 via_gate(u32 a, u32, u32) { return gh_call(faulty_echo, a); }
// null -> faulty -> null: the driver is entered again while it runs (a second stack slot).
GH_FN u32 nested(u32 a, u32, u32) { return gh_call(faulty_call_null, a); }
// Through a patched site: import 1 (faulty.echo), patched on first use into a direct far call.
GH_FN u32 via_patched(u32 a, u32, u32) { return GH_PATCHED_CALL(1, a, 0, 0); }
GH_FN u32 ticks(u32, u32, u32) { return gh_call(kernel_ticks); }
// The benchmark's driver -> driver case: n calls of faulty.echo (with = 1) or the same loop
// without them (with = 0); the kernel times both around one call each. with = 2: one call
// between the trace markers (bench=trace).
volatile u32 g_bench_n = 0;
GH_FN u32 bench_loop(u32 n, u32 with, u32) {
    if (n == 0) return 0;
    g_bench_n = n;
    if (with == 2) gh_bench_far_trace(faulty_echo);
    else if (with) gh_bench_far_loop(faulty_echo, &g_bench_n);
    else gh_bench_empty_loop(&g_bench_n);
    return 0;
}

// IRQ 0 enters null again while null.spin is running: a second stack slot, a nested entry.
volatile u32 g_irqs = 0;
volatile u32 g_irq0_faults = 0;  // set by spin(n, 1 or 2): the next irq0 runs ud2, or never returns
GH_FN u32 irq0(u32, u32, u32) {
    if (u32 how = g_irq0_faults) {
        g_irq0_faults = 0;
        if (how == 2)
            for (;;) asm volatile("" ::: "memory");  // only the watchdog ends it (with IF = 1: ring 1)
        asm volatile("ud2");
    }
    g_irqs = g_irqs + 1;
    return 0;
}
// spin(n, fault_irq): wait for n calls of irq0; with fault_irq 1 the first irq0 that comes while it
// waits faults (the self-test's "IRQ export faulting under a call into its driver": armed here,
// inside the call, it can only hit an irq0 that interrupts this spin); with 2 it never returns.
GH_FN u32 spin(u32 n, u32 fault_irq, u32) {
    // It waits for IRQ 0: with interrupts off none can come (an IRQ handler that ran into here
    // would spin 200 million times with IF = 0: the fault campaign's injection 2625 of seed 7).
    if (!(x86::eflags() & 0x200)) return drvabi::error_result(5);
    if (fault_irq) g_irq0_faults = fault_irq;
    u32 start = g_irqs;
    for (u32 i = 0; g_irqs - start < n; i++)
        if (i > 200000000) return drvabi::error_result(5);
    return g_irqs - start;
}
// arm_irq0(how): the next irq0 faults (1) or never returns (2). The kernel calls it with IF = 0,
// so that irq0 comes after the call, outside any call into null.
GH_FN u32 arm_irq0(u32 how, u32, u32) {
    g_irq0_faults = how;
    return 0;
}
// Fill a caller's buffer through a far pointer (checked), with a byte pattern.
GH_FN u32 fill(u32 len, u32 off, u32 sel) {
    u8 chunk[64];
    for (u32 i = 0; i < sizeof chunk; i++) chunk[i] = u8(0xA0 + i);
    u32 limit;
    if (!gh_far_limit(u16(sel), &limit) || !far_range_ok(off, len, limit)) return drvabi::error_result(2);
    for (u32 done = 0; done < len; done += sizeof chunk) {
        u32 n = len - done < sizeof chunk ? len - done : sizeof chunk;
        u32 r = gh_copy_to_far(FarPtr<u8>(u16(sel), off + done), chunk, n);
        if (drvabi::is_error(r)) return r;
    }
    return len;
}
}  // namespace

GH_EXPORT_FOR(nop, "null.nop", drvabi::kForPrograms);
GH_EXPORT_FOR(echo, "null.echo", drvabi::kForPrograms);
GH_EXPORT_FOR(sum, "null.sum", drvabi::kForPrograms);
GH_EXPORT_FOR(flags, "null.flags", drvabi::kForPrograms);
GH_EXPORT_FOR(calls, "null.calls", drvabi::kForPrograms);
GH_EXPORT(via_gate, "null.via_gate");
GH_EXPORT(nested, "null.nested");
GH_EXPORT(via_patched, "null.via_patched");
GH_EXPORT(ticks, "null.ticks");
GH_EXPORT_FOR(irq0, "null.irq0", drvabi::kForKernel);
GH_EXPORT(spin, "null.spin");
GH_EXPORT_FOR(arm_irq0, "null.arm_irq0", drvabi::kForKernel);
GH_EXPORT(fill, "null.fill");
GH_EXPORT_FOR(bench_loop, "null.bench_loop", drvabi::kForKernel);
