// ipctest: checks IPC against echosrv: message words and buffer contents both ways, the same
// results as the null driver's echo, a buffer out of range, a missing server, and a server that
// dies. Exit 42 when everything holds; any
// other code names the first check that failed.
#include "user/lib/io.hpp"

namespace {
IpcMsg g_msg;
bool is_error(u32 r) { return r >= 0xFFFFFF00u; }
constexpr u32 kEchoExitWord = 0xDEAD;

// Argument 1: register-only IPC (docs/ipc.md, "The fast path"), to echosrv and smallecho in
// their register mode (argument 2: they also answer who called and who they are). The words
// come back from the right process, the kernel's fast-path counter grows by two per round trip
// where the sites are SYSENTER or call gates (and not at all under syscall=int, which always
// takes C++), the slow path's answers hold for bad, own, dead and killed targets, and register
// and buffer messages mix as documented. Exit 42; any other code names the failed check.
constexpr u32 kWhoCalled = 0x5E4D, kWhoAmI = 0x5E4E;
constexpr u32 kErrNotFound = 4, kErrFault = 6, kErrUnsupported = 7;
u32 err_code(u32 r) { return 0u - r; }

int regs_round_trips(u32 server, u32 me, int base) {
    for (u32 i = 0; i < 50; i++)
        if (sys_ipc_call_regs(server, i * 0x01010101u) != i * 0x01010101u) return base + 1;
    if (sys_ipc_call_regs(server, kWhoCalled) != me) return base + 2;   // the sender the kernel named
    if (sys_ipc_call_regs(server, kWhoAmI) != server) return base + 3;  // and the process that answered
    return 0;
}

int regs_checks() {
    u32 me = sys_getpid();
    u32 a = sys_spawn("echosrv", 2), b = sys_spawn("echosrv", 2), plain = sys_spawn("echosrv", 0);
    if (is_error(a) || is_error(b) || is_error(plain)) return 100;
    // The first call may find a server not yet waiting: queued, then C++. Then the fast path.
    if (sys_ipc_call_regs(a, 1) != 1 || sys_ipc_call_regs(b, 2) != 2) return 101;
    u32 fast0 = sys_bench_info(sys::kInfoIpcFast);
    if (int e = regs_round_trips(a, me, 110)) return e;
    if (int e = regs_round_trips(b, me, 120)) return e;
    // Interleaved: each reply comes from the server called.
    for (u32 i = 0; i < 10; i++)
        if (sys_ipc_call_regs(a, kWhoAmI) != a || sys_ipc_call_regs(b, kWhoAmI) != b) return 130;
    u32 fast = sys_bench_info(sys::kInfoIpcFast) - fast0;
    bool int80 = sys_mechanism() == 3;  // 1 sysenter, 2 gate, 3 int (src/proc/syscall_mech.hpp)
    u32 trips = 2 * 52 + 20;
    if (int80 ? fast != 0 : fast < 2 * trips) {
        printf("ipctest: %u fast-path IPCs for %u register round trips (int80: %u)\n", fast, trips, u32(int80));
        return 131;
    }
    // The C++ path's answers: no such pid, our own, the kernel's, pids sharing a live one's table entry.
    u32 slow0 = sys_bench_info(sys::kInfoIpcSlow);
    const u32 bad[] = {4242, 0x7FFFFFFF, 0xFFFFFFFF, me, 0, a + 256, a + 0x10000};
    for (u32 i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        u32 r = sys_ipc_call_regs(bad[i], 1);
        if (!is_error(r) || err_code(r) != kErrNotFound) return int(140 + i);
    }
    if (sys_bench_info(sys::kInfoIpcSlow) - slow0 < sizeof bad / sizeof bad[0]) return 149;
    // Register and buffer messages mix: a register call to a buffer server is a length-0 message,
    // a length-0 buffer call to a register server is answered, a longer one cannot land (-Fault)
    // and the register server goes on.
    if (sys_ipc_call_regs(plain, 0x77) != 0x77) return 150;
    g_msg.len = 0;
    if (sys_ipc_call(a, 0x78, &g_msg) != 0x78 || g_msg.len != 0 || g_msg.sender != a) return 151;
    g_msg.len = 8;
    u32 r = sys_ipc_call(a, 0x79, &g_msg);
    if (!is_error(r) || err_code(r) != kErrFault) return 152;
    if (sys_ipc_call_regs(a, 0x7A) != 0x7A) return 153;
    // A small server in its register mode: the same words, the same who-is-who.
    u32 small = sys_spawn("smallecho", 2);
    if (!is_error(small)) {
        if (sys_ipc_call_regs(small, 3) != 3) return 160;
        u32 f0 = sys_bench_info(sys::kInfoIpcFast);
        if (int e = regs_round_trips(small, me, 160)) return e;
        u32 f = sys_bench_info(sys::kInfoIpcFast) - f0;
        if (int80 ? f != 0 : f < 2 * 52) return 164;
        if (!is_error(sys_ipc_call_regs(small, kEchoExitWord)) || sys_wait(small) != 0) return 165;
    }
    // A killed server: its clients and later calls get the slow path's answers, not a hang.
    if (sys_kill(b) != 0) return 170;
    r = sys_ipc_call_regs(b, 1);
    if (!is_error(r) || err_code(r) != kErrNotFound) return 171;  // a zombie
    if (!is_error(sys_wait(b))) return 172;                       // killed: -Fault
    r = sys_ipc_call_regs(b, 1);
    if (!is_error(r) || err_code(r) != kErrNotFound) return 173;  // gone
    // A server that exits without replying: its caller gets -Fault.
    r = sys_ipc_call_regs(a, kEchoExitWord);
    if (!is_error(r) || err_code(r) != kErrFault || sys_wait(a) != 0) return 174;
    g_msg.len = 0;
    sys_ipc_call(plain, kEchoExitWord, &g_msg);
    sys_wait(plain);
    (void)kErrUnsupported;
    printf("ipctest: register IPC checks passed (%u fast-path IPCs)\n", fast);
    return 42;
}
}  // namespace

extern "C" int main(u32 argument) {
    if (argument == 1) return regs_checks();
    u32 server = sys_spawn("echosrv", 0);
    if (is_error(server)) return 10;
    g_msg.len = 0;
    if (sys_ipc_call(server, 41, &g_msg) != 41) return 11;            // the word, both ways
    for (u32 i = 0; i < 4096; i++) g_msg.data[i] = u8(i * 7);
    g_msg.len = 4096;                                                  // a full buffer
    if (sys_ipc_call(server, 1, &g_msg) != 1) return 12;
    if (g_msg.len != 4096 || g_msg.sender != server) return 13;
    for (u32 i = 0; i < 4096; i++)
        if (g_msg.data[i] != u8(i * 7)) return 14;                    // echoed unchanged
    // One service, two homes: the driver reached by far call and the server reached by IPC agree.
    const u32 words[] = {0, 1, 0x7FFFFFFF, 0xFFFFFEFF, 123456789};
    for (u32 w : words) {
        g_msg.len = 0;
        if (sys_driver_call("null.echo", w, 0) != w || sys_ipc_call(server, w, &g_msg) != w) return 21;
    }
    g_msg.len = 4097;                                                  // too long
    if (!is_error(sys_ipc_call(server, 1, &g_msg))) return 15;
    if (!is_error(sys_ipc_call(server, 1, reinterpret_cast<IpcMsg*>(0xBFFFF000)))) return 16;  // runs past 3 GiB
    if (!is_error(sys_ipc_call(4242, 1, &g_msg))) return 17;          // no such server
    g_msg.len = 0;
    for (u32 i = 0; i < 100; i++)
        if (sys_ipc_call(server, i, &g_msg) != i) return 18;
    sys_ipc_call(server, 0xDEAD, &g_msg);                             // it exits: the call errors
    if (sys_wait(server) != 0) return 19;
    if (!is_error(sys_ipc_call(server, 1, &g_msg))) return 20;        // dead server: an error, not a hang
    printf("ipctest: all IPC checks passed\n");
    return 42;
}
