// The 8253/8254 PIT channel 0 as the kernel tick (IRQ 0).
#pragma once
#include "src/lib/types.hpp"

namespace pit {
inline constexpr u32 kInputHz = 1193182;
inline constexpr u32 kTickHz = 100;
constexpr u16 divisor(u32 hz) { return u16((kInputHz + hz / 2) / hz); }
static_assert(divisor(100) == 11932);

void init();
void on_tick();  // from the IRQ 0 handler
u32 ticks();
// Channel 0's current count (latched): it moves by ~1.19 per microsecond while the timer runs.
u16 read_count();
// The pit driver declares the timer's ports (one command port for all channels: no I/O bitmap
// can keep it off channel 0), so a faulty one can reprogram the kernel's tick. Right after IRQ 0
// the count is at most the divisor; above it, the timer was given another divisor or mode. A
// count far below it again and again is a much shorter period (an IRQ 0 storm); once is only an
// IRQ that waited behind IF = 0 or a masked line, and came at any point of the period.
// Ticks in a row with a count below divisor / 8. A storm brings thousands in milliseconds; late
// ticks (a campaign spends most of its time in fault handling with IF = 0) land there one in eight
// at random, and 8 in a row did happen (the campaign's "timer reprogrammed" counted faults in
// serial and vga): 64 in a row is a chance of 8^-64.
inline constexpr u32 kStormTicks = 64;
constexpr bool count_above_divisor(u16 count, u16 div) { return count > div; }
constexpr bool count_low(u16 count, u16 div) { return count < div / 8; }
static_assert(count_above_divisor(65535, divisor(100)) && !count_above_divisor(11932, divisor(100)));
static_assert(count_low(50, divisor(100)) && !count_low(11000, divisor(100)));
// Read-back status ([8254] data sheet): channel 0 still mode 2, low byte then high byte?
bool mode_as_programmed();
// Program channel 0 again (on_tick does when the checks above say so; the campaign before a
// wait for a tick when the count stands still or the mode changed), counted.
void repair();
u32 repairs();
// A driver whose declared ports reach channel 0 (its data port 0x40 or the command port 0x43)
// can give the tick another period that no check above sees: faster, but not a storm (campaign
// seed 80, injection 1470110, and seed 62, 158679: a flipped pit byte became `out imm8, al`; the
// 5-tick watchdog then stopped a legitimate call in the checks). Such a driver's restart programs
// channel 0 again first (src/drv/registry.cpp, reload), as a restart resets a driver's device.
constexpr bool reaches_channel0(u16 base, u16 count) {
    return (base <= 0x40 && 0x40 < u32(base) + count) || (base <= 0x43 && 0x43 < u32(base) + count);
}
static_assert(reaches_channel0(0x40, 4) && reaches_channel0(0x43, 1) && !reaches_channel0(0x41, 2) &&
              !reaches_channel0(0x60, 5) && !reaches_channel0(0x3F, 1));
void program_again();  // channel 0 at the kernel's rate; counted in resets()
u32 resets();
u32 ms_since_boot();
}  // namespace pit
