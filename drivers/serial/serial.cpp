// serial: the 16550 UART at COM1 as a driver. Once it is up, the kernel's console output goes
// through serial.putc (src/console.cpp); the kernel keeps its own UART code as the fallback.
#include "drivers/lib/driver.hpp"

GH_DRIVER("serial");
GH_PORTS(com1, 0x3F8, 8);  // the 16550 at COM1: data .. scratch

namespace {
constexpr u16 kCom1 = 0x3F8;
enum : u16 { kData = 0, kLsr = 5, kScratch = 7 };
bool g_present = false;
u32 g_sent = 0;

GH_FN u32 putc(u32 c, u32, u32) {
    if (!g_present) return drvabi::error_result(7);
    for (u32 spin = 0; spin < 100000 && !(gh_inb(kCom1 + kLsr) & 0x20); spin++) {
    }
    gh_outb(kCom1 + kData, u8(c));
    g_sent++;
    return 0;
}
// The next received byte, or -NotFound when none is waiting.
GH_FN u32 getc(u32, u32, u32) {
    if (!g_present) return drvabi::error_result(7);
    if (!(gh_inb(kCom1 + kLsr) & 0x01)) return drvabi::error_result(4);
    return gh_inb(kCom1 + kData);
}
GH_FN u32 sent(u32, u32, u32) { return g_sent; }
}  // namespace

// The kernel already programmed the UART (115200 8N1); the driver only checks it answers.
extern "C" GH_FN u32 gh_init(u32, u32, u32) {
    gh_outb(kCom1 + kScratch, 0xA5);
    g_present = gh_inb(kCom1 + kScratch) == 0xA5;
    return 0;
}

GH_EXPORT(putc, "serial.putc");
GH_EXPORT(getc, "serial.getc");
GH_EXPORT_FOR(sent, "serial.sent", drvabi::kForPrograms);
