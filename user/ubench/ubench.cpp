// ubench: the ring-3 half of the benchmark. A null system call (getpid) through each way into
// the kernel, whatever the boot chose for patched sites: the patched site itself, INT 0x80, a
// far call through the DPL-3 call gate, and the SYSENTER stub where the CPU has SEP.
#include "user/lib/io.hpp"
#include "user/ubench/loops.hpp"

namespace ubench {
Targets g_t;
volatile u8 g_trace_armed = 0;  // extern "C" (loops.hpp): the trace variants name it in their asm
}

namespace {
using namespace ubench;
constexpr u32 kSamples = 101, kWarmup = 8;
constexpr u32 kStubPage = 0xBFFF8000, kStubBytes = 16;
u32 g_samples[kSamples];
u32 g_discarded = 0;       // batches a PIT tick fell into, measured again

void sort(u32* v, u32 n) {
    for (u32 i = 1; i < n; i++)
        for (u32 j = i; j > 0 && v[j - 1] > v[j]; j--) {
            u32 t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

// One batch of n operations, measured again (up to 20 times) while a PIT tick fell into it:
// ring 3 cannot mask IRQ 0, so a batch that took the timer interrupt is discarded instead. The
// batch is kept well under a tick (Bochs' default 4 M instructions per second makes a tick every
// 40,000 instructions): 16 calls of the small cases, 4 of an IPC, 1 of a disk read.
u32 batch(const Loop& loop, u32 n, bool base = false) {
    u32 t = 0;
    for (u32 tries = 0; tries < 20; tries++) {
        u32 before = sys_ticks();
        t = base ? loop.base(n) : loop.timed(n);
        if (sys_ticks() == before) return t;
        g_discarded++;
    }
    return t;
}

// The loop's twin without the operation: its ticks for n iterations (the minimum over 32 batches).
u32 empty_loop(const Loop& loop, u32 n) {
    u32 best = 0xFFFFFFFF;
    for (u32 i = 0; i < 32; i++) {
        u32 t = batch(loop, n, true);
        if (t < best) best = t;
    }
    return best;
}

// Writes a line to the serial log only (docs/serial.md), not between the table's rows on VGA.
void log_line(const char* line, u32 len) {
    if (sys_write_log(line, len) >= 0xFFFFFF00u) sys_write(line, len);
}

bool g_tracing = false;  // bench=trace

// bench=trace: the case's operation once more between the markers, after its trace variant's own
// site was warmed (patched) with the markers quiet; a run a PIT tick fell into is named `tick`
// (tools/bench_trace.py drops it) and run again. The line after each run says whose trace it was
// (`BENCHTRACE,<case>,ok|tick,<label>`).
void trace(const char* key, const char* label, const Loop& loop) {
    for (u32 i = 0; i < kWarmup; i++) loop.trace();
    for (u32 tries = 0; tries < 20; tries++) {
        u32 before = sys_ticks();
        g_trace_armed = 1;
        loop.trace();
        g_trace_armed = 0;
        bool tick = sys_ticks() != before;
        char line[128];
        u32 len = u32(format(line, sizeof line, "BENCHTRACE,%s,%s,%s\n", key, tick ? "tick" : "ok", label));
        if (len >= sizeof line) len = sizeof line - 1;
        log_line(line, len);
        if (!tick) return;
    }
}

void measure(const char* key, const char* label, const Loop& loop, u32 n = 16) {
    u32 empty = empty_loop(loop, n);
    for (u32 i = 0; i < kWarmup; i++) (void)loop.timed(n);  // the very site measured: patched here
    for (u32 s = 0; s < kSamples; s++) {
        u32 t = batch(loop, n);
        g_samples[s] = (t > empty ? t - empty : 0) / n;
    }
    sort(g_samples, kSamples);
    u32 mn = g_samples[0], med = g_samples[kSamples / 2], p99 = g_samples[(kSamples * 99 + 99) / 100 - 1];
    printf("bench: %-47s%8u%8u%8u\n", label, mn, med, p99);  // 78 columns: fits 80x25
    // The CSV goes to the serial log only (docs/serial.md), not between the table's rows on VGA.
    char csv[128];
    u32 len = u32(format(csv, sizeof csv, "BENCH,%s,tsc,%u,%u,%u,%u\n", key, mn, med, p99, kSamples * n));
    if (len >= sizeof csv) len = sizeof csv - 1;
    log_line(csv, len);
    if (g_tracing) trace(key, label, loop);
}

IpcMsg g_msg;
alignas(4096) u8 g_pages[64 * 4096];
u8 g_block[512];
}  // namespace

extern "C" int main() {
    if (sys_bench_info(sys::kInfoTsc) != 1) {
        printf("bench: no TSC on this CPU: the ring-3 cases need RDTSC\n");
        return 0;
    }
    g_tracing = sys_bench_info(sys::kInfoTrace) == 1;
    measure("syscall_patched", "ring 3 -> 0 null call, the patched site", loop_site_getpid);
    measure("syscall_int80", "ring 3 -> 0 null call, INT 0x80", loop_int80_getpid);
    u32 gate = sys_bench_info(sys::kInfoGetpidGate);
    if (gate < 0xFFFFFF00u) {
        g_t.getpid_gate = {0, u16(gate | 3)};
        measure("syscall_gate", "ring 3 -> 0 null call, DPL-3 call gate", loop_gate_getpid);
    }
    if (sys_bench_info(sys::kInfoSepUsable) == 1) {
        g_t.sysenter_stub = kStubPage + sys::kGetpid * kStubBytes;
        measure("syscall_sysenter", "ring 3 -> 0 null call, SYSENTER", loop_sysenter_getpid);
        measure("syscall_sysenter_cxx", "ring 3 -> 0 call via the C++ path, SYSENTER", loop_sysenter_general);
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
    static const u32 kTouch[] = {1, 8, 64};
    g_t.msg = &g_msg;
    g_t.pages = g_pages;
    g_t.server = echo;
    g_t.word = 1;
    measure("ipc_null", "paging IPC null round trip (echosrv)", loop_ipc, 4);
    if (sys_bench_info(sys::kInfoGlobalPages, 0) == 0) {
        measure("ipc_null_noglobal", "paging IPC null round trip, no global pages", loop_ipc, 4);
        sys_bench_info(sys::kInfoGlobalPages, 1);
    } else {
        printf("bench: no PGE on this CPU: the global-pages row is the same as the first\n");
    }
    // The true null IPC: registers only, to a server waiting in ipc_reply_wait_regs (echosrv 1):
    // the kernel's assembly fast path both ways (docs/ipc.md). Its server is stopped before the
    // small-space servers start, so the process table never holds more than 8.
    u32 regs = sys_spawn("echosrv", 1);
    if (regs < 0xFFFFFF00u) {
        g_t.server = regs;
        measure("ipc_null_regs", "paging IPC null round trip, registers only", loop_ipc_regs, 4);
        sys_ipc_call_regs(regs, 0xDEAD);
        sys_wait(regs);
        g_t.server = echo;
    } else {
        printf("bench: could not start echosrv 1: no register IPC case\n");
    }
    static const char* const kKeys[] = {"ipc_touch1", "ipc_touch8", "ipc_touch64"};
    static const char* const kLabels[] = {"IPC round trip + touch 1 page", "IPC round trip + touch 8 pages",
                                          "IPC round trip + touch 64 pages"};
    for (u32 t = 0; t < 3; t++) {
        g_t.touch = kTouch[t];
        measure(kKeys[t], kLabels[t], loop_ipc_touch, 4);
    }
    g_t.block = 3;
    g_t.buf = g_block;
    measure("disk_read_driver", "RAM-disk 512-byte read: driver (far call)", loop_disk_read, 1);
    g_t.server = disk;
    g_t.word = 3;  // the block
    measure("disk_read_ipc", "RAM-disk 512-byte read: server (paging IPC)", loop_ipc, 1);
    // Small spaces (docs/ipc.md): the same two services, reached without a CR3 load.
    u32 secho = sys_spawn("smallecho", 0);
    u32 sdisk = sys_spawn("smalldisk", 0);
    if (secho < 0xFFFFFF00u && sdisk < 0xFFFFFF00u) {
        g_t.server = secho;
        g_t.word = 1;
        measure("ipc_small_null", "small-space IPC null round trip (smallecho)", loop_ipc, 4);
        static const char* const kSmallKeys[] = {"ipc_small_touch1", "ipc_small_touch8", "ipc_small_touch64"};
        static const char* const kSmallLabels[] = {"small-space IPC round trip + touch 1 page", "small-space IPC round trip + touch 8 pages",
                                                   "small-space IPC round trip + touch 64 pages"};
        for (u32 t = 0; t < 3; t++) {
            g_t.touch = kTouch[t];
            measure(kSmallKeys[t], kSmallLabels[t], loop_ipc_touch, 4);
        }
        g_t.server = sdisk;
        g_t.word = 3;
        measure("disk_read_small", "RAM-disk 512-byte read: small server", loop_ipc, 1);
        g_msg.len = 0;
        sys_ipc_call(secho, 0xDEAD, &g_msg);
        sys_ipc_call(sdisk, 0xDEAD, &g_msg);
        sys_wait(secho);
        sys_wait(sdisk);
        u32 sregs = sys_spawn("smallecho", 1);
        if (sregs < 0xFFFFFF00u) {
            g_t.server = sregs;
            g_t.word = 1;
            measure("ipc_small_null_regs", "small-space IPC null round trip, registers only", loop_ipc_regs, 4);
            sys_ipc_call_regs(sregs, 0xDEAD);
            sys_wait(sregs);
        }
    } else {
        printf("bench: no smallecho/smalldisk program: no small-space cases\n");
    }
    if (g_discarded) printf("bench: %u ring-3 batches took a PIT tick and were measured again\n", g_discarded);
    g_msg.len = 0;
    sys_ipc_call(echo, 0xDEAD, &g_msg);
    sys_ipc_call(disk, 0xDEAD, &g_msg);
    sys_wait(echo);
    sys_wait(disk);
    return 0;
}
