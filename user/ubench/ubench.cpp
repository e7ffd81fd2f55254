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
    printf("bench: %-47s%8u%8u%8u\n", label, mn, med, p99);  // 78 columns: fits 80x25
    // The CSV goes to the serial log only (docs/serial.md), not between the table's rows on VGA.
    char csv[128];
    u32 n = u32(format(csv, sizeof csv, "BENCH,%s,tsc,%u,%u,%u,%u\n", key, mn, med, p99, kSamples * kBatch));
    if (n >= sizeof csv) n = sizeof csv - 1;
    if (sys_write_log(csv, n) >= 0xFFFFFF00u) sys_write(csv, n);
}

IpcMsg g_msg;
alignas(4096) u8 g_pages[64 * 4096];
u8 g_block[512];

struct [[gnu::packed]] FarPtr {
    u32 offset;
    u16 selector;
};
}  // namespace

extern "C" int main() {
    if (sys_bench_info(sys::kInfoTsc) != 1) {
        printf("bench: no TSC on this CPU: the ring-3 cases need RDTSC\n");
        return 0;
    }
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
    // Paging IPC: the echo service and the RAM disk as user-space servers.
    u32 echo = sys_spawn("echosrv", 0);
    u32 disk = sys_spawn("disksrv", 0);
    if (echo >= 0xFFFFFF00u || disk >= 0xFFFFFF00u) {
        printf("bench: no echosrv/disksrv program: no IPC cases\n");
        return 0;
    }
    static u32 s_echo;
    static u32 s_disk;
    s_echo = echo;
    s_disk = disk;
    g_msg.len = 0;
    measure("ipc_null", "paging IPC null round trip (echosrv)", [] { (void)sys_ipc_call(s_echo, 1, &g_msg); }, overhead);
    if (sys_bench_info(sys::kInfoGlobalPages, 0) == 0) {
        measure("ipc_null_noglobal", "paging IPC null round trip, no global pages", [] { (void)sys_ipc_call(s_echo, 1, &g_msg); }, overhead);
        sys_bench_info(sys::kInfoGlobalPages, 1);
    } else {
        printf("bench: no PGE on this CPU: the global-pages row is the same as the first\n");
    }
    static const u32 kTouch[] = {1, 8, 64};
    static const char* const kKeys[] = {"ipc_touch1", "ipc_touch8", "ipc_touch64"};
    static const char* const kLabels[] = {"IPC round trip + touch 1 page", "IPC round trip + touch 8 pages",
                                          "IPC round trip + touch 64 pages"};
    for (u32 t = 0; t < 3; t++) {
        static u32 s_n;
        s_n = kTouch[t];
        measure(kKeys[t], kLabels[t], [] {
            (void)sys_ipc_call(s_echo, 1, &g_msg);
            for (u32 p = 0; p < s_n; p++) g_pages[p * 4096] = u8(p);
        }, overhead);
    }
    measure("disk_read_driver", "RAM-disk 512-byte read: driver (far call)", [] { (void)sys_disk_read(3, g_block); }, overhead);
    measure("disk_read_ipc", "RAM-disk 512-byte read: server (paging IPC)", [] {
        g_msg.len = 0;
        (void)sys_ipc_call(s_disk, 3, &g_msg);
    }, overhead);
    // Small spaces (docs/ipc.md): the same two services, reached without a CR3 load.
    u32 secho = sys_spawn("smallecho", 0);
    u32 sdisk = sys_spawn("smalldisk", 0);
    if (secho < 0xFFFFFF00u && sdisk < 0xFFFFFF00u) {
        static u32 s_secho, s_sdisk;
        s_secho = secho;
        s_sdisk = sdisk;
        g_msg.len = 0;
        measure("ipc_small_null", "small-space IPC null round trip (smallecho)", [] { (void)sys_ipc_call(s_secho, 1, &g_msg); }, overhead);
        static const char* const kSmallKeys[] = {"ipc_small_touch1", "ipc_small_touch8", "ipc_small_touch64"};
        static const char* const kSmallLabels[] = {"small-space IPC round trip + touch 1 page", "small-space IPC round trip + touch 8 pages",
                                                   "small-space IPC round trip + touch 64 pages"};
        for (u32 t = 0; t < 3; t++) {
            static u32 s_n;
            s_n = kTouch[t];
            measure(kSmallKeys[t], kSmallLabels[t], [] {
                (void)sys_ipc_call(s_secho, 1, &g_msg);
                for (u32 p = 0; p < s_n; p++) g_pages[p * 4096] = u8(p);
            }, overhead);
        }
        measure("disk_read_small", "RAM-disk 512-byte read: small server", [] {
            g_msg.len = 0;
            (void)sys_ipc_call(s_sdisk, 3, &g_msg);
        }, overhead);
        g_msg.len = 0;
        sys_ipc_call(secho, 0xDEAD, &g_msg);
        sys_ipc_call(sdisk, 0xDEAD, &g_msg);
        sys_wait(secho);
        sys_wait(sdisk);
    } else {
        printf("bench: no smallecho/smalldisk program: no small-space cases\n");
    }
    g_msg.len = 0;
    sys_ipc_call(echo, 0xDEAD, &g_msg);
    sys_ipc_call(disk, 0xDEAD, &g_msg);
    sys_wait(echo);
    sys_wait(disk);
    return 0;
}
