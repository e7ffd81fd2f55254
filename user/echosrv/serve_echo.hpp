// The null/echo service loop, one source for its two homes: echosrv (its own address space,
// paging IPC) and smallecho (a small space). Each message is answered with the same word and the
// same data; word 0xDEAD ends it.
#pragma once
#include "user/lib/syscall.hpp"

inline int serve_echo(IpcMsg& msg) {
    msg.len = 0;
    u32 word = sys_ipc_reply_wait(0, 0, &msg);
    for (;;) {
        if (word == 0xDEAD) return 0;
        word = sys_ipc_reply_wait(msg.sender, word, &msg);
    }
}
