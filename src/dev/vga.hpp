// VGA text mode (80x25 at 0xB8000): the kernel's fallback screen console.
#pragma once

namespace vga {
void init();
void put(char c);
unsigned position();  // cursor cell (row * 80 + column)
}  // namespace vga
