#include "src/dev/vga.hpp"
#include "src/arch/x86.hpp"
#include "src/dev/text_screen.hpp"
#include "src/mm/layout.hpp"

namespace vga {
namespace {
volatile u16* const kText = reinterpret_cast<volatile u16*>(mm::kKernelBase + 0xB8000);  // direct map
TextScreen<200> g_screen;

struct Screen {
    void cell(u32 i, u16 v) { kText[i] = v; }
    void line(u32 row, const u16* cells) {
        for (u32 c = 0; c < 80; c++) kText[row * 80 + c] = cells[c];
    }
    // The CRT controller's cursor location registers 0x0F (low) and 0x0E (high).
    void cursor(u32 pos) {
        x86::outb(0x3D4, 0x0F);
        x86::outb(0x3D5, u8(pos));
        x86::outb(0x3D4, 0x0E);
        x86::outb(0x3D5, u8(pos >> 8));
    }
};

u32 hardware_cursor() {
    x86::outb(0x3D4, 0x0E);
    u32 hi = x86::inb(0x3D5);
    x86::outb(0x3D4, 0x0F);
    return hi << 8 | x86::inb(0x3D5);
}
}  // namespace

unsigned position() { return g_screen.position(); }

void init() {
    g_screen.reset();
    Screen s;
    g_screen.redraw(s);
}

void adopt() {
    g_screen.adopt([](u32 i) { return u16(kText[i]); }, hardware_cursor());
}

void put(char c) {
    Screen s;
    g_screen.put(c, s);
}

u32 scroll_view(i32 lines) {
    Screen s;
    return g_screen.scroll_view(lines, s);
}
}  // namespace vga
