// The two cascaded 8259A PICs, remapped to vectors 32..47 (the BIOS default 8..15 collides with
// CPU exceptions).
#pragma once
#include "src/lib/types.hpp"

namespace pic {
void init(u8 base);
void unmask(u8 irq);
void mask(u8 irq);
// Acknowledge `irq`, or recognise it as spurious (IRQ 7/15 with its ISR bit clear) and return
// false without acknowledging it on that chip ([8259A] data sheet; osdev practice).
bool begin_irq(u8 irq);
void end_irq(u8 irq);
u32 spurious_count();
}  // namespace pic
