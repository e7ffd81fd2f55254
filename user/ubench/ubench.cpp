// ubench: the ring-3 half of the benchmark. A null system call (getpid) through each way into
// the kernel, whatever the boot chose for patched sites: the patched site itself, INT 0x80, a
// far call through the DPL-3 call gate, and the SYSENTER stub where the CPU has SEP.
#include "user/lib/io.hpp"

namespace {
constexpr u32 kBatch = 16, kSamples = 101, kWarmup = 8;
constexpr u32 kStubPage = 0xBFFF8000, kStubBytes = 16;
u32 g_samples[kSamples];

inline u64 stamp() {
    u32 a, b, c, d, lo, hi;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));  // serialize
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64(hi) << 32) | lo;
}

template <class F>
u32 batch(F&& body) {
    u64 t0 = stamp();
    for (u32 i = 0; i < kBatch; i++) body();
    return u32(stamp() - t0);
}

void sort(u32* v, u32 n) {
    for (u32 i = 1; i < n; i++)
        for (u32 j = i; j > 0 && v[j - 1] > v[j]; j--) {
            u32 t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

template <class F>
void measure(const char* key, const char* label, F&& body, u32 overhead) {
    for (u32 i = 0; i < kWarmup; i++) (void)batch(body);
    for (u32 s = 0; s < kSamples; s++) {
        u32 t = batch(body);
        g_samples[s] = (t > overhead ? t - overhead : 0) / kBatch;
    }
    sort(g_samples, kSamples);
    u32 mn = g_samples[0], med = g_samples[kSamples / 2], p99 = g_samples[(kSamples * 99 + 99) / 100 - 1];
    printf("bench: %-48s %8u %8u %8u\n", label, mn, med, p99);
    printf("BENCH,%s,tsc,%u,%u,%u,%u\n", key, mn, med, p99, kSamples * kBatch);
}

struct [[gnu::packed]] FarPtr {
    u32 offset;
    u16 selector;
};
}  // namespace

extern "C" int main() {
    u32 overhead = 0xFFFFFFFF;
    for (u32 i = 0; i < 32; i++) {
        u32 t = batch([] {});
        if (t < overhead) overhead = t;
    }
    measure("syscall_patched", "ring 3 -> 0 null call, the patched site", [] { (void)sys_getpid(); }, overhead);
    measure("syscall_int80", "ring 3 -> 0 null call, INT 0x80", [] {
        u32 r;
        asm volatile("int $0x80" : "=a"(r) : "a"(u32(sys::kGetpid)) : "ecx", "edx", "memory");
    }, overhead);
    u32 gate = sys_bench_info(sys::kInfoGetpidGate);
    if (gate < 0xFFFFFF00u) {
        static FarPtr target = {0, u16(gate | 3)};
        measure("syscall_gate", "ring 3 -> 0 null call, DPL-3 call gate", [] {
            u32 r;
            asm volatile("lcall *%1" : "=a"(r) : "m"(target) : "ecx", "edx", "memory");
        }, overhead);
    }
    if (sys_bench_info(sys::kInfoSepUsable) == 1) {
        measure("syscall_sysenter", "ring 3 -> 0 null call, SYSENTER", [] {
            u32 r;
            asm volatile("call *%1" : "=a"(r) : "r"(kStubPage + sys::kGetpid * kStubBytes) : "ecx", "edx", "memory");
        }, overhead);
    } else {
        printf("bench: SYSENTER not measured: this CPU has no usable SEP\n");
    }
    return 0;
}
