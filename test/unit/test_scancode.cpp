#include <catch2/catch.hpp>
#include <string>
#include "src/dev/scancode.hpp"

namespace {
// Feed make/release codes; collect the characters typed.
std::string type(kbd::Keyboard& k, std::initializer_list<u8> codes) {
    std::string out;
    for (u8 c : codes) {
        kbd::KeyEvent e = k.feed(c);
        if (e.kind == kbd::KeyEvent::Char) out += e.ch;
        if (e.kind == kbd::KeyEvent::ScrollBack) out += "<pgup>";
        if (e.kind == kbd::KeyEvent::ScrollForward) out += "<pgdn>";
    }
    return out;
}
}  // namespace

TEST_CASE("scancodes: plain keys, releases give nothing") {
    kbd::Keyboard k;
    CHECK(type(k, {0x1E, 0x9E, 0x30, 0xB0, 0x02, 0x82, 0x39, 0x1C}) == "ab1 \n");
    CHECK(type(k, {0x0E}) == "\b");
}

TEST_CASE("scancodes: Shift gives capitals and shifted symbols until released") {
    kbd::Keyboard k;
    CHECK(type(k, {0x2A, 0x1E, 0x02, 0x0C, 0x27, 0x28, 0x35, 0xAA, 0x1E}) == "A!_:\"?a");
    CHECK(type(k, {0x36, 0x2B, 0x1A, 0x33, 0xB6, 0x2B}) == "|{<\\");
    // Both shifts: releasing one keeps the other
    CHECK(type(k, {0x2A, 0x36, 0xAA, 0x1F, 0xB6, 0x1F}) == "Ss");
}

TEST_CASE("scancodes: Caps Lock toggles letters only, and Shift inverts it") {
    kbd::Keyboard k;
    CHECK(type(k, {0x3A, 0xBA, 0x1E, 0x02}) == "A1");
    CHECK(k.caps());
    CHECK(type(k, {0x2A, 0x1E, 0x02, 0xAA}) == "a!");
    CHECK(type(k, {0x3A, 0xBA, 0x1E}) == "a");
    CHECK(!k.caps());
}

TEST_CASE("scancodes: Ctrl makes control characters (Ctrl-C, Ctrl-U)") {
    kbd::Keyboard k;
    CHECK(type(k, {0x1D, 0x2E, 0x16, 0x9D, 0x2E}) == "\x03\x15" "c");
    CHECK(type(k, {0xE0, 0x1D, 0x2E, 0xE0, 0x9D}) == "\x03");  // right Ctrl
}

TEST_CASE("scancodes: arrows and navigation keys become the line editor's control codes") {
    kbd::Keyboard k;
    CHECK(type(k, {0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0x50, 0xE0, 0x4B, 0xE0, 0x4D}) == "\x10\x0e\x02\x06");
    CHECK(type(k, {0xE0, 0x47, 0xE0, 0x4F, 0xE0, 0x53}) == "\x01\x05\x04");
    // The PrtSc prefix E0 2A is no Shift
    CHECK(type(k, {0xE0, 0x2A, 0x1E}) == "a");
}

TEST_CASE("scancodes: Shift+PgUp/PgDn scroll, plain PgUp types nothing") {
    kbd::Keyboard k;
    CHECK(type(k, {0xE0, 0x49, 0xE0, 0x51}).empty());
    CHECK(type(k, {0x2A, 0xE0, 0x49, 0xE0, 0xC9, 0xE0, 0x51, 0xAA}) == "<pgup><pgdn>");
}
