#include <catch2/catch.hpp>
#include <string>
#include <vector>
#include "src/dev/text_screen.hpp"

namespace {
using Screen = TextScreen<40>;  // 15 lines of history
struct Vga {
    std::vector<u16> cells = std::vector<u16>(2000, 0);
    u32 cursor_at = 0;
    u32 writes = 0;
    void cell(u32 i, u16 v) { cells.at(i) = v, writes++; }
    void line(u32 row, const u16* c) {
        for (u32 i = 0; i < 80; i++) cells.at(row * 80 + i) = c[i];
    }
    void cursor(u32 p) { cursor_at = p; }
    std::string row(u32 r) const {
        std::string s;
        for (u32 c = 0; c < 80; c++) s += char(cells[r * 80 + c] & 0xFF);
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }
};
void print(Screen& s, Vga& v, const std::string& text) {
    for (char c : text) s.put(c, v);
}
}  // namespace

TEST_CASE("text screen: lines, cursor, attribute") {
    static Screen s;
    Vga v;
    s.reset();
    s.redraw(v);
    print(s, v, "hello\nworld");
    CHECK(v.row(0) == "hello");
    CHECK(v.row(1) == "world");
    CHECK(v.cursor_at == 80 + 5);
    CHECK(v.cells[0] == (0x0700 | 'h'));
}

TEST_CASE("text screen: a line past 80 columns wraps onto the next row") {
    static Screen s;
    Vga v;
    s.reset();
    s.redraw(v);
    print(s, v, std::string(85, 'x') + "\nnext");
    CHECK(v.row(0) == std::string(80, 'x'));
    CHECK(v.row(1) == "xxxxx");
    CHECK(v.row(2) == "next");
    // exactly 80 columns then a newline: the newline is one more line (like a terminal without
    // deferred wrap)
}

TEST_CASE("text screen: backspace moves back and the shell's \\b \\b erases; no glyph is drawn") {
    static Screen s;
    Vga v;
    s.reset();
    s.redraw(v);
    print(s, v, "abc\b \b\b \bX");
    CHECK(v.row(0) == "aX");
    for (u16 c : v.cells) CHECK((c & 0xFF) != 8);
    // across a wrap: back from column 0 of a wrapped row to column 79 above
    s.reset();
    s.redraw(v);
    print(s, v, std::string(80, 'y') + "\b \b");
    CHECK(v.row(0) == std::string(79, 'y'));
}

TEST_CASE("text screen: the 26th line scrolls; nothing is overwritten mid-screen") {
    static Screen s;
    Vga v;
    s.reset();
    s.redraw(v);
    for (int i = 0; i < 30; i++) print(s, v, "line " + std::to_string(i) + "\n");
    CHECK(v.row(0) == "line 6");
    CHECK(v.row(23) == "line 29");
    CHECK(v.row(24) == "");
    CHECK(v.cursor_at == 24 * 80);
}

TEST_CASE("text screen: scrollback shows older lines, clamped to the history kept, output returns") {
    static Screen s;
    Vga v;
    s.reset();
    s.redraw(v);
    for (int i = 0; i < 60; i++) print(s, v, "line " + std::to_string(i) + "\n");
    // live: lines 36..59 on rows 0..23; the ring keeps 40 lines, so 15 above the screen
    CHECK(s.history() == 15);
    CHECK(s.scroll_view(12, v) == 12);
    CHECK(v.row(0) == "line 24");
    CHECK(v.cursor_at == 2000);  // cursor hidden while scrolled back
    CHECK(s.scroll_view(100, v) == 15);
    CHECK(v.row(0) == "line 21");
    CHECK(s.scroll_view(-5, v) == 10);
    CHECK(v.row(0) == "line 26");
    CHECK(s.scroll_view(-100, v) == 0);
    CHECK(v.row(0) == "line 36");
    s.scroll_view(3, v);
    print(s, v, "x");  // typing brings the live screen back
    CHECK(s.view() == 0);
    CHECK(v.row(0) == "line 36");
    CHECK(v.row(24) == "x");
}

TEST_CASE("text screen: adopt takes over another writer's screen and cursor") {
    static Screen s;
    Vga v;
    std::vector<u16> other(2000, 0x0700 | ' ');
    for (int i = 0; i < 5; i++) other[3 * 80 + i] = u16(0x0700 | "boot!"[i]);
    s.adopt([&](u32 i) { return other[i]; }, 4 * 80);
    s.redraw(v);
    print(s, v, "after");
    CHECK(v.row(4) == "after");
    s.redraw(v);
    CHECK(v.row(3) == "boot!");
}
