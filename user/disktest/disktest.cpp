// disktest: the same blocks read through the ramdisk driver (far call) and from disksrv (IPC)
// must be identical. Exit 42 when they are.
#include "user/lib/io.hpp"

namespace {
IpcMsg g_msg;
u8 g_via_driver[512];
}

extern "C" int main() {
    u32 server = sys_spawn("disksrv", 0);
    if (server >= 0xFFFFFF00u) return 10;
    const u32 blocks[] = {0, 1, 3, 7, 100, 127};
    for (u32 b : blocks) {
        if (sys_disk_read(b, g_via_driver) != 0) return 11;
        g_msg.len = 0;
        if (sys_ipc_call(server, b, &g_msg) != 0 || g_msg.len != 512) return 12;
        for (u32 i = 0; i < 512; i++)
            if (g_msg.data[i] != g_via_driver[i]) return 13;
    }
    g_msg.len = 0;
    if (sys_ipc_call(server, 128, &g_msg) < 0xFFFFFF00u) return 14;  // past the end: both refuse
    if (sys_disk_read(128, g_via_driver) < 0xFFFFFF00u) return 15;
    sys_ipc_call(server, 0xDEAD, &g_msg);
    sys_wait(server);
    printf("disktest: driver and IPC server agree on %u blocks\n", u32(sizeof blocks / sizeof blocks[0]));
    return 42;
}
