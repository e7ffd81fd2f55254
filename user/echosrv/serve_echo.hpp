// The null/echo service loop, one source for its two homes: echosrv (its own address space,
// paging IPC) and smallecho (a small space). Each message is answered with the same word and the
// same data; word 0xDEAD ends it. With argument 1 it serves register-only IPC instead
// (docs/ipc.md, "The fast path"), the loop the benchmark measures; with argument 2 the same,
// plus two words that say who is who, so a test can check that the right registers reached the
// right process: kWhoCalled is answered with the caller's pid as the kernel gave it, kWhoAmI
// with the server's own.
#pragma once
#include "user/lib/syscall.hpp"

inline constexpr u32 kEchoWhoCalled = 0x5E4D, kEchoWhoAmI = 0x5E4E, kEchoExit = 0xDEAD;

inline int serve_echo(IpcMsg& msg) {
    msg.len = 0;
    u32 word = sys_ipc_reply_wait(0, 0, &msg);
    for (;;) {
        if (word == kEchoExit) return 0;
        word = sys_ipc_reply_wait(msg.sender, word, &msg);
    }
}

inline int serve_echo_regs() {
    u32 sender = 0;
    u32 word = sys_ipc_reply_wait_regs(0, 0, &sender);
    for (;;) {
        if (word == kEchoExit) return 0;
        word = sys_ipc_reply_wait_regs(sender, word, &sender);
    }
}

inline int serve_echo_regs_who() {
    u32 me = sys_getpid(), sender = 0;
    u32 word = sys_ipc_reply_wait_regs(0, 0, &sender);
    for (;;) {
        if (word == kEchoExit) return 0;
        u32 reply = word == kEchoWhoCalled ? sender : word == kEchoWhoAmI ? me : word;
        word = sys_ipc_reply_wait_regs(sender, reply, &sender);
    }
}

inline int serve_echo(IpcMsg& msg, u32 argument) {
    return argument == 1 ? serve_echo_regs() : argument == 2 ? serve_echo_regs_who() : serve_echo(msg);
}
