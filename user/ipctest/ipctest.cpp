// ipctest: checks IPC against echosrv: message words and buffer contents both ways, the same
// results as the null driver's echo, a buffer out of range, a missing server, and a server that
// dies. Exit 42 when everything holds; any
// other code names the first check that failed.
#include "user/lib/io.hpp"

namespace {
IpcMsg g_msg;
bool is_error(u32 r) { return r >= 0xFFFFFF00u; }
}  // namespace

extern "C" int main() {
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
