// The multiboot memory map, sanitized ([multiboot] §3.3). Firmware maps can overlap, repeat,
// come unsorted, have zero-length or 2^64-wrapping entries, or be cut short; none of that is
// trusted. The result is a sorted list of disjoint regions where, on overlap, the more
// restrictive kind wins (usable < ACPI < NVS < reserved < bad), and usable regions hold whole
// 4 KiB pages only. Pure: no 64-bit division (shifts and masks only), no allocation.
#pragma once
#include "src/lib/types.hpp"

namespace memmap {

enum class Kind : u8 { Usable, Acpi, Nvs, Reserved, Bad };  // ascending restrictiveness
const char* kind_name(Kind k);

inline constexpr u64 k4G = u64(1) << 32;
inline constexpr u64 kPage = 0x1000;

struct Region {
    u64 base;
    u64 end;  // exclusive; 2^64 is written as 0xFFFF'FFFF'FFFF'FFFF (the last byte is lost)
    Kind kind;
    // Kept in the list for the record, but a 32-bit kernel without PAE cannot use it.
    constexpr bool above_4g() const { return base >= k4G; }
};

struct Stats {
    u32 entries = 0;        // raw entries read
    u32 zero_length = 0;    // dropped
    u32 wrapped = 0;        // base + length past 2^64: clipped
    u32 overlaps = 0;       // pairs of raw entries that overlap
    u32 unknown_type = 0;   // types 0 or > 5: treated as reserved
    u32 too_many = 0;       // raw entries beyond capacity: ignored
    u32 trimmed = 0;        // usable regions shrunk inward to page boundaries
    u32 sub_page = 0;       // usable regions dropped for holding no whole page
    u32 above_4g = 0;       // regions entirely at or above 4 GiB (in the list, never allocated)
    u32 out_of_room = 0;    // sanitized regions that did not fit the list (the highest ones)
    bool truncated = false; // a bogus size field or an entry running past the buffer
    bool from_mem_fields = false;  // no map: built from mem_lower/mem_upper
    bool lower_clamped = false;    // mem_lower claimed more than 640 KiB
};

struct Map {
    static constexpr u32 kMax = 64;
    Region regions[kMax];
    u32 count = 0;
    Stats stats;
};

// From the raw buffer at multiboot mmap_addr, mmap_length bytes. Each entry is `u32 size; u64 base;
// u64 length; u32 type` with `size` not counting itself: the next one is at entry + size + 4.
void sanitize(const u8* buf, u32 len, Map& out);
// From mem_lower/mem_upper (KiB) when the loader gave no map ([multiboot] §3.3, flags bit 0):
// [0, lower) and [1 MiB, 1 MiB + upper), trimmed to pages like any usable region.
void from_mem_fields(u32 lower_kib, u32 upper_kib, Map& out);

// Usable memory below 4 GiB: in bytes (4 GiB itself does not fit a u32), and in 4 KiB frames.
u64 usable_bytes_below_4g(const Map& m);
u32 usable_frames_below_4g(const Map& m);
// Bytes in regions at or above 4 GiB, of any kind (reported, never used: no PAE).
u64 bytes_above_4g(const Map& m);

// Walks the usable page ranges below 4 GiB as inclusive 32-bit frame numbers, in ascending order;
// a region crossing 4 GiB is cut there. For the frame allocator:
//   memmap::UsableFrames it(map); u32 first, last; while (it.next(&first, &last)) ...
class UsableFrames {
public:
    explicit UsableFrames(const Map& m) : map_(m) {}
    bool next(u32* first, u32* last);

private:
    const Map& map_;
    u32 at_ = 0;
};

// The i-th range UsableFrames would give (O(n) each: for callers that index).
bool usable_frame_range(const Map& m, u32 i, u32* first, u32* last);

}  // namespace memmap
