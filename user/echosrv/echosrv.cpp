// echosrv: the null/echo service as a user-space server reached by paging IPC. It answers each
// message with its word + 1 and the data reversed; word 0xDEAD makes it exit.
#include "user/lib/syscall.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main() {
    g_msg.len = 0;
    u32 word = sys_ipc_reply_wait(0, 0, &g_msg);
    for (;;) {
        if (word == 0xDEAD) return 0;
        for (u32 i = 0; i < g_msg.len / 2; i++) {
            u8 t = g_msg.data[i];
            g_msg.data[i] = g_msg.data[g_msg.len - 1 - i];
            g_msg.data[g_msg.len - 1 - i] = t;
        }
        word = sys_ipc_reply_wait(g_msg.sender, word + 1, &g_msg);
    }
}
