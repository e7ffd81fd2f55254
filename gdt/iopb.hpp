// The TSS I/O permission bitmap ([intel/vol3] §20.5.2 "I/O Permission Bit Map", §20.5.1; in
// older editions §18.5). At CPL > IOPL, IN/OUT/INS/OUTS of port p consult bit p of a bitmap that
// starts at the TSS's I/O map base (offset 0x66): 0 allows the port, 1 denies it. A multi-byte
// access checks every port it covers, and the CPU always reads two bytes of the map, so a byte
// with every bit set must follow the map inside the TSS limit; a bit beyond the limit counts as
// set. At CPL <= IOPL (ring 0 with IOPL 0) the map is not consulted at all.
//
// Gatehouse keeps a full map (ports 0..0xFFFF, 8 KiB) with every port denied. A driver's port set
// is the few map bytes its declared ranges touch, each with the bits to clear; switching from one
// driver to another rewrites only the bytes whose value differs. Pure: host-tested.
#pragma once
#include "src/lib/types.hpp"

namespace iopb {

inline constexpr u32 kPorts = 0x10000;
inline constexpr u32 kMapBytes = kPorts / 8;  // one bit per port: 8192 bytes
inline constexpr u8 kClosed = 0xFF;           // every port of a byte denied; also the terminator
inline constexpr u32 kMaxBytes = 16;          // map bytes one driver's ports may touch (128 ports' worth)
inline constexpr u32 kMaxRanges = 4;          // = drvabi::kMaxPortRanges

struct Range {
    u32 base, count;  // ports [base, base + count)
};

// One map byte a port set opens: `open` has a 1 for every port of the byte it allows.
struct Byte {
    u16 index;  // byte index in the map: ports index*8 .. index*8+7
    u8 open;
};

struct PortSet {
    u32 count = 0;
    Byte bytes[kMaxBytes] = {};
    constexpr u8 open_bits(u32 index) const {
        for (u32 i = 0; i < count; i++)
            if (bytes[i].index == index) return bytes[i].open;
        return 0;
    }
    // The value map byte `index` holds while this set is open: its ports allowed, the rest denied.
    constexpr u8 value(u32 index) const { return u8(kClosed & ~open_bits(index)); }
    constexpr bool allows(u32 port) const { return (open_bits(port / 8) >> (port % 8)) & 1; }
};

// Why a list of ranges cannot be a port set, or nullptr when it can.
constexpr const char* check(const Range* r, u32 n) {
    if (n > kMaxRanges) return "too many I/O port ranges (at most 4)";
    for (u32 i = 0; i < n; i++) {
        if (r[i].count == 0) return "an empty I/O port range";
        if (r[i].base >= kPorts || r[i].count > kPorts - r[i].base) return "an I/O port range wraps past 0xFFFF";
        for (u32 k = 0; k < i; k++)
            if (r[i].base < r[k].base + r[k].count && r[k].base < r[i].base + r[i].count)
                return "overlapping I/O port ranges";
    }
    u32 bytes = 0;
    for (u32 i = 0; i < n; i++) bytes += (r[i].base + r[i].count - 1) / 8 - r[i].base / 8 + 1;
    if (bytes > kMaxBytes) return "I/O ports over more than 16 bitmap bytes";  // an upper bound: shared bytes count twice
    return nullptr;
}

// The port set of `n` checked ranges (check() == nullptr), bytes in ascending order.
constexpr PortSet encode(const Range* r, u32 n) {
    PortSet s;
    for (u32 i = 0; i < n; i++)
        for (u32 p = r[i].base; p < r[i].base + r[i].count; p++) {
            u32 k = 0;
            while (k < s.count && s.bytes[k].index != p / 8) k++;
            if (k == s.count) {
                u32 at = s.count++;  // insertion keeps the bytes sorted
                while (at > 0 && s.bytes[at - 1].index > p / 8) {
                    s.bytes[at] = s.bytes[at - 1];
                    at--;
                }
                s.bytes[at] = {u16(p / 8), 0};
                k = at;
            }
            s.bytes[k].open = u8(s.bytes[k].open | (1u << (p % 8)));
        }
    return s;
}

// Make `map` (kMapBytes) go from `from`'s ports open to `to`'s: every byte either set touches is
// written only when its value differs. Returns the number of bytes written (the switch's cost).
inline u32 switch_ports(u8* map, const PortSet& from, const PortSet& to) {
    u32 written = 0;
    auto set = [&](u32 index, u8 v) {
        if (map[index] != v) {
            map[index] = v;
            written++;
        }
    };
    for (u32 i = 0; i < from.count; i++) set(from.bytes[i].index, to.value(from.bytes[i].index));
    for (u32 i = 0; i < to.count; i++) set(to.bytes[i].index, to.value(to.bytes[i].index));
    return written;
}

// The drivers' real declarations, pinned (drivers/*/: GH_PORTS).
namespace pinned {
inline constexpr Range kCom1[] = {{0x3F8, 8}};
inline constexpr Range kPit[] = {{0x40, 4}};
inline constexpr Range kKbd[] = {{0x60, 1}, {0x64, 1}};
inline constexpr Range kVga[] = {{0x3D4, 2}};
static_assert(check(kCom1, 1) == nullptr && check(kKbd, 2) == nullptr);
static_assert(encode(kCom1, 1).count == 1 && encode(kCom1, 1).bytes[0].index == 0x7F && encode(kCom1, 1).bytes[0].open == 0xFF);
static_assert(encode(kPit, 1).count == 1 && encode(kPit, 1).bytes[0].index == 8 && encode(kPit, 1).value(8) == 0xF0);
static_assert(encode(kKbd, 2).count == 1 && encode(kKbd, 2).bytes[0].index == 0x0C && encode(kKbd, 2).value(0x0C) == 0xEE);
static_assert(encode(kVga, 1).count == 1 && encode(kVga, 1).value(0x7A) == 0xCF);
inline constexpr Range kWrap[] = {{0xFFFF, 2}};
inline constexpr Range kOverlap[] = {{0x3F8, 8}, {0x3FC, 1}};
static_assert(check(kWrap, 1) != nullptr && check(kOverlap, 2) != nullptr);
}  // namespace pinned

}  // namespace iopb
