// vga: the 80x25 text screen as a driver. Its data segment holds its state and a scrollback of
// 200 lines (src/dev/text_screen.hpp); the screen itself is reached through a selector the kernel
// gives it for exactly the text buffer (kernel.vga_text), so the driver can touch 4000 bytes of
// video memory and nothing else.
#include "drivers/lib/driver.hpp"
#include "src/dev/text_screen.hpp"

GH_DRIVER("vga");
GH_PORTS(crtc, 0x3D4, 2);  // the CRT controller's index and data ports (the cursor)

namespace {
GH_IMPORT(kernel_vga_text, "kernel.vga_text");
u16 g_text = 0;
TextScreen<200> g_screen;

void poke(u32 cell, u16 v) {
    asm volatile("push %%fs; mov %0, %%fs; movw %2, %%fs:(%1); pop %%fs" ::"r"(u32(g_text)), "r"(cell * 2), "r"(v)
                 : "memory");
}
u16 peek(u32 cell) {
    u16 v;
    asm volatile("push %%fs; mov %1, %%fs; movw %%fs:(%2), %0; pop %%fs" : "=r"(v) : "r"(u32(g_text)), "r"(cell * 2));
    return v;
}

// The CRT controller's cursor location registers 0x0E/0x0F (index port 0x3D4, data 0x3D5).
u32 hardware_cursor() {
    gh_outb(0x3D4, 0x0E);
    u32 hi = gh_inb(0x3D5);
    gh_outb(0x3D4, 0x0F);
    return hi << 8 | gh_inb(0x3D5);
}

struct Screen {
    void cell(u32 i, u16 v) { poke(i, v); }
    void line(u32 row, const u16* cells) {
        (void)gh_copy_to_far(FarPtr<u8>(g_text, row * 160), cells, 160);
    }
    void cursor(u32 pos) {
        gh_outb(0x3D4, 0x0F);
        gh_outb(0x3D5, u8(pos));
        gh_outb(0x3D4, 0x0E);
        gh_outb(0x3D5, u8(pos >> 8));
    }
};

// Carry on from what is on the screen now (the kernel's boot output, or its fallback writes).
void adopt_screen() {
    g_screen.adopt([](u32 i) { return peek(i); }, hardware_cursor());
}

GH_FN u32 putc(u32 c, u32, u32) {
    if (!g_text) return drvabi::error_result(7);
    Screen s;
    g_screen.put(char(c), s);
    return 0;
}
GH_FN u32 position(u32, u32, u32) { return g_screen.position(); }
// Scroll the view back by `lines` (a negative count as two's complement: forward); the lines now
// scrolled back.
GH_FN u32 scroll(u32 lines, u32, u32) {
    if (!g_text) return drvabi::error_result(7);
    Screen s;
    return g_screen.scroll_view(i32(lines), s);
}
GH_FN u32 adopt(u32, u32, u32) {
    if (!g_text) return drvabi::error_result(7);
    adopt_screen();
    return 0;
}
}  // namespace

extern "C" GH_FN u32 gh_init(u32, u32, u32) {
    u32 sel = gh_call(kernel_vga_text);
    if (drvabi::is_error(sel)) return 0;
    g_text = u16(sel);
    adopt_screen();
    return 0;
}

GH_EXPORT(putc, "vga.putc");
GH_EXPORT(position, "vga.position");
GH_EXPORT(scroll, "vga.scroll");
GH_EXPORT(adopt, "vga.adopt");
