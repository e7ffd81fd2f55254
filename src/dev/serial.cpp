#include "src/dev/serial.hpp"
#include "src/arch/x86.hpp"

namespace serial {
namespace {
constexpr u16 kCom1 = 0x3F8;
// Register offsets from the base port (16550 data sheet).
enum : u16 { kData = 0, kIer = 1, kDivLo = 0, kDivHi = 1, kFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kScratch = 7 };
constexpr u8 kLsrThrEmpty = 0x20;
bool g_present = false;
}  // namespace

bool init() {
    // A UART keeps what is written to its scratch register; a floating bus reads back 0xFF.
    x86::outb(kCom1 + kScratch, 0x5A);
    if (x86::inb(kCom1 + kScratch) != 0x5A) return g_present = false;
    x86::outb(kCom1 + kIer, 0x00);   // no UART interrupts: the kernel polls
    x86::outb(kCom1 + kLcr, 0x80);   // DLAB on
    x86::outb(kCom1 + kDivLo, 1);    // 115200 baud
    x86::outb(kCom1 + kDivHi, 0);
    x86::outb(kCom1 + kLcr, 0x03);   // 8N1, DLAB off
    x86::outb(kCom1 + kFcr, 0xC7);   // FIFOs on and cleared
    x86::outb(kCom1 + kMcr, 0x03);   // DTR, RTS
    return g_present = true;
}

bool present() { return g_present; }

void put(char c) {
    if (!g_present) return;
    // Bounded wait: a wedged UART must not hang the kernel.
    for (u32 spin = 0; spin < 100000 && !(x86::inb(kCom1 + kLsr) & kLsrThrEmpty); spin++) {
    }
    x86::outb(kCom1 + kData, u8(c));
}
}  // namespace serial
