// smalldisk: the RAM disk served from a small space: disksrv's loop (user/disksrv/serve_disk.hpp)
// over the image the kernel maps read-only at sys::kSmallDiskMapAt in its slot.
#include "user/disksrv/serve_disk.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main() {
    u32 bytes = sys_map_disk();
    if (bytes >= 0xFFFFFF00u) return 1;
    return serve_disk(g_msg, reinterpret_cast<const u8*>(sys::kSmallDiskMapAt), bytes);
}
