#include "src/boot/memmap.hpp"

namespace memmap {
namespace {

constexpr u64 kMaxEnd = ~u64(0);
constexpr u64 kPageMask = kPage - 1;
constexpr u32 kEntryMin = 20;  // u64 base, u64 length, u32 type: the fields [multiboot] §3.3 defines

// Byte reads: the buffer is not guaranteed to be aligned, and the host tests run on x86 too.
u32 read32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }
u64 read64(const u8* p) { return u64(read32(p)) | (u64(read32(p + 4)) << 32); }

Kind kind_of(u32 type, Stats& s) {
    switch (type) {  // [multiboot] §3.3: 1 available, 3 ACPI reclaimable, 4 NVS, 5 bad RAM
    case 1: return Kind::Usable;
    case 2: return Kind::Reserved;
    case 3: return Kind::Acpi;
    case 4: return Kind::Nvs;
    case 5: return Kind::Bad;
    default: s.unknown_type++; return Kind::Reserved;  // "any other value: reserved area"
    }
}

void reset(Map& out) {
    out.count = 0;
    out.stats = Stats{};
}

void push(Map& out, Region r) {
    if (out.count < Map::kMax) out.regions[out.count++] = r;
    else out.stats.out_of_room++;
}

// Turn possibly overlapping raw regions into sorted disjoint ones: cut at every boundary, give
// each piece the most restrictive kind covering it, and merge equal neighbours. Quadratic, but
// n <= 64 and it runs once at boot.
void normalize(const Region* raw, u32 n, Map& out) {
    u64 cuts[2 * Map::kMax];
    u32 ncuts = 0;
    for (u32 i = 0; i < n; i++) {
        cuts[ncuts++] = raw[i].base;
        cuts[ncuts++] = raw[i].end;
    }
    for (u32 i = 1; i < ncuts; i++)  // insertion sort: at most 128 values
        for (u32 j = i; j > 0 && cuts[j - 1] > cuts[j]; j--) {
            u64 t = cuts[j];
            cuts[j] = cuts[j - 1];
            cuts[j - 1] = t;
        }
    for (u32 c = 0; c + 1 < ncuts; c++) {
        u64 lo = cuts[c], hi = cuts[c + 1];
        if (lo == hi) continue;
        bool covered = false;
        Kind k = Kind::Usable;
        for (u32 i = 0; i < n; i++)
            if (raw[i].base <= lo && raw[i].end >= hi) {
                if (!covered || raw[i].kind > k) k = raw[i].kind;
                covered = true;
            }
        if (!covered) continue;  // a hole
        Region* last = out.count ? &out.regions[out.count - 1] : nullptr;
        if (last && last->end == lo && last->kind == k) last->end = hi;
        else push(out, {lo, hi, k});
    }
}

// Usable regions keep whole pages only: the frame allocator hands out 4 KiB frames, and a partial
// page at a region's edge may be shared with firmware data. Also counts the regions above 4 GiB.
void finish(Map& out) {
    u32 kept = 0;
    for (u32 r = 0; r < out.count; r++) {
        Region g = out.regions[r];
        if (g.kind == Kind::Usable) {
            // Round base up; in the last page of the address space that would wrap to 0, and
            // such a region holds no whole page anyway.
            u64 lo = g.base > kMaxEnd - kPageMask ? kMaxEnd : (g.base + kPageMask) & ~kPageMask;
            u64 hi = g.end & ~kPageMask;
            if (hi <= lo) {
                out.stats.sub_page++;
                continue;
            }
            if (lo != g.base || hi != g.end) out.stats.trimmed++;
            g.base = lo;
            g.end = hi;
        }
        if (g.above_4g()) out.stats.above_4g++;
        out.regions[kept++] = g;
    }
    out.count = kept;
}

}  // namespace

const char* kind_name(Kind k) {
    switch (k) {
    case Kind::Usable: return "usable";
    case Kind::Acpi: return "acpi";
    case Kind::Nvs: return "nvs";
    case Kind::Reserved: return "reserved";
    case Kind::Bad: return "bad";
    }
    return "?";
}

void sanitize(const u8* buf, u32 len, Map& out) {
    reset(out);
    if (!buf && len) {  // the loader claimed a map and gave no address
        out.stats.truncated = true;
        len = 0;
    }
    Region raw[Map::kMax];
    u32 n = 0;
    u32 off = 0;
    while (off < len) {
        // Never read past the buffer: a size field below the defined fields or running past the
        // end means the rest cannot be trusted, so stop there and keep what was read.
        if (len - off < 4) { out.stats.truncated = true; break; }
        u32 size = read32(buf + off);
        if (size < kEntryMin || size > len - off - 4) { out.stats.truncated = true; break; }
        const u8* e = buf + off + 4;
        off += size + 4;  // no overflow: size + 4 <= len - off
        out.stats.entries++;
        u64 base = read64(e), length = read64(e + 8);
        Kind kind = kind_of(read32(e + 16), out.stats);
        if (length == 0) { out.stats.zero_length++; continue; }
        u64 end = base + length;
        if (end < base) { out.stats.wrapped++; end = kMaxEnd; }
        if (n == Map::kMax) { out.stats.too_many++; continue; }
        raw[n++] = {base, end, kind};
    }
    for (u32 i = 0; i < n; i++)
        for (u32 j = i + 1; j < n; j++)
            if (raw[i].base < raw[j].end && raw[j].base < raw[i].end) out.stats.overlaps++;
    normalize(raw, n, out);
    finish(out);
}

void from_mem_fields(u32 lower_kib, u32 upper_kib, Map& out) {
    reset(out);
    out.stats.from_mem_fields = true;
    // Conventional memory ends at 640 KiB ([multiboot] §3.3: "maximally 640"); more is a lie that
    // would cover the VGA window and the BIOS.
    if (lower_kib > 640) {
        lower_kib = 640;
        out.stats.lower_clamped = true;
    }
    if (lower_kib) push(out, {0, u64(lower_kib) << 10, Kind::Usable});
    if (upper_kib) push(out, {0x100000, 0x100000 + (u64(upper_kib) << 10), Kind::Usable});
    finish(out);
}

bool UsableFrames::next(u32* first, u32* last) {
    while (at_ < map_.count) {
        const Region& g = map_.regions[at_++];
        if (g.kind != Kind::Usable || g.base >= k4G) continue;
        // Regions are page-aligned already (finish); the masks keep this safe on a hand-made Map.
        u64 lo = (g.base + kPageMask) & ~kPageMask;
        u64 hi = (g.end > k4G ? k4G : g.end) & ~kPageMask;
        if (hi <= lo) continue;
        *first = u32(lo >> 12);
        *last = u32((hi >> 12) - 1);
        return true;
    }
    return false;
}

bool usable_frame_range(const Map& m, u32 i, u32* first, u32* last) {
    UsableFrames it(m);
    for (u32 k = 0;; k++) {
        if (!it.next(first, last)) return false;
        if (k == i) return true;
    }
}

u32 usable_frames_below_4g(const Map& m) {
    u32 total = 0, first, last;
    UsableFrames it(m);
    while (it.next(&first, &last)) total += last - first + 1;
    return total;
}

u64 usable_bytes_below_4g(const Map& m) { return u64(usable_frames_below_4g(m)) << 12; }

u64 bytes_above_4g(const Map& m) {
    u64 total = 0;
    for (u32 r = 0; r < m.count; r++) {
        const Region& g = m.regions[r];
        if (g.end > k4G) total += g.end - (g.base > k4G ? g.base : k4G);
    }
    return total;
}

}  // namespace memmap
