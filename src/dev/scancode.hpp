// PS/2 scancode set 1 to characters, US layout, for the shell's keyboard input: Shift, Caps Lock
// and Ctrl are tracked across calls (make codes set, release codes = make | 0x80 clear). Keys
// without a character become the control codes the shell's line editor knows (emacs style, the
// same bytes a serial terminal sends for Ctrl-<letter>): Up ^P, Down ^N, Left ^B, Right ^F,
// Home ^A, End ^E, Delete ^D. Shift+PgUp/PgDn scroll the screen's view instead of typing.
// Extended keys arrive as 0xE0 then the code (IBM PS/2 Technical Reference, keyboard scan codes).
#pragma once
#include "src/console.hpp"
#include "src/lib/types.hpp"

namespace kbd {
enum : char { kUp = 0x10, kDown = 0x0E, kLeft = 0x02, kRight = 0x06, kHome = 0x01, kEnd = 0x05, kDelete = 0x04 };

struct KeyEvent {
    enum Kind : u8 { None, Char, ScrollBack, ScrollForward } kind = None;
    char ch = 0;
};

class Keyboard {
public:
    constexpr KeyEvent feed(u8 code) {
        if (code == 0xE0) {
            extended_ = true;
            return {};
        }
        bool ext = extended_;
        extended_ = false;
        bool release = code & 0x80;
        u8 key = code & 0x7F;
        switch (key) {
        case 0x2A:
        case 0x36:  // left and right Shift (E0 2A is the PrtSc prefix, no Shift)
            if (!ext) (key == 0x2A ? lshift_ : rshift_) = !release;
            return {};
        case 0x1D: ctrl_ = !release; return {};  // left Ctrl, and E0 1D right Ctrl
        case 0x38: return {};                    // Alt
        case 0x3A:
            if (!release) caps_ = !caps_;
            return {};
        }
        if (release) return {};
        bool shift = lshift_ || rshift_;
        switch (key) {  // the navigation keys (also the keypad's with Num Lock off)
        case 0x48: return chr(kUp);
        case 0x50: return chr(kDown);
        case 0x4B: return chr(kLeft);
        case 0x4D: return chr(kRight);
        case 0x47: return chr(kHome);
        case 0x4F: return chr(kEnd);
        case 0x53: return chr(kDelete);
        case 0x49: return shift ? KeyEvent{KeyEvent::ScrollBack, 0} : KeyEvent{};
        case 0x51: return shift ? KeyEvent{KeyEvent::ScrollForward, 0} : KeyEvent{};
        case 0x35: if (ext) return chr('/'); break;  // keypad /
        case 0x1C: return chr('\n');                 // Enter and keypad Enter
        }
        constexpr char kPlain[] = "\0\x1b" "1234567890-=\b\tqwertyuiop[]\n\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
        constexpr char kShifted[] = "\0\x1b" "!@#$%^&*()_+\b\tQWERTYUIOP{}\n\0ASDFGHJKL:\"~\0|ZXCVBNM<>?\0*\0 ";
        static_assert(sizeof kPlain == sizeof kShifted);
        if (key == 0x4A) return chr('-');
        if (key == 0x4E) return chr('+');
        if (key >= sizeof kPlain - 1) return {};
        char c = shift ? kShifted[key] : kPlain[key];
        if (!c) return {};
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (letter && caps_) c = char(c ^ 0x20);  // Caps Lock inverts the case Shift gave
        if (ctrl_ && letter) return chr(char(c & 0x1F));  // Ctrl-C is 3, Ctrl-U 0x15
        return chr(c);
    }
    constexpr bool caps() const { return caps_; }

private:
    static constexpr KeyEvent chr(char c) { return {KeyEvent::Char, c}; }
    bool lshift_ = false, rshift_ = false, ctrl_ = false, caps_ = false, extended_ = false;
};

// The machine's one keyboard state (shared by every reader of kbd.read).
inline Keyboard g_keyboard;
inline constexpr i32 kScrollLines = 12;  // half a screen per Shift+PgUp
}  // namespace kbd

// The character a scancode types, 0 for none; Shift+PgUp/PgDn scroll the console's view.
inline char scancode_to_ascii(u8 code) {
    kbd::KeyEvent e = kbd::g_keyboard.feed(code);
    if (e.kind == kbd::KeyEvent::ScrollBack) console::scroll_view(kbd::kScrollLines);
    if (e.kind == kbd::KeyEvent::ScrollForward) console::scroll_view(-kbd::kScrollLines);
    return e.kind == kbd::KeyEvent::Char ? e.ch : 0;
}
