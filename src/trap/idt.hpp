// The IDT: 32 exception vectors, 16 remapped PIC IRQs (32..47); #DF is a task gate.
#pragma once
#include "src/lib/types.hpp"

namespace idt {
inline constexpr u16 kEntries = 256;
inline constexpr u8 kIrqBase = 32;
inline constexpr u8 kSyscallVector = 0x80;
void init();
u64 get(u8 vector);
void set(u8 vector, u64 descriptor);  // used by crash=df to make a gate not present
}  // namespace idt
