// The 80x25 text console as pure logic: a ring of lines with scrollback, wrap past column 80,
// backspace, tab, and a view that can be scrolled back (Shift+PgUp/PgDn). It owns no hardware:
// every visible change goes to an output with `cell(index, value)` and `cursor(index)` (VGA text
// cells are attribute << 8 | character, row-major, 80 per row). Used by the vga driver, the kernel's
// fallback console (src/dev/vga.cpp) and the host tests alike. `line(row, cells)` writes a whole
// row of 80 cells (a redraw after scrolling).
#pragma once
#include "src/lib/types.hpp"

template <u32 kLines>
class TextScreen {
public:
    static constexpr u32 kCols = 80, kRows = 25;
    static constexpr u16 kAttr = 0x0700;  // light grey on black
    static constexpr u16 kBlank = kAttr | ' ';
    static_assert(kLines >= kRows);

    void reset() {
        first_ = row_ = col_ = view_ = 0;
        for (u32 r = 0; r < kRows; r++) clear_line(r);
    }

    // Take over a screen someone else wrote: its cells (read(i) for i < 2000) and cursor.
    template <class Read>
    void adopt(Read read, u32 cursor_cell) {
        reset();
        for (u32 i = 0; i < kRows * kCols; i++) line(i / kCols)[i % kCols] = read(i);
        if (cursor_cell >= kRows * kCols) cursor_cell = kRows * kCols - 1;
        row_ = cursor_cell / kCols;
        col_ = cursor_cell % kCols;
    }

    template <class Out>
    void put(char ch, Out& out) {
        if (view_) {  // output brings the view back to the live screen
            view_ = 0;
            redraw(out);
        }
        u8 c = u8(ch);
        if (c == '\n') {
            newline(out);
        } else if (c == '\r') {
            col_ = 0;
        } else if (c == '\b') {  // back one cell (the shell erases with "\b \b"), across a wrap too
            if (col_) col_--;
            else if (row_) row_--, col_ = kCols - 1;
        } else if (c == '\t') {
            do glyph(' ', out);
            while (col_ % 8 && col_);
        } else {
            glyph(c, out);
        }
        out.cursor(row_ * kCols + col_);
    }

    // Scroll the view back (lines > 0) or forward; clamped to the history kept. Returns the
    // lines now scrolled back.
    template <class Out>
    u32 scroll_view(i32 lines, Out& out) {
        i32 v = i32(view_) + lines;
        if (v < 0) v = 0;
        if (u32(v) > history()) v = i32(history());
        if (u32(v) != view_) {
            view_ = u32(v);
            redraw(out);
        }
        return view_;
    }

    template <class Out>
    void redraw(Out& out) const {
        for (u32 r = 0; r < kRows; r++) out.line(r, line_at(first_ - view_ + r));
        out.cursor(view_ ? kRows * kCols : row_ * kCols + col_);  // off screen while scrolled back
    }

    u32 position() const { return row_ * kCols + col_; }
    u32 view() const { return view_; }
    // Lines above the live screen that can still be shown.
    u32 history() const { return first_ < kLines - kRows ? first_ : kLines - kRows; }
    // A live-screen cell as the model holds it.
    u16 at(u32 row, u32 col) const { return line_at(first_ + row)[col]; }

private:
    u16* line(u32 screen_row) { return ring_[(first_ + screen_row) % kLines]; }
    const u16* line_at(u32 absolute) const { return ring_[absolute % kLines]; }
    void clear_line(u32 screen_row) {
        u16* l = line(screen_row);
        for (u32 c = 0; c < kCols; c++) l[c] = kBlank;
    }
    template <class Out>
    void glyph(u8 c, Out& out) {
        u16 v = u16(kAttr | c);
        line(row_)[col_] = v;
        out.cell(row_ * kCols + col_, v);
        if (++col_ == kCols) newline(out);  // a long line wraps onto the next
    }
    template <class Out>
    void newline(Out& out) {
        col_ = 0;
        if (row_ + 1 < kRows) {
            row_++;
            return;
        }
        first_++;
        clear_line(kRows - 1);
        redraw(out);
    }

    u16 ring_[kLines][kCols];
    u32 first_ = 0;  // absolute line number of the live screen's row 0
    u32 row_ = 0, col_ = 0;
    u32 view_ = 0;   // lines scrolled back
};
