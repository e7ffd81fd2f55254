#include "src/dev/pit.hpp"
#include "src/arch/x86.hpp"
#include "src/dev/pic.hpp"

// Also read by the gate stubs (call start time, for the driver watchdog).
extern "C" volatile u32 gh_tick_count;
volatile u32 gh_tick_count = 0;

namespace pit {
namespace {
volatile u32& g_ticks = gh_tick_count;
enum : u16 { kChannel0 = 0x40, kCommand = 0x43 };
constexpr u8 kCh0RateGenerator = 0x34;  // channel 0, lobyte/hibyte, mode 2, binary
}  // namespace

void init() {
    u16 d = divisor(kTickHz);
    x86::outb(kCommand, kCh0RateGenerator);
    x86::outb(kChannel0, u8(d));
    x86::outb(kChannel0, u8(d >> 8));
    pic::unmask(0);
}

u16 read_count() {
    u32 flags = x86::eflags();
    x86::cli();  // the latch and its two reads in one piece
    x86::outb(kCommand, 0x00);  // counter latch, channel 0
    u8 lo = x86::inb(kChannel0);
    u8 hi = x86::inb(kChannel0);
    x86::set_eflags(flags);
    return u16(lo | hi << 8);
}

u32 g_repairs = 0, g_resets = 0;
void program(u32& counter) {
    u32 flags = x86::eflags();
    x86::cli();  // no tick's count latch between the command and the divisor's two bytes
    counter++;
    init();
    x86::set_eflags(flags);
}
void repair() { program(g_repairs); }
void program_again() { program(g_resets); }
u32 repairs() { return g_repairs; }
u32 resets() { return g_resets; }

bool mode_as_programmed() {
    u32 flags = x86::eflags();
    x86::cli();
    x86::outb(kCommand, 0xE2);  // read-back: status only (count not latched), channel 0
    u8 status = x86::inb(kChannel0);
    x86::set_eflags(flags);
    return (status & 0x3E) == (kCh0RateGenerator & 0x3E);  // RW bits 4-5, mode bits 1-3
}

// Found by the fault-injection campaign (seed 21, injection 104330): a bit flip turned pit's
// `in al, 0x40` into `out 0x40, al`; two calls later a new divisor of a few counts was complete
// and IRQ 0 came so often that nothing else ran (a hang).
u32 g_low = 0;
void on_tick() {
    g_ticks = g_ticks + 1;
    u16 count = read_count(), div = divisor(kTickHz);
    g_low = count_low(count, div) ? g_low + 1 : 0;
    if (count_above_divisor(count, div) || g_low == kStormTicks) {
        g_low = 0;
        repair();
    }
}
u32 ticks() { return g_ticks; }
u32 ms_since_boot() { return g_ticks * (1000 / kTickHz); }
}  // namespace pit
