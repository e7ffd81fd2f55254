// ramdisk: 512-byte blocks backed by a multiboot module (build/disk.img), which the kernel hands
// over as one data selector (kernel.disk). Reads and writes go through a far pointer to the
// caller's buffer; every block number and buffer range is checked before any byte moves.
#include "drivers/lib/driver.hpp"

GH_DRIVER("ramdisk");

namespace {
GH_IMPORT(kernel_disk, "kernel.disk");
GH_IMPORT(kernel_disk_bytes, "kernel.disk_bytes");
constexpr u32 kBlock = 512;
u16 g_disk = 0;  // selector of the disk image
u32 g_blocks = 0;
u8 g_bounce[kBlock];

// Disk bytes <-> the bounce buffer, through the disk selector (FS).
void disk_read(u32 block) {
    u32 d = reinterpret_cast<u32>(g_bounce), s = block * kBlock, n = kBlock;
    asm volatile("push %%fs; mov %3, %%fs; fs rep movsb; pop %%fs"
                 : "+D"(d), "+S"(s), "+c"(n) : "r"(u32(g_disk)) : "memory");
}
void disk_write(u32 block) {
    gh_copy_to_far(FarPtr<u8>(g_disk, block * kBlock), g_bounce, kBlock);
}

GH_FN u32 read(u32 block, u32 off, u32 sel) {
    if (!g_disk) return drvabi::error_result(7);
    if (block >= g_blocks) return drvabi::error_result(2);
    disk_read(block);
    return gh_copy_to_far(FarPtr<u8>(u16(sel), off), g_bounce, kBlock);
}

GH_FN u32 write(u32 block, u32 off, u32 sel) {
    if (!g_disk) return drvabi::error_result(7);
    if (block >= g_blocks) return drvabi::error_result(2);
    u32 r = gh_copy_from_far(g_bounce, FarPtr<u8>(u16(sel), off), kBlock);
    if (drvabi::is_error(r)) return r;
    disk_write(block);
    return 0;
}

GH_FN u32 blocks(u32, u32, u32) { return g_blocks; }
}  // namespace

extern "C" GH_FN u32 gh_init(u32, u32, u32) {
    u32 sel = gh_call(kernel_disk);
    if (drvabi::is_error(sel)) return 0;  // no disk module: loaded, but every call says so
    g_disk = u16(sel);
    g_blocks = gh_call(kernel_disk_bytes) / kBlock;
    return 0;
}

GH_EXPORT(read, "ramdisk.read");
GH_EXPORT(write, "ramdisk.write");
GH_EXPORT_FOR(blocks, "ramdisk.blocks", drvabi::kForPrograms);
