#include "src/dev/pic.hpp"
#include "src/arch/x86.hpp"

namespace pic {
namespace {
enum : u16 { kMasterCmd = 0x20, kMasterData = 0x21, kSlaveCmd = 0xA0, kSlaveData = 0xA1 };
enum : u8 { kIcw1Init = 0x11, kIcw4_8086 = 0x01, kEoi = 0x20, kReadIsr = 0x0B };
u32 g_spurious = 0;

u8 isr(u16 cmd_port) {
    x86::outb(cmd_port, kReadIsr);
    return x86::inb(cmd_port);
}
}  // namespace

void init(u8 base) {
    x86::outb(kMasterCmd, kIcw1Init); x86::io_wait();
    x86::outb(kSlaveCmd, kIcw1Init); x86::io_wait();
    x86::outb(kMasterData, base); x86::io_wait();        // ICW2: vector base
    x86::outb(kSlaveData, u8(base + 8)); x86::io_wait();
    x86::outb(kMasterData, 0x04); x86::io_wait();        // ICW3: slave on IRQ 2
    x86::outb(kSlaveData, 0x02); x86::io_wait();         // ICW3: slave identity
    x86::outb(kMasterData, kIcw4_8086); x86::io_wait();
    x86::outb(kSlaveData, kIcw4_8086); x86::io_wait();
    x86::outb(kMasterData, 0xFB);  // everything masked but the cascade
    x86::outb(kSlaveData, 0xFF);
}

void unmask(u8 irq) {
    u16 port = irq < 8 ? kMasterData : kSlaveData;
    x86::outb(port, x86::inb(port) & u8(~(1u << (irq & 7))));
}

void mask(u8 irq) {
    u16 port = irq < 8 ? kMasterData : kSlaveData;
    x86::outb(port, x86::inb(port) | u8(1u << (irq & 7)));
}

bool begin_irq(u8 irq) {
    if (irq == 7 && !(isr(kMasterCmd) & 0x80)) {
        g_spurious++;
        return false;
    }
    if (irq == 15 && !(isr(kSlaveCmd) & 0x80)) {
        g_spurious++;
        x86::outb(kMasterCmd, kEoi);  // the master did see a real IRQ 2 from the cascade
        return false;
    }
    return true;
}

void end_irq(u8 irq) {
    if (irq >= 8) x86::outb(kSlaveCmd, kEoi);
    x86::outb(kMasterCmd, kEoi);
}

u32 spurious_count() { return g_spurious; }
}  // namespace pic
