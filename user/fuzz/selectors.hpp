// What a selector is to CPL 3, asked of the CPU itself: VERR (readable from here, so loadable into
// DS..GS when present) and LAR (access rights, when visible from here) ([intel/vol2] VERR, LAR).
// Neither instruction faults, so the fuzzer can sort selectors before it loads any.
#pragma once
#include "src/lib/types.hpp"

namespace fuzz {
inline bool verr(u16 sel) {
    u8 ok;
    asm volatile("verr %1; setz %0" : "=q"(ok) : "r"(sel) : "cc");
    return ok;
}
// The access-rights dword (bits 8..23 of the descriptor's high word), or 0 when LAR refuses.
inline u32 lar(u16 sel) {
    u32 ar = 0;
    u8 ok;
    asm volatile("lar %2, %0; setz %1" : "+r"(ar), "=q"(ok) : "r"(u32(sel)) : "cc");
    return ok ? ar : 0;
}
constexpr bool ar_present(u32 ar) { return ar & (1u << 15); }
constexpr u32 ar_dpl(u32 ar) { return (ar >> 13) & 3; }
constexpr u32 ar_type(u32 ar) { return (ar >> 8) & 0x1F; }  // S bit and the 4-bit type
constexpr bool ar_is_call_gate32(u32 ar) { return ar_type(ar) == 0x0C; }
}  // namespace fuzz
