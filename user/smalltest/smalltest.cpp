// smalltest: small address spaces from the client's side (issue 13). Exit 42 when every check of
// its kind held; any other code names the first check that failed. Kind 0: echo and the RAM
// disk from small servers agree with the driver (far call) and the paging servers; bad buffers,
// missing and dead servers. Kinds 1-10: smallbad attacks once (user/smallbad/smallbad.cpp) and
// must be killed while the client waits; the client and another small server go on. Kinds
// 20-22: this client, returned to by SYSEXIT where SEP is used (flat CS/SS), touches a small
// server's slot through SS or DS: it must be killed (#PF: the region is supervisor-only).
#include "user/lib/io.hpp"

namespace {
IpcMsg g_msg;
u8 g_block[512];
constexpr u32 kSlotBytes = 4u << 20, kRegionBase = 0xB0000000;
bool is_error(u32 r) { return r >= 0xFFFFFF00u; }

int services() {
    u32 small = sys_spawn("smallecho", 0), paging = sys_spawn("echosrv", 0);
    if (is_error(small) || is_error(paging)) return 10;
    if (sys_mechanism() == 0) return 11;
    const u32 words[] = {0, 1, 41, 0x7FFFFFFF, 0xFFFFFEFF, 123456789};
    for (u32 w : words) {  // one service, three homes
        g_msg.len = 0;
        u32 d = sys_driver_call("null.echo", w, 0);
        u32 p = sys_ipc_call(paging, w, &g_msg);
        u32 s = sys_ipc_call(small, w, &g_msg);
        if (d != w || p != w || s != w) return 12;
        if (g_msg.sender != small || g_msg.len != 0) return 13;
    }
    for (u32 i = 0; i < 4096; i++) g_msg.data[i] = u8(i * 7 + 3);
    g_msg.len = 4096;
    if (sys_ipc_call(small, 1, &g_msg) != 1 || g_msg.len != 4096) return 14;
    for (u32 i = 0; i < 4096; i++)
        if (g_msg.data[i] != u8(i * 7 + 3)) return 15;
    for (u32 i = 0; i < 200; i++) {
        g_msg.len = 0;
        if (sys_ipc_call(small, i, &g_msg) != i) return 16;
    }
    g_msg.len = 4097;
    if (!is_error(sys_ipc_call(small, 1, &g_msg))) return 17;
    if (!is_error(sys_ipc_call(small, 1, reinterpret_cast<IpcMsg*>(0xBFFFF000)))) return 18;
    // The region is not the client's: the kernel refuses it as a buffer, for IPC and for write.
    u32 region = kRegionBase + sys_small_info(small, sys::kSmallSlot) * kSlotBytes;
    if (!is_error(sys_ipc_call(small, 1, reinterpret_cast<IpcMsg*>(region + 0x1000)))) return 19;
    if (!is_error(sys_write(reinterpret_cast<const char*>(region + 0x1000), 16))) return 20;
    if (!is_error(sys_small_info(paging, sys::kSmallSlot))) return 21;  // not a small server

    // The RAM disk: driver, paging server and small server agree block by block.
    u32 ds = sys_spawn("smalldisk", 0), dp = sys_spawn("disksrv", 0);
    if (is_error(ds) || is_error(dp)) return 30;
    const u32 blocks[] = {0, 1, 3, 7, 100, 127};
    static u8 via_paging[512];
    for (u32 b : blocks) {
        if (sys_disk_read(b, g_block) != 0) return 31;
        g_msg.len = 0;
        if (sys_ipc_call(dp, b, &g_msg) != 0 || g_msg.len != 512) return 32;
        for (u32 i = 0; i < 512; i++) via_paging[i] = g_msg.data[i];
        g_msg.len = 0;
        if (sys_ipc_call(ds, b, &g_msg) != 0 || g_msg.len != 512) return 33;
        for (u32 i = 0; i < 512; i++)
            if (g_msg.data[i] != g_block[i] || via_paging[i] != g_block[i]) return 34;
    }
    g_msg.len = 0;
    if (!is_error(sys_ipc_call(ds, 128, &g_msg))) return 35;  // past the end: all three refuse
    if (!is_error(sys_disk_read(128, g_block))) return 36;
    const u32 servers[] = {small, paging, ds, dp};
    for (u32 pid : servers) {
        g_msg.len = 0;
        sys_ipc_call(pid, 0xDEAD, &g_msg);
        if (sys_wait(pid) != 0) return 37;
    }
    g_msg.len = 0;
    if (!is_error(sys_ipc_call(small, 1, &g_msg))) return 38;  // dead: an error, not a hang
    printf("smalltest: echo and RAM disk agree three ways (driver, paging IPC, small space)\n");
    return 42;
}

int attack(u32 kind) {
    u32 victim = sys_spawn("smallecho", 0);
    if (is_error(victim)) return 50;
    g_msg.len = 0;
    if (sys_ipc_call(victim, 7, &g_msg) != 7) return 51;
    u32 bad = sys_spawn("smallbad", kind);
    if (is_error(bad)) return 52;
    u32 word = kind == 6 ? sys_small_info(victim, sys::kSmallData) : sys_small_info(victim, sys::kSmallSlot);
    g_msg.len = 0;
    u32 r = sys_ipc_call(bad, word, &g_msg);
    if (r == 0x5AFE) {
        u32 seen = g_msg.data[0] | g_msg.data[1] << 8 | g_msg.data[2] << 16 | u32(g_msg.data[3]) << 24;
        printf("smalltest: smallbad %u was not stopped (it read %08x)\n", kind, seen);
        return 53;
    }
    if (r != 0xFFFFFFFAu) return 54;               // -Fault: the server died under the call
    if (sys_wait(bad) != 0xFFFFFFFAu) return 55;  // killed, not exited
    for (u32 i = 0; i < 4096; i++) g_msg.data[i] = u8(i ^ kind);
    g_msg.len = 4096;                             // the other server goes on, intact
    if (sys_ipc_call(victim, kind, &g_msg) != kind || g_msg.len != 4096) return 56;
    for (u32 i = 0; i < 4096; i++)
        if (g_msg.data[i] != u8(i ^ kind)) return 57;
    g_msg.len = 0;
    sys_ipc_call(victim, 0xDEAD, &g_msg);
    if (sys_wait(victim) != 0) return 58;
    return 42;
}

// After a system call (SYSEXIT where SEP is used: flat CS/SS caches), touch a server's slot.
int escape(u32 kind) {
    u32 victim = sys_spawn("smallecho", 0);
    if (is_error(victim)) return 60;
    g_msg.len = 0;
    if (sys_ipc_call(victim, 7, &g_msg) != 7) return 61;
    u32 target = kRegionBase + sys_small_info(victim, sys::kSmallSlot) * kSlotBytes + 0x1000;
    u32 v = 0;
    (void)sys_getpid();
    if (kind == 20) asm volatile("movl %%ss:(%1), %0" : "=r"(v) : "r"(target) : "memory");
    if (kind == 21) asm volatile("movl %%ds:(%1), %0" : "=r"(v) : "r"(target) : "memory");
    if (kind == 22) asm volatile("movl $0xBAD, %%ss:(%0)" ::"r"(target) : "memory");
    printf("smalltest: escape %u reached the small server's slot (read %08x)\n", kind, v);
    return 62;
}
}  // namespace

extern "C" int main(u32 kind) {
    if (kind == 0) return services();
    if (kind <= 10) return attack(kind);
    return escape(kind);
}
