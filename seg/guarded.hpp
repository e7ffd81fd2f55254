// Segment operations that may fault and come back with -1 instead (seg/guarded.asm). The fault
// itself is reported by the trap handler and recorded in fixup::last().
#pragma once
#include "src/lib/types.hpp"

extern "C" {
int guarded_read32(u16 sel, u32 off, u32* out);
int guarded_write32(u16 sel, u32 off, u32 value);
int guarded_load_gs(u16 sel);
int guarded_div(u32 a, u32 b, u32* quotient);
int guarded_ud();
int guarded_copy(void* dst, const void* src, u32 len);
}
