// The kernel's exports ("kernel.*"): what drivers may import from the kernel, each reached
// through its own call gate like any driver export.
#include "src/drv/kernel_services.hpp"
#include "seg/alias.hpp"
#include "seg/limit_probe.hpp"
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/dev/vga.hpp"
#include "src/mm/layout.hpp"
#include "drivers/lib/abi.hpp"

namespace {
u16 g_disk_sel = 0;
u32 g_disk_bytes = 0;
u32 g_disk_linear = 0;
u16 g_vga_sel = 0;

#define SERVICE __attribute__((regparm(3))) u32
SERVICE ticks(u32, u32, u32) { return pit::ticks(); }
SERVICE putc(u32 c, u32, u32) {
    console::put(char(c));
    return 0;
}
SERVICE echo(u32 a, u32, u32) { return a; }
// 1 when this CPU enforces segment limits (the boot probe, seg/limit_probe.hpp), else 0.
SERVICE limits_enforced(u32, u32, u32) { return limits::enforced() ? 1 : 0; }
// The RAM disk module as one read-write data selector (for the ramdisk driver).
SERVICE disk(u32, u32, u32) { return g_disk_sel ? g_disk_sel : drvabi::error_result(u32(Err::NotFound)); }
SERVICE disk_bytes(u32, u32, u32) { return g_disk_bytes; }
// vga_text(0): a selector for exactly the 80x25 text buffer; vga_text(1): where the kernel's own
// console left the cursor, so the vga driver carries on below it.
SERVICE vga_text(u32 what, u32, u32) {
    if (what == 1) return vga::position();
    if (!g_vga_sel) {
        auto a = seg::make_alias(mm::kKernelBase + 0xB8000, 80 * 25 * 2, true, "vga");  // vga's, by name
        if (!a.ok()) return drvabi::error_result(u32(a.error()));
        g_vga_sel = a.value().selector;
    }
    return g_vga_sel;
}
#undef SERVICE
}  // namespace

namespace drv {
const KernelService kKernelServices[] = {
    {"kernel.ticks", &ticks},
    {"kernel.putc", &putc},
    {"kernel.echo", &echo},
    {"kernel.limits_enforced", &limits_enforced},
    {"kernel.disk", &disk},
    {"kernel.disk_bytes", &disk_bytes},
    {"kernel.vga_text", &vga_text},
};
const u32 kKernelServiceCount = sizeof(kKernelServices) / sizeof(kKernelServices[0]);

bool disk_module(u32* linear, u32* bytes) {
    if (!g_disk_sel) return false;
    *linear = g_disk_linear;
    *bytes = g_disk_bytes;
    return true;
}

void set_disk_module(u32 linear, u32 bytes) {
    g_disk_linear = linear;
    // Owned by name by the driver it is for: in GDT domains only ramdisk's copy shows it.
    auto a = seg::make_alias(linear, bytes, true, "ramdisk");
    if (!a.ok()) return;
    g_disk_sel = a.value().selector;
    g_disk_bytes = bytes;
}
}  // namespace drv
