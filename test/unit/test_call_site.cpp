#include <catch2/catch.hpp>
#include <vector>
#include "seg/call_site.hpp"

namespace {
std::vector<u8> code_with_site(u32 at, u32 import, u32 size = 64) {
    std::vector<u8> code(size, 0x90);
    code[at] = 0x9A;
    for (u32 i = 0; i < 4; i++) code[at + 1 + i] = u8(import >> (8 * i));
    code[at + 5] = 0;
    code[at + 6] = 0;
    return code;
}
}  // namespace

TEST_CASE("an unpatched site names its import", "[callsite]") {
    auto code = code_with_site(10, 3);
    auto r = callsite::decode_unpatched(code.data(), u32(code.size()), 10);
    REQUIRE(r.ok());
    CHECK(r.value() == 3);
    CHECK(callsite::decode_unpatched(code.data(), u32(code.size()), 11).error() == Err::Invalid);  // not on a 9A
}

TEST_CASE("a site must lie wholly inside the code segment", "[callsite]") {
    auto code = code_with_site(57, 1);  // bytes 57..63: exactly fits 64
    CHECK(callsite::decode_unpatched(code.data(), 64, 57).ok());
    CHECK(callsite::decode_unpatched(code.data(), 63, 57).error() == Err::Range);
    CHECK(callsite::decode_unpatched(code.data(), 64, 58).error() == Err::Range);
    CHECK(callsite::decode_unpatched(code.data(), 64, 0xFFFFFFFF).error() == Err::Range);
}

TEST_CASE("patching writes a direct far call, once", "[callsite]") {
    auto code = code_with_site(4, 2);
    callsite::patch(code.data() + 4, 0x00108BA5, 0x0008);
    u8 want[7];
    callsite::encode_direct(want, 0x00108BA5, 0x0008);
    for (u32 i = 0; i < 7; i++) CHECK(code[4 + i] == want[i]);
    CHECK(want[0] == 0x9A);
    CHECK(want[1] == 0xA5);
    CHECK(want[4] == 0x00);
    CHECK(want[5] == 0x08);
    CHECK(want[6] == 0x00);
    // A patched site is not an unpatched one: it is never patched again.
    CHECK(callsite::decode_unpatched(code.data(), u32(code.size()), 4).error() == Err::Invalid);
    CHECK(code[3] == 0x90);
    CHECK(code[11] == 0x90);  // neighbours untouched
}

TEST_CASE("half-way through a patch the site still faults", "[callsite]") {
    // After the offset is written but before the selector: still 9A <x> 0000, a null selector.
    auto code = code_with_site(0, 5);
    for (u32 i = 0; i < 4; i++) code[1 + i] = u8(0x12345678u >> (8 * i));
    CHECK(code[0] == 0x9A);
    CHECK(code[5] == 0);
    CHECK(code[6] == 0);
    auto r = callsite::decode_unpatched(code.data(), u32(code.size()), 0);
    REQUIRE(r.ok());  // decodes as a (garbage) import: a re-fault would be refused as out of range
    CHECK(r.value() == 0x12345678);
}
