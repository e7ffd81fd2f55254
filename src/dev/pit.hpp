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
u32 ms_since_boot();
}  // namespace pit
