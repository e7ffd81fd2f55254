#include <catch2/catch.hpp>
#include <string>
#include <vector>
#include "src/lib/str.hpp"

namespace {
std::string s(Str x) { return std::string(x.p ? x.p : "", x.n); }
std::vector<std::string> split(const char* text, char sep) {
    std::vector<std::string> out;
    Str rest(text), tok;
    while (next_token(rest, sep, tok)) out.push_back(s(tok));
    return out;
}
}  // namespace

TEST_CASE("string view basics", "[str]") {
    Str a("console=serial");
    CHECK(a.n == 14);
    CHECK(a.starts_with("console="));
    CHECK(!a.starts_with("console=serial+"));
    CHECK(a.find('=') == 7);
    CHECK(a.find('#') == a.n);
    CHECK(s(a.sub(8)) == "serial");
    CHECK(s(a.sub(8, 3)) == "ser");
    CHECK(s(a.sub(99)) == "");
    CHECK(Str("abc").eq(Str("abc")));
    CHECK(!Str("abc").eq(Str("abd")));
    CHECK(!Str("abc").eq(Str("ab")));
    CHECK(Str(nullptr).empty());
}

TEST_CASE("tokens keep empty fields", "[str]") {
    CHECK(split("gdt,memmap", ',') == std::vector<std::string>{"gdt", "memmap"});
    CHECK(split("a,,b,", ',') == std::vector<std::string>{"a", "", "b", ""});
    CHECK(split("", ',') == std::vector<std::string>{""});
    CHECK(split("one", ',') == std::vector<std::string>{"one"});
}

TEST_CASE("parse_u32 refuses junk and overflow", "[str]") {
    CHECK(parse_u32("0").value() == 0);
    CHECK(parse_u32("3584").value() == 3584);
    CHECK(parse_u32("4294967295").value() == 4294967295u);
    CHECK(parse_u32("0xFFFFFFFF").value() == 0xFFFFFFFFu);
    CHECK(parse_u32("0x1f").value() == 0x1F);
    CHECK(parse_u32("4294967296").error() == Err::Range);
    CHECK(parse_u32("0x100000000").error() == Err::Range);
    CHECK(parse_u32("").error() == Err::Invalid);
    CHECK(parse_u32("0x").error() == Err::Invalid);
    CHECK(parse_u32("12a").error() == Err::Invalid);
    CHECK(parse_u32("-1").error() == Err::Invalid);
    CHECK(parse_u32(" 1").error() == Err::Invalid);
}

TEST_CASE("mem_eq and constexpr views", "[str]") {
    CHECK(mem_eq("abcd", "abcd", 4));
    CHECK(!mem_eq("abcd", "abce", 4));
    CHECK(mem_eq("abcd", "abce", 3));
    CHECK(mem_eq(nullptr, nullptr, 0));
    constexpr Str lit("selftest");
    static_assert(lit.n == 8);
    static_assert(str_len("") == 0);
    CHECK(Str("selftest").eq(lit));
    CHECK(!Str("").eq(Str("x")));
    CHECK(Str("").eq(Str()));  // both empty
    CHECK(Str("abc").starts_with(""));
    CHECK(!Str("ab").starts_with("abc"));
}

TEST_CASE("a default view yields no token, an empty string one empty token", "[str]") {
    Str none, tok("untouched");
    CHECK(!next_token(none, ',', tok));
    CHECK(s(tok) == "untouched");
    Str rest("a,b"), t;
    REQUIRE(next_token(rest, ',', t));
    CHECK(s(t) == "a");
    CHECK(s(rest) == "b");
    REQUIRE(next_token(rest, ',', t));
    CHECK(s(t) == "b");
    CHECK(rest.p == nullptr);
    CHECK(!next_token(rest, ',', t));
}

TEST_CASE("parse_u32 edge cases", "[str]") {
    CHECK(parse_u32("0X1F").value() == 0x1F);
    CHECK(parse_u32("007").value() == 7);  // decimal, not octal
    CHECK(parse_u32("0x0000000000ff").value() == 0xFF);  // leading zeros never overflow
    CHECK(parse_u32("4294967290").value() == 4294967290u);
    CHECK(parse_u32("4294967300").error() == Err::Range);
    CHECK(parse_u32("99999999999999999999").error() == Err::Range);
    CHECK(parse_u32("99999999999x").error() == Err::Invalid);  // junk wins over overflow
    CHECK(parse_u32("+1").error() == Err::Invalid);
    CHECK(parse_u32("1 ").error() == Err::Invalid);
    CHECK(parse_u32("0xg").error() == Err::Invalid);
    CHECK(parse_u32("ff").error() == Err::Invalid);  // hex needs its 0x
    CHECK(parse_u32(Str("123", 2)).value() == 12);   // a view, not a C string
    CHECK(parse_u32(Str()).error() == Err::Invalid);
}
