// PS/2 scancode set 1 (make codes) to ASCII, US layout, for the shell's keyboard input.
// Releases (bit 7) and keys without a character give 0.
#pragma once
#include "src/lib/types.hpp"

constexpr char scancode_to_ascii(u8 code) {
    constexpr char kRow[] = "\0\x1b" "1234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
    if (code & 0x80 || code >= sizeof(kRow) - 1) return 0;
    return kRow[code];
}
static_assert(scancode_to_ascii(0x1E) == 'a' && scancode_to_ascii(0x1C) == '\n' && scancode_to_ascii(0x39) == ' ');
static_assert(scancode_to_ascii(0x02) == '1' && scancode_to_ascii(0x0E) == '\b' && scancode_to_ascii(0x9E) == 0);
