// pit: the 8254 timer as a driver: reads the live channel-0 count and counts IRQ 0 ticks it is
// sent (the kernel routes an IRQ to every export named "<driver>.irq<N>").
#include "drivers/lib/driver.hpp"

GH_DRIVER("pit");
GH_PORTS(pit, 0x40, 4);  // the 8254: channels 0-2 and the command port (it uses 0x40 and 0x43)

namespace {
volatile u32 g_ticks = 0;

// Latch channel 0 and read its 16-bit down-counter ([8254] data sheet, counter latch command).
GH_FN u32 counter(u32, u32, u32) {
    gh_outb(0x43, 0x00);
    u32 lo = gh_inb(0x40);
    u32 hi = gh_inb(0x40);
    return lo | (hi << 8);
}
GH_FN u32 irq0(u32, u32, u32) {
    g_ticks = g_ticks + 1;
    return 0;
}
GH_FN u32 ticks(u32, u32, u32) { return g_ticks; }
}  // namespace

GH_EXPORT(counter, "pit.counter");
GH_EXPORT_FOR(irq0, "pit.irq0", drvabi::kForKernel);
GH_EXPORT_FOR(ticks, "pit.ticks", drvabi::kForPrograms);
