// RDOS-style call sites (docs/drivers.md, "Two call paths"). A site is the 7-byte far call
// `9A <imm32> <imm16>`. Unpatched, the selector is null and imm32 names an import: running it
// raises #GP(0) with EIP on the 9A. The kernel then rewrites it into a direct far call to the
// import's entry stub: `9A <stub offset> <kernel CS>`. Pure, so the host tests pin every byte.
#pragma once
#include "src/lib/result.hpp"

namespace callsite {

inline constexpr u8 kFarCall = 0x9A;
inline constexpr u32 kBytes = 7;

// The import index named by an unpatched site at `eip` in a code segment of `code_size` bytes.
// Invalid: not a far call, or already patched (a non-null selector). Range: the 7 bytes do not
// all lie inside the code segment.
Result<u32> decode_unpatched(const u8* code, u32 code_size, u32 eip);

// The patched bytes.
void encode_direct(u8 out[kBytes], u32 offset, u16 selector);

// Rewrite an unpatched site in place. The offset goes first while the selector is still null, so
// the site keeps faulting; the selector goes last, in one 16-bit store: no half-written call can
// run (and, unlike writing the opcode last, no intermediate form names another selector).
void patch(volatile u8* site, u32 offset, u16 selector);

// --- system-call sites in user programs (docs/syscalls.md) ---
// Unpatched: `9A <number:32> 03 00`, a far call to the null selector with RPL 3.
Result<u32> decode_syscall(const u8 site[kBytes]);
// `mov eax, <number>; int 0x80` (B8 <number:32> CD 80).
void encode_int80(u8 out[kBytes], u32 number);
// A near call into that number's SYSENTER stub: `E8 <rel32> 90 90`, rel32 from the next instruction.
void encode_near_call(u8 out[kBytes], u32 site_addr, u32 target);

}  // namespace callsite
