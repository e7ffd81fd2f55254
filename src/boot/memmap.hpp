// The multiboot memory map, sanitized ([multiboot] §3.3). Firmware maps can overlap, repeat,
// come unsorted, have zero-length or 2^64-wrapping entries, or be cut short; none of that is
// trusted. The result is a sorted list of disjoint regions where, on overlap, the more
// restrictive kind wins (usable < ACPI < NVS < reserved < bad). Pure: no 64-bit division.
#pragma once
#include "src/lib/types.hpp"

namespace memmap {

enum class Kind : u8 { Usable, Acpi, Nvs, Reserved, Bad };  // ascending restrictiveness
const char* kind_name(Kind k);

struct Region {
    u64 base;
    u64 end;  // exclusive; 2^64 is written as 0xFFFF'FFFF'FFFF'FFFF (the last byte is lost)
    Kind kind;
};

struct Stats {
    u32 entries = 0;        // raw entries read
    u32 zero_length = 0;    // dropped
    u32 wrapped = 0;        // base + length past 2^64: clipped
    u32 overlaps = 0;       // pairs of raw entries that overlap
    u32 unknown_type = 0;   // types > 5: treated as reserved
    u32 too_many = 0;       // raw entries beyond capacity: ignored
    bool truncated = false; // a bogus size field or an entry running past the buffer
    bool from_mem_fields = false;  // no map: built from mem_lower/mem_upper
};

struct Map {
    static constexpr u32 kMax = 64;
    Region regions[kMax];
    u32 count = 0;
    Stats stats;
};

// From the raw buffer at multiboot mmap_addr, mmap_length bytes.
void sanitize(const u8* buf, u32 len, Map& out);
// From mem_lower/mem_upper (KiB) when the loader gave no map: [0, lower) and [1 MiB, 1 MiB + upper).
void from_mem_fields(u32 lower_kib, u32 upper_kib, Map& out);

// Usable memory below 4 GiB, in whole 4 KiB frames.
u32 usable_frames_below_4g(const Map& m);
// Bytes in regions at or above 4 GiB (reported, never used: a 32-bit kernel without PAE).
u64 bytes_above_4g(const Map& m);

// The i-th usable region as inclusive frame numbers, trimmed inward to whole pages and cut at
// 4 GiB. Returns false past the last one; *first > *last never happens for a returned range.
bool usable_frame_range(const Map& m, u32 i, u32* first, u32* last);

}  // namespace memmap
