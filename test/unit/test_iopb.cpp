// The TSS I/O permission bitmap encoding (gdt/iopb.hpp): port ranges into map bytes, the checks
// the loader applies, and switches that write only the bytes that differ.
#include <catch2/catch.hpp>
#include <string>
#include <vector>
#include "gdt/iopb.hpp"
#include "gdt/tss.hpp"

namespace {
using iopb::Range;
std::string why(std::vector<Range> r) {
    const char* w = iopb::check(r.data(), u32(r.size()));
    return w ? w : "ok";
}
iopb::PortSet set_of(std::vector<Range> r) {
    REQUIRE(why(r) == "ok");
    return iopb::encode(r.data(), u32(r.size()));
}
std::vector<u8> closed_map() { return std::vector<u8>(iopb::kMapBytes, iopb::kClosed); }
// What a CPU at CPL > IOPL decides for an access of `width` bytes at `port`: every bit clear.
bool cpu_allows(const std::vector<u8>& map, u32 port, u32 width) {
    for (u32 p = port; p < port + width; p++)
        if (p >= iopb::kPorts || (map[p / 8] >> (p % 8)) & 1) return false;  // past the map: denied
    return true;
}
}  // namespace

TEST_CASE("the bitmap covers every port and sits right behind the TSS", "[iopb]") {
    CHECK(iopb::kMapBytes == 8192);
    CHECK(offsetof(MainTss, iomap) == 104);
    CHECK(tss::kMainLimit == 104 + 8192);  // the terminator byte is the last byte inside the limit
    CHECK(offsetof(MainTss, iomap_end) == tss::kMainLimit);
    CHECK(tss::kDfLimit == 103);
}

TEST_CASE("the real drivers' ports encode into one map byte each", "[iopb]") {
    auto com1 = set_of({{0x3F8, 8}});
    REQUIRE(com1.count == 1);
    CHECK(com1.bytes[0].index == 0x7F);
    CHECK(com1.value(0x7F) == 0x00);
    auto kbd = set_of({{0x60, 1}, {0x64, 1}});
    REQUIRE(kbd.count == 1);  // 0x60 and 0x64 share byte 12
    CHECK(kbd.value(0x0C) == 0xEE);
    CHECK(kbd.allows(0x60));
    CHECK(kbd.allows(0x64));
    CHECK(!kbd.allows(0x61));
    CHECK(!kbd.allows(0x65));
    auto pit = set_of({{0x40, 4}});
    CHECK(pit.value(8) == 0xF0);
    CHECK(!pit.allows(0x61));  // speaker / channel-2 gate: pit does not use it
    auto vga = set_of({{0x3D4, 2}});
    CHECK(vga.value(0x7A) == 0xCF);
    CHECK(vga.value(0x7B) == 0xFF);  // a byte outside the set stays closed
}

TEST_CASE("ranges across bytes, out of order and up to the last port", "[iopb]") {
    auto s = set_of({{0x100, 20}, {0x0FE, 2}});
    REQUIRE(s.count == 4);  // 0x0FE-0x0FF in byte 0x1F, 0x100-0x113 in 0x20..0x22
    CHECK(s.bytes[0].index == 0x1F);
    CHECK(s.bytes[1].index == 0x20);
    CHECK(s.bytes[3].index == 0x22);
    CHECK(s.value(0x1F) == 0x3F);
    CHECK(s.value(0x20) == 0x00);
    CHECK(s.value(0x22) == 0xF0);
    auto last = set_of({{0xFFFF, 1}});
    CHECK(last.bytes[0].index == 0x1FFF);
    CHECK(last.value(0x1FFF) == 0x7F);
}

TEST_CASE("malformed port lists are refused with a reason", "[iopb]") {
    CHECK(why({}) == "ok");
    CHECK(why({{0x3F8, 8}, {0x60, 1}, {0x64, 1}, {0x40, 4}}) == "ok");
    CHECK(why({{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 1}}) == "too many I/O port ranges (at most 4)");
    CHECK(why({{0x60, 0}}) == "an empty I/O port range");
    CHECK(why({{0xFFFF, 2}}) == "an I/O port range wraps past 0xFFFF");
    CHECK(why({{0xFFF0, 0xFFFF}}) == "an I/O port range wraps past 0xFFFF");
    CHECK(why({{0x3F8, 8}, {0x3FF, 1}}) == "overlapping I/O port ranges");
    CHECK(why({{0x3FF, 1}, {0x3F8, 8}}) == "overlapping I/O port ranges");
    CHECK(why({{0x3F8, 8}, {0x3F0, 9}}) == "overlapping I/O port ranges");
    CHECK(why({{0x3F8, 8}, {0x3F0, 8}}) == "ok");  // touching is not overlapping
    CHECK(why({{0x1000, 129}}) == "I/O ports over more than 16 bitmap bytes");
    CHECK(why({{0x1000, 128}}) == "ok");
    CHECK(why({{0x1001, 128}}) == "I/O ports over more than 16 bitmap bytes");  // 17 bytes touched
}

TEST_CASE("switching writes only the bytes that differ, and the CPU's view follows", "[iopb]") {
    auto map = closed_map();
    iopb::PortSet none;
    auto com1 = set_of({{0x3F8, 8}});
    auto kbd = set_of({{0x60, 1}, {0x64, 1}});
    auto vga = set_of({{0x3D4, 2}});
    auto vga_cursor_low = set_of({{0x3D5, 1}});  // the same byte as vga's, one port fewer

    CHECK(iopb::switch_ports(map.data(), none, com1) == 1);
    CHECK(cpu_allows(map, 0x3F8, 1));
    CHECK(cpu_allows(map, 0x3FC, 4));  // a dword access inside the range
    CHECK(!cpu_allows(map, 0x3F6, 4));  // reaching below it
    CHECK(!cpu_allows(map, 0x60, 1));
    CHECK(iopb::switch_ports(map.data(), com1, com1) == 0);  // nothing differs
    CHECK(iopb::switch_ports(map.data(), com1, kbd) == 2);   // close 0x7F, open 0x0C
    CHECK(!cpu_allows(map, 0x3F8, 1));
    CHECK(cpu_allows(map, 0x60, 1));
    CHECK(cpu_allows(map, 0x64, 1));
    CHECK(!cpu_allows(map, 0x60, 2));  // 0x61 is not kbd's
    CHECK(iopb::switch_ports(map.data(), kbd, vga) == 2);
    CHECK(iopb::switch_ports(map.data(), vga, vga_cursor_low) == 1);  // one byte, a new value
    CHECK(!cpu_allows(map, 0x3D4, 1));
    CHECK(cpu_allows(map, 0x3D5, 1));
    CHECK(iopb::switch_ports(map.data(), vga_cursor_low, none) == 1);
    CHECK(map == closed_map());
    CHECK(!cpu_allows(map, 0xFFFF, 2));  // past the map: denied
}
