// The RAM-disk service loop, one source for disksrv (paging IPC) and smalldisk (a small space):
// a message's word is the block number, the reply carries its 512 bytes (word 0) or an error
// word. Word 0xDEAD ends it.
#pragma once
#include "user/lib/syscall.hpp"

inline int serve_disk(IpcMsg& msg, const u8* disk, u32 bytes) {
    msg.len = 0;
    u32 block = sys_ipc_reply_wait(0, 0, &msg);
    for (;;) {
        if (block == 0xDEAD) return 0;
        u32 reply = 0;
        if (block >= bytes / 512) {
            msg.len = 0;
            reply = 0xFFFFFFFE;  // -Range
        } else {
            for (u32 i = 0; i < 512; i++) msg.data[i] = disk[block * 512 + i];
            msg.len = 512;
        }
        block = sys_ipc_reply_wait(msg.sender, reply, &msg);
    }
}
