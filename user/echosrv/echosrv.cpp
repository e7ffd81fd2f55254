// echosrv: the null/echo service as a user-space server reached by paging IPC: it answers each
// message with the same word and the same data (null.echo's result, from another address
// space). Word 0xDEAD makes it exit.
#include "user/lib/syscall.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main() {
    g_msg.len = 0;
    u32 word = sys_ipc_reply_wait(0, 0, &g_msg);
    for (;;) {
        if (word == 0xDEAD) return 0;
        word = sys_ipc_reply_wait(g_msg.sender, word, &g_msg);
    }
}
