// VGA text mode (80x25 at 0xB8000): the kernel's fallback screen console, with the same
// scrollback and wrapping as the vga driver (src/dev/text_screen.hpp).
#pragma once
#include "src/lib/types.hpp"

namespace vga {
void init();
void put(char c);
// Take over the screen as it is now (cells and the CRTC cursor), after the vga driver wrote it.
void adopt();
u32 scroll_view(i32 lines);  // back (> 0) or forward; lines now scrolled back
unsigned position();         // cursor cell (row * 80 + column)
}  // namespace vga
