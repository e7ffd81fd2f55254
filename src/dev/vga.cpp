#include "src/dev/vga.hpp"
#include "src/arch/x86.hpp"
#include "src/mm/layout.hpp"

namespace vga {
namespace {
constexpr int kCols = 80, kRows = 25;
constexpr u16 kAttr = 0x0700;  // light grey on black
volatile u16* const kText = reinterpret_cast<volatile u16*>(mm::kKernelBase + 0xB8000);  // direct map
int g_row = 0, g_col = 0;

void move_cursor() {
    u16 pos = u16(g_row * kCols + g_col);
    x86::outb(0x3D4, 0x0F);
    x86::outb(0x3D5, u8(pos));
    x86::outb(0x3D4, 0x0E);
    x86::outb(0x3D5, u8(pos >> 8));
}

void scroll() {
    for (int i = 0; i < (kRows - 1) * kCols; i++) kText[i] = kText[i + kCols];
    for (int i = (kRows - 1) * kCols; i < kRows * kCols; i++) kText[i] = kAttr | ' ';
    g_row = kRows - 1;
}
}  // namespace

unsigned position() { return unsigned(g_row * kCols + g_col); }

void init() {
    for (int i = 0; i < kRows * kCols; i++) kText[i] = kAttr | ' ';
    g_row = g_col = 0;
    move_cursor();
}

void put(char c) {
    if (c == '\n') {
        g_col = 0;
        if (++g_row == kRows) scroll();
    } else if (c == '\r') {
        g_col = 0;
    } else {
        kText[g_row * kCols + g_col] = kAttr | u8(c);
        if (++g_col == kCols) {
            g_col = 0;
            if (++g_row == kRows) scroll();
        }
    }
    if (c == '\n') move_cursor();
}
}  // namespace vga
