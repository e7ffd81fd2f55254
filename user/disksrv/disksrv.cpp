// disksrv: the RAM disk as a user-space server reached by paging IPC. The kernel maps the disk
// image read-only into it (at sys::kDiskMapAt). smalldisk serves the same loop from a small space.
#include "user/disksrv/serve_disk.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main() {
    u32 bytes = sys_map_disk();
    if (bytes >= 0xFFFFFF00u) return 1;
    return serve_disk(g_msg, reinterpret_cast<const u8*>(sys::kDiskMapAt), bytes);
}
