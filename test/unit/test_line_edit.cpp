#include <catch2/catch.hpp>
#include <string>
#include "user/lib/line_edit.hpp"

namespace {
using Editor = LineEditor<32, 4>;
// A terminal that knows only what the editor may send: printable bytes overwrite and advance,
// '\b' moves left, '\n' ends the line.
struct Term {
    std::string screen;
    size_t col = 0;
    std::string raw;
    void write(const char* s, u32 n) {
        for (u32 i = 0; i < n; i++) {
            char c = s[i];
            raw += c;
            if (c == '\b') {
                REQUIRE(col > 0);
                col--;
            } else if (c == '\n') {
                screen.clear();
                col = 0;
            } else {
                REQUIRE(c >= 32);
                if (col == screen.size()) screen += c;
                else screen[col] = c;
                col++;
            }
        }
    }
    std::string shown() const {
        std::string s = screen;
        while (!s.empty() && s.back() == ' ') s.pop_back();
        return s;
    }
};
Editor::Status type(Editor& e, Term& t, const std::string& keys) {
    Editor::Status st = Editor::Status::Editing;
    for (char c : keys) st = e.feed(c, t);
    return st;
}
std::string line(const Editor& e) { return std::string(e.line(), e.length()); }
}  // namespace

TEST_CASE("line editor: typing, backspace, Enter") {
    static Editor e;
    Term t;
    CHECK(type(e, t, "helo\blo") == Editor::Status::Editing);
    CHECK(line(e) == "hello");
    CHECK(t.shown() == "hello");
    CHECK(type(e, t, "\x7f\x7f" "p!\r") == Editor::Status::Done);
    CHECK(std::string(e.line()) == "help!");
}

TEST_CASE("line editor: left/right and insert in the middle, on screen too") {
    static Editor e;
    Term t;
    type(e, t, "rn hello");
    type(e, t, "\x01\x06u");  // Home, Right, insert: "run hello"
    CHECK(line(e) == "run hello");
    CHECK(t.shown() == "run hello");
    CHECK(t.col == 2);
    CHECK(e.cursor() == 2);
    type(e, t, "\x1b[C\x1b[C\x04");  // two right (ANSI), delete under the cursor: "run ello"
    CHECK(line(e) == "run ello");
    CHECK(t.shown() == "run ello");
    type(e, t, "\x1b[F!");  // End, append
    CHECK(t.shown() == "run ello!");
    type(e, t, "\x1b[H\x1b[3~");  // Home, Delete key
    CHECK(t.shown() == "un ello!");
    CHECK(t.col == 0);
}

TEST_CASE("line editor: Ctrl-U clears the line and the screen") {
    static Editor e;
    Term t;
    type(e, t, "fault faulty 5");
    type(e, t, "\x02\x02\x15");
    CHECK(line(e).empty());
    CHECK(t.shown().empty());
    CHECK(t.col == 0);
}

TEST_CASE("line editor: Ctrl-C cancels the line") {
    static Editor e;
    Term t;
    CHECK(type(e, t, "run spinner\x03") == Editor::Status::Cancelled);
    CHECK(t.raw.find("^C\n") != std::string::npos);
    e.reset();
    CHECK(line(e).empty());
    CHECK(e.history_count() == 0);
}

TEST_CASE("line editor: history with up/down (ANSI and the keyboard's ^P/^N), newest first") {
    static Editor e;
    Term t;
    type(e, t, "ps\r");
    e.reset();
    type(e, t, "run hello\r");
    e.reset();
    type(e, t, "run hello\r");  // a repeat is kept once
    e.reset();
    CHECK(e.history_count() == 2);
    type(e, t, "dr");
    type(e, t, "\x1b[A");
    CHECK(line(e) == "run hello");
    CHECK(t.shown() == "run hello");
    type(e, t, "\x10");
    CHECK(line(e) == "ps");
    CHECK(t.shown() == "ps");
    type(e, t, "\x10");  // no older entry: stays
    CHECK(line(e) == "ps");
    type(e, t, "\x1b[B\x0e");
    CHECK(line(e).empty());
    CHECK(t.shown().empty());
    type(e, t, "\x1b[A\b\b\b\b\bmore\r");
    CHECK(std::string(e.line()) == "run more");
}

TEST_CASE("line editor: a full line drops further bytes; history keeps only the newest entries") {
    static Editor e;
    Term t;
    type(e, t, std::string(40, 'x'));
    CHECK(e.length() == 31);
    type(e, t, "\r");
    for (int i = 0; i < 6; i++) {
        e.reset();
        type(e, t, "cmd" + std::to_string(i) + "\r");
    }
    e.reset();
    CHECK(e.history_count() == 4);
    type(e, t, "\x10\x10\x10\x10\x10");
    CHECK(line(e) == "cmd2");
}
