// kbd: the PS/2 keyboard behind the 8042 controller. IRQ 1 puts scancodes in a ring; kbd.read
// takes them out. A machine without a controller (the status port floats at 0xFF) is noticed at
// init: the driver stays loaded and every read answers "unsupported".
#include "drivers/lib/driver.hpp"

GH_DRIVER("kbd");
GH_PORTS(data, 0x60, 1);  // the 8042: data
GH_PORTS(status, 0x64, 1);  // and status

namespace {
constexpr u16 kData = 0x60, kStatus = 0x64;
constexpr u32 kRing = 64;
bool g_present = false;
u8 g_ring[kRing];
volatile u32 g_head = 0, g_tail = 0;
u32 g_dropped = 0;

GH_FN u32 irq1(u32, u32, u32) {
    if (!(gh_inb(kStatus) & 0x01)) return 0;
    u8 code = gh_inb(kData);
    if (g_head - g_tail == kRing) {
        g_dropped++;
        return 0;
    }
    g_ring[g_head % kRing] = code;
    g_head = g_head + 1;
    return 0;
}

GH_FN u32 read(u32, u32, u32) {
    if (!g_present) return drvabi::error_result(7);
    if (g_head == g_tail) return drvabi::error_result(4);
    u8 code = g_ring[g_tail % kRing];
    g_tail = g_tail + 1;
    return code;
}
GH_FN u32 present(u32, u32, u32) { return g_present; }
}  // namespace

extern "C" GH_FN u32 gh_init(u32, u32, u32) {
    g_present = gh_inb(kStatus) != 0xFF;
    if (g_present)
        for (u32 i = 0; i < 16 && (gh_inb(kStatus) & 0x01); i++) gh_inb(kData);  // drain stale bytes
    return 0;
}

GH_EXPORT_FOR(irq1, "kbd.irq1", drvabi::kForKernel);
GH_EXPORT(read, "kbd.read");
GH_EXPORT_FOR(present, "kbd.present", drvabi::kForPrograms);
