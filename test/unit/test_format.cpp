#include <catch2/catch.hpp>
#include <string>
#include "src/lib/format.hpp"

namespace {
template <class... A>
std::string fmt(const char* f, A... a) {
    char buf[128];
    format(buf, sizeof buf, f, a...);
    return buf;
}
}  // namespace

TEST_CASE("integers in decimal and hex", "[format]") {
    CHECK(fmt("%u", 0u) == "0");
    CHECK(fmt("%u", 4294967295u) == "4294967295");
    CHECK(fmt("%d", -2147483647 - 1) == "-2147483648");
    CHECK(fmt("%d", -42) == "-42");
    CHECK(fmt("%5d|%-5s|", -42, "ab") == "  -42|ab   |");
    CHECK(fmt("%05d", -42) == "-0042");
    CHECK(fmt("%x %X", 0xbeefu, 0xbeefu) == "beef BEEF");
    CHECK(fmt("%08x", 0x1234u) == "00001234");
    CHECK(fmt("%04x", 0x12345u) == "12345");
}

TEST_CASE("64-bit values print in hex without libgcc division", "[format]") {
    CHECK(fmt("%016llx", 0x00CF9A000000FFFFull) == "00cf9a000000ffff");
    CHECK(fmt("%llx", 0x100000000ull) == "100000000");
    CHECK(fmt("%llx", 0x1ull) == "1");
}

TEST_CASE("strings, chars, pointers and odd specs", "[format]") {
    CHECK(fmt("%s=%c", "a", 'b') == "a=b");
    const char* volatile none = nullptr;  // volatile: keep GCC's format checker out of it
    CHECK(fmt("%s", none) == "(null)");
    CHECK(fmt("%p", reinterpret_cast<void*>(0x1000)) == "0x00001000");
    CHECK(fmt("100%%") == "100%");
    CHECK(fmt("'%.*s'", 3, "abcdef") == "'abc'");
    CHECK(fmt("'%.2s'", "abcdef") == "'ab'");
    CHECK(fmt("'%.*s'", 9, "abc") == "'abc'");
    CHECK(fmt("%q") == "%q");
}

TEST_CASE("truncation keeps the buffer terminated and reports the full length", "[format]") {
    char buf[5];
    CHECK(format(buf, sizeof buf, "%s", "abcdefgh") == 8);
    CHECK(std::string(buf) == "abcd");
    CHECK(format(nullptr, 0, "%u", 123u) == 3);
}
