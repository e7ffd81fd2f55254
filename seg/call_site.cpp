#include "seg/call_site.hpp"

namespace callsite {

Result<u32> decode_unpatched(const u8* code, u32 code_size, u32 eip) {
    if (eip > code_size || code_size - eip < kBytes) return Err::Range;
    const u8* s = code + eip;
    if (s[0] != kFarCall) return Err::Invalid;
    if (s[5] != 0 || s[6] != 0) return Err::Invalid;  // patched already, or another far call
    return u32(s[1]) | u32(s[2]) << 8 | u32(s[3]) << 16 | u32(s[4]) << 24;
}

void encode_direct(u8 out[kBytes], u32 offset, u16 selector) {
    out[0] = kFarCall;
    for (u32 i = 0; i < 4; i++) out[1 + i] = u8(offset >> (8 * i));
    out[5] = u8(selector);
    out[6] = u8(selector >> 8);
}

void patch(volatile u8* site, u32 offset, u16 selector) {
    for (u32 i = 0; i < 4; i++) site[1 + i] = u8(offset >> (8 * i));
    *reinterpret_cast<volatile u16*>(site + 5) = selector;
}

Result<u32> decode_syscall(const u8 s[kBytes]) {
    if (s[0] != kFarCall || s[5] != 0x03 || s[6] != 0x00) return Err::Invalid;
    return u32(s[1]) | u32(s[2]) << 8 | u32(s[3]) << 16 | u32(s[4]) << 24;
}

void encode_int80(u8 out[kBytes], u32 number) {
    out[0] = 0xB8;  // mov eax, imm32
    for (u32 i = 0; i < 4; i++) out[1 + i] = u8(number >> (8 * i));
    out[5] = 0xCD;  // int imm8
    out[6] = 0x80;
}

void encode_near_call(u8 out[kBytes], u32 site_addr, u32 target) {
    u32 rel = target - (site_addr + 5);
    out[0] = 0xE8;
    for (u32 i = 0; i < 4; i++) out[1 + i] = u8(rel >> (8 * i));
    out[5] = 0x90;
    out[6] = 0x90;
}

}  // namespace callsite
