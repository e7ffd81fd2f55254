// disksrv: the RAM disk as a user-space server reached by paging IPC. The kernel maps the disk
// image read-only into it; a message's word is the block number, the reply carries its 512 bytes
// (word 0) or an error word. Word 0xDEAD makes it exit.
#include "user/lib/syscall.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main() {
    u32 bytes = sys_map_disk();
    if (bytes >= 0xFFFFFF00u) return 1;
    const u8* disk = reinterpret_cast<const u8*>(sys::kDiskMapAt);
    g_msg.len = 0;
    u32 block = sys_ipc_reply_wait(0, 0, &g_msg);
    for (;;) {
        if (block == 0xDEAD) return 0;
        u32 reply = 0;
        if (block >= bytes / 512) {
            g_msg.len = 0;
            reply = 0xFFFFFFFE;  // -Range
        } else {
            for (u32 i = 0; i < 512; i++) g_msg.data[i] = disk[block * 512 + i];
            g_msg.len = 512;
        }
        block = sys_ipc_reply_wait(g_msg.sender, reply, &g_msg);
    }
}
