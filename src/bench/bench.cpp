#include "src/bench/bench.hpp"
#include "drivers/lib/abi.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/bench/stats.hpp"
#include "src/console.hpp"
#include "src/drv/registry.hpp"

extern "C" void bench_near_target();
extern "C" u32 bench_direct_far(u32 stub_offset, u32 a);

namespace bench {
namespace {
constexpr u32 kBatch = 16;      // calls per sample: the timer's own cost is spread over them
constexpr u32 kSamples = 101;
constexpr u32 kWarmup = 8;
u32 g_samples[kSamples];

// RDTSC after CPUID where CPUID exists: CPUID serializes, so earlier instructions have finished
// ([intel/vol2] RDTSC). The serializing cost is the same in every sample and is subtracted.
u64 stamp() {
    if (cpu::info().has_cpuid) {
        u32 a, b, c, d;
        x86::cpuid(0, &a, &b, &c, &d);
    }
    return x86::rdtsc();
}

template <class F>
u32 batch(F&& body) {
    u64 t0 = stamp();
    for (u32 i = 0; i < kBatch; i++) body();
    return u32(stamp() - t0);
}

template <class F>
BenchStats measure(F&& body, u32 overhead) {
    for (u32 i = 0; i < kWarmup; i++) (void)batch(body);
    for (u32 s = 0; s < kSamples; s++) {
        u32 t = batch(body);
        g_samples[s] = (t > overhead ? t - overhead : 0) / kBatch;
    }
    return bench_stats(g_samples, kSamples);
}

void report(const char* key, const char* label, BenchStats s) {
    kprintf("bench: %-48s %8u %8u %8u\n", label, s.min, s.median, s.p99);
    kprintf("BENCH,%s,tsc,%u,%u,%u,%u\n", key, s.min, s.median, s.p99, kSamples * kBatch);
}
}  // namespace

void run_kernel_cases() {
    if (!cpu::info().tsc) {
        kprintf("bench: no TSC on this CPU: the kernel cases need RDTSC (PIT timing is not implemented)\n");
        return;
    }
    const drv::GateEntry* nop = drv::find_gate("null.nop");
    kprintf("bench: ticks per call (min, median, p99 over %u samples of %u calls): instructions in Bochs and\n"
            "bench: QEMU -icount, host time in plain QEMU, cycles on real hardware\n",
            kSamples, kBatch);
    kprintf("bench: %-48s %8s %8s %8s\n", "case", "min", "median", "p99");
    u32 overhead = 0xFFFFFFFF;
    for (u32 i = 0; i < 32; i++) {
        u32 t = batch([] {});
        if (t < overhead) overhead = t;
    }
    report("near_call", "near call + ret (baseline)", measure([] { bench_near_target(); }, overhead));
    if (!nop) {
        kprintf("bench: the null driver is not loaded: no driver cases\n");
        return;
    }
    u16 gate = nop->gate;
    report("far_call_gate", "kernel -> null.nop through its call gate", measure([gate] { (void)gh_call_gate(gate, 0, 0, 0); }, overhead));
    u32 stub = gh_entry_stubs[nop->export_id];
    report("far_call_direct", "kernel -> null.nop by direct far call (patched)", measure([stub] { (void)bench_direct_far(stub, 0); }, overhead));
    const drv::GateEntry* kecho = drv::find_gate("kernel.echo");
    if (kecho) {
        u16 kg = kecho->gate;
        report("kernel_service_gate", "kernel.echo through its call gate (no switch)", measure([kg] { (void)gh_call_gate(kg, 0, 0, 0); }, overhead));
    }
}
}  // namespace bench
