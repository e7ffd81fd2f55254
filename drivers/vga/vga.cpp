// vga: the 80x25 text screen as a driver. Its data segment holds its state; the screen itself is
// reached through a selector the kernel gives it for exactly the text buffer (kernel.vga_text),
// so the driver can touch 4000 bytes of video memory and nothing else.
#include "drivers/lib/driver.hpp"

GH_DRIVER("vga");

namespace {
GH_IMPORT(kernel_vga_text, "kernel.vga_text");
constexpr u32 kCols = 80, kRows = 25;
constexpr u16 kAttr = 0x0700;
u16 g_text = 0;
u32 g_row = 0, g_col = 0;

void poke(u32 cell, u16 v) {
    asm volatile("push %%fs; mov %0, %%fs; movw %2, %%fs:(%1); pop %%fs" ::"r"(u32(g_text)), "r"(cell * 2), "r"(v)
                 : "memory");
}
u16 peek(u32 cell) {
    u16 v;
    asm volatile("push %%fs; mov %1, %%fs; movw %%fs:(%2), %0; pop %%fs" : "=r"(v) : "r"(u32(g_text)), "r"(cell * 2));
    return v;
}

void scroll() {
    for (u32 i = 0; i < (kRows - 1) * kCols; i++) poke(i, peek(i + kCols));
    for (u32 i = (kRows - 1) * kCols; i < kRows * kCols; i++) poke(i, kAttr | ' ');
    g_row = kRows - 1;
}

void cursor() {
    u32 pos = g_row * kCols + g_col;
    gh_outb(0x3D4, 0x0F);
    gh_outb(0x3D5, u8(pos));
    gh_outb(0x3D4, 0x0E);
    gh_outb(0x3D5, u8(pos >> 8));
}

GH_FN u32 putc(u32 c, u32, u32) {
    if (!g_text) return drvabi::error_result(7);
    if (c == '\n') {
        g_col = 0;
        if (++g_row == kRows) scroll();
        cursor();
    } else if (c == '\r') {
        g_col = 0;
    } else {
        poke(g_row * kCols + g_col, u16(kAttr | u8(c)));
        if (++g_col == kCols) {
            g_col = 0;
            if (++g_row == kRows) scroll();
        }
    }
    return 0;
}
GH_FN u32 position(u32, u32, u32) { return g_row * kCols + g_col; }
}  // namespace

extern "C" GH_FN u32 gh_init(u32, u32, u32) {
    u32 sel = gh_call(kernel_vga_text);
    if (drvabi::is_error(sel)) return 0;
    g_text = u16(sel);
    // Carry on below what the kernel's own console wrote during boot.
    u32 pos = gh_call(kernel_vga_text, 1);
    g_row = pos / kCols;
    g_col = pos % kCols;
    return 0;
}

GH_EXPORT(putc, "vga.putc");
GH_EXPORT(position, "vga.position");
