#include "src/bench/bench.hpp"
#include "src/drv/stub_fill.hpp"
#include "gdt/layout.hpp"
#include "drivers/lib/abi.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/bench/stats.hpp"
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/isolation.hpp"
#include "src/proc/internal.hpp"

extern "C" void bench_near_target();
// src/bench/bench_asm.asm: the operation n times with IF = 0 (far_pointer: offset, then selector).
extern "C" void bench_loop_empty(u32 n, const void* far_pointer);
extern "C" void bench_loop_near(u32 n, const void* far_pointer);
extern "C" void bench_loop_far(u32 n, const void* far_pointer);
// bench=trace: the operation once between two magic breakpoints (bench_asm.asm, BENCH_TRACE).
extern "C" void bench_trace_near(const void* far_pointer);
extern "C" void bench_trace_far(const void* far_pointer);

namespace bench {
namespace {
u32 g_batch = 16;               // calls per sample: the timer's own cost is spread over them
bool g_pit = false;             // PIT timing: no TSC (or bench=pit)
bool g_trace = false;           // bench=trace: each case once more between magic breakpoints
constexpr u32 kSamples = 101;
constexpr u32 kWarmup = 8;
u32 g_samples[kSamples];

// RDTSC after CPUID where CPUID exists: CPUID serializes, so earlier instructions have finished
// ([intel/vol2] RDTSC). The serializing cost is the same in every sample and is subtracted.
// PIT input clocks since boot: the tick count and channel 0's latched down-counter, read again
// if a tick came in between.
u64 pit_stamp() {
    for (;;) {
        u32 t0 = pit::ticks();
        x86::outb(0x43, 0x00);  // latch channel 0
        u32 lo = x86::inb(0x40);
        u32 hi = x86::inb(0x40);
        if (pit::ticks() == t0) return pit_clocks(t0, lo | (hi << 8), pit::divisor(pit::kTickHz));
    }
}

u64 stamp() {
    if (g_pit) return pit_stamp();
    if (cpu::info().has_cpuid) {
        u32 a, b, c, d;
        x86::cpuid(0, &a, &b, &c, &d);
    }
    return x86::rdtsc();
}

struct [[gnu::packed]] FarPtr {
    u32 offset;
    u16 selector;
};
using Loop = void (*)(u32, const void*);

// One batch: the loop around g_batch operations, between two stamps, with interrupts off from
// before the first stamp to after the second (no IRQ falls into a kernel batch).
u32 batch(Loop loop, const FarPtr* target) {
    for (;;) {
        u32 flags = x86::eflags();
        x86::cli();
        u64 t0 = stamp();
        loop(g_batch, target);
        u64 t1 = stamp();
        x86::set_eflags(flags);
        // The PIT counter can wrap just before its tick is counted: such a sample runs backwards
        // (or by a whole tick too far). Take it again.
        if (t1 >= t0 && (!g_pit || t1 - t0 < pit::divisor(pit::kTickHz) * 50u)) return u32(t1 - t0);
    }
}

// Ticks per call: TSC ticks as they are; PIT clocks in nanoseconds (838.1 ns each).
u32 per_call(u32 t, u32 overhead) {
    u32 d = t > overhead ? t - overhead : 0;
    if (!g_pit) return d / g_batch;
    if (d > 5000000) d = 5000000;  // 4 s: keeps d * 838 in 32 bits (no 64-bit division: no libgcc)
    return d * 838 / g_batch;
}

BenchStats measure(Loop loop, const FarPtr* target, u32 overhead) {
    for (u32 i = 0; i < kWarmup; i++) (void)batch(loop, target);
    for (u32 s = 0; s < kSamples; s++) {
        g_samples[s] = per_call(batch(loop, target), overhead);
    }
    return bench_stats(g_samples, kSamples);
}

void report(const char* key, const char* label, BenchStats s) {
    kprintf("bench: %-47s%8u%8u%8u\n", label, s.min, s.median, s.p99);  // 78 columns: fits 80x25
    console::LogOnly log;  // the CSV is for the tools reading the serial log, not for the screen
    kprintf("BENCH,%s,%s,%u,%u,%u,%u\n", key, g_pit ? "pit-ns" : "tsc", s.min, s.median, s.p99, kSamples * g_batch);
}

// bench=trace: the case's operation once more, warm (measure ran it), between the two markers,
// interrupts off; the line after it names the trace (Bochs writes the trace, the serial line
// says whose it is: tools/bench_trace.py pairs them in order).
void trace(const char* key, const char* label, void (*fn)(const void*), const FarPtr* target) {
    if (!g_trace) return;
    // With interrupts off, as the measured batches run with IRQ 0 masked: a tick inside the traced
    // call added its handler to the trace (a CI run: d2d_ring1 traced 642 against a median of 39).
    u32 flags = x86::eflags();
    x86::cli();
    fn(target);
    x86::set_eflags(flags);
    console::LogOnly log;
    kprintf("BENCHTRACE,%s,ok,%s\n", key, label);
}

// Driver -> driver: null.bench_loop times n calls of faulty.echo from inside null, and the same
// loop without them; the difference is the path alone (drivers/lib/driver.hpp).
u16 g_bench_loop_gate = 0;
void d2d_calls(u32 n, const void*) { (void)gh_call_gate(g_bench_loop_gate, n, 1, 0); }
void d2d_empty(u32 n, const void*) { (void)gh_call_gate(g_bench_loop_gate, n, 0, 0); }
// The trace markers in null's image (drivers/lib/driver.hpp, gh_bench_far_trace): the two no-ops
// around its one `lcall *m32` (FF 1D), turned into magic breakpoints for the traced call only.
u8* find_trace_markers(const drv::Driver& d) {
    auto* code = reinterpret_cast<u8*>(uptr(d.code_base));
    for (u32 i = 0; i + 12 <= d.image.code_size; i++)
        if (code[i] == 0x8D && code[i + 1] == 0x76 && code[i + 2] == 0 && code[i + 3] == 0xFF && code[i + 4] == 0x1D &&
            code[i + 9] == 0x8D && code[i + 10] == 0x76 && code[i + 11] == 0)
            return code + i;
    return nullptr;
}
void set_markers(u8* at, bool magic) {
    const u8 nop[3] = {0x8D, 0x76, 0x00}, brk[3] = {0x66, 0x87, 0xDB};
    for (u32 k = 0; k < 3; k++) at[k] = at[9 + k] = magic ? brk[k] : nop[k];
}
void d2d_trace(const void*) {
    u8* at = find_trace_markers(*drv::by_name("null"));
    if (!at) {
        kprintf("bench: null's trace markers are not where drivers/lib/driver.hpp puts them\n");
        return;
    }
    set_markers(at, true);
    (void)gh_call_gate(g_bench_loop_gate, 1, 2, 0);
    set_markers(at, false);
}

// The kernel -> driver and driver -> driver rows in each mode (issue 11, point 5): null and
// faulty are put in ring 0, then ring 1, then GDT domains (drv::change_mode), then back as they were.
void driver_cases_by_mode(const drv::GateEntry* nop, u32 overhead) {
    drv::Driver* null = drv::by_name("null");
    drv::Driver* faulty = drv::by_name("faulty");
    const drv::GateEntry* loop = drv::find_gate("null.bench_loop");
    if (!null || !faulty || !loop) {
        kprintf("bench: null or faulty is not loaded: no per-ring driver cases\n");
        return;
    }
    g_bench_loop_gate = loop->gate;
    drvabi::Mode null_was = drv::isolation(drv::index_of(*null)).effective;
    drvabi::Mode faulty_was = drv::isolation(drv::index_of(*faulty)).effective;
    static FarPtr gate1, direct1;
    struct Row {
        drvabi::Mode mode;
        const char *d2d_key, *d2d_label;
        const char *gate_key, *gate_label, *direct_key, *direct_label;  // kernel -> null (not in ring 0: the rows above)
    };
    const Row rows[] = {
        {drvabi::kRing0, "d2d_ring0", "null -> faulty.echo and back, both in ring 0", nullptr, nullptr, nullptr, nullptr},
        {drvabi::kRing1, "d2d_ring1", "null -> faulty.echo and back, both in ring 1", "far_call_gate_ring1",
         "kernel -> null.nop by gate, null in ring 1", "far_call_direct_ring1", "kernel -> null.nop direct, null in ring 1"},
        {drvabi::kRing1Domains, "d2d_domains", "null -> faulty.echo and back, both domains",
         "far_call_gate_domains", "kernel -> null.nop by gate, null in domain", "far_call_direct_domains",
         "kernel -> null.nop direct, null in domain"},
    };
    for (const Row& r : rows) {
        if (!drv::change_mode(*null, r.mode).ok() || !drv::change_mode(*faulty, r.mode).ok() ||
            drv::running_mode(drv::index_of(*null)) != r.mode) {
            kprintf("bench: null and faulty could not be put in %s\n", drv::mode_name(r.mode));
            continue;
        }
        if (r.gate_key) {
            gate1 = {0, nop->gate};
            report(r.gate_key, r.gate_label, measure(bench_loop_far, &gate1, overhead));
            trace(r.gate_key, r.gate_label, bench_trace_far, &gate1);
            direct1 = {gh_entry_stubs[nop->export_id], gdt::kKernelCS};
            report(r.direct_key, r.direct_label, measure(bench_loop_far, &direct1, overhead));
            trace(r.direct_key, r.direct_label, bench_trace_far, &direct1);
        }
        u32 empty = 0xFFFFFFFF;
        for (u32 i = 0; i < 32; i++) {
            u32 t = batch(d2d_empty, nullptr);
            if (t < empty) empty = t;
        }
        report(r.d2d_key, r.d2d_label, measure(d2d_calls, nullptr, empty));
        trace(r.d2d_key, r.d2d_label, d2d_trace, nullptr);
    }
    (void)drv::change_mode(*null, null_was);
    (void)drv::change_mode(*faulty, faulty_was);
}
}  // namespace

bool tracing() { return g_trace; }

void run_kernel_cases(bool force_pit, bool trace_cases) {
    g_pit = force_pit || !cpu::info().tsc;
    g_trace = trace_cases && !g_pit;
    if (g_trace) {  // code no ELF holds, for tools/bench_trace.py's symbols: the SYSENTER stub page
        console::LogOnly log;
        kprintf("BENCHCODE,sysenter_stub,%08x,%u,%u\n", proc::kStubPage, proc::kStubBytes, proc::kMaxSyscalls);
        kprintf("BENCHCODE,entry_stub,%08x,%u,%u\n", u32(uptr(gh_stub_area)), drv::kStubBytes, drv::kMaxExportIds);
    }
    g_batch = g_pit ? 256 : 16;  // the PIT counts 838 ns: many calls per sample
    const drv::GateEntry* nop = drv::find_gate("null.nop");
    if (g_pit)
        kprintf("bench: PIT timing (%s): nanoseconds per call from the 1193182 Hz\n"
                "bench: PIT counter (838 ns resolution per sample of %u calls; %u samples):\n"
                "bench: host time in an emulator\n",
                cpu::info().tsc ? "forced by bench=pit" : "this CPU has no TSC", g_batch, kSamples);
    else
        kprintf("bench: ticks per call (min, median, p99 over %u samples of %u calls):\n"
                "bench: instructions in Bochs and QEMU -icount, host time in plain QEMU,\n"
                "bench: cycles on real hardware\n",
                kSamples, g_batch);
    kprintf("bench: %-47s%8s%8s%8s\n", "case", "min", "median", "p99");
    // The same loop without the operation, subtracted from every case: a figure is the path alone.
    u32 overhead = 0xFFFFFFFF;
    for (u32 i = 0; i < 32; i++) {
        u32 t = batch(bench_loop_empty, nullptr);
        if (t < overhead) overhead = t;
    }
    report("near_call", "near call + ret (baseline)", measure(bench_loop_near, nullptr, overhead));
    trace("near_call", "near call + ret (baseline)", bench_trace_near, nullptr);
    if (!nop) {
        kprintf("bench: the null driver is not loaded: no driver cases\n");
        return;
    }
    static FarPtr gate, direct, service;
    gate = {0, nop->gate};
    report("far_call_gate", "kernel -> null.nop through its call gate", measure(bench_loop_far, &gate, overhead));
    trace("far_call_gate", "kernel -> null.nop through its call gate", bench_trace_far, &gate);
    direct = {gh_entry_stubs[nop->export_id], gdt::kKernelCS};
    report("far_call_direct", "kernel -> null.nop by direct far call (patched)", measure(bench_loop_far, &direct, overhead));
    trace("far_call_direct", "kernel -> null.nop by direct far call (patched)", bench_trace_far, &direct);
    const drv::GateEntry* kecho = drv::find_gate("kernel.echo");
    if (kecho) {
        service = {0, kecho->gate};
        report("kernel_service_gate", "kernel.echo through its call gate (no switch)", measure(bench_loop_far, &service, overhead));
        trace("kernel_service_gate", "kernel.echo through its call gate (no switch)", bench_trace_far, &service);
    }
    driver_cases_by_mode(nop, overhead);
}
}  // namespace bench
