#include "src/boot/memmap.hpp"

namespace memmap {
namespace {

constexpr u64 kMaxEnd = ~u64(0);
constexpr u64 k4G = u64(1) << 32;

u32 read32(const u8* p) { return u32(p[0]) | u32(p[1]) << 8 | u32(p[2]) << 16 | u32(p[3]) << 24; }
u64 read64(const u8* p) { return u64(read32(p)) | (u64(read32(p + 4)) << 32); }

Kind kind_of(u32 type, Stats& s) {
    switch (type) {
    case 1: return Kind::Usable;
    case 2: return Kind::Reserved;
    case 3: return Kind::Acpi;
    case 4: return Kind::Nvs;
    case 5: return Kind::Bad;
    default: s.unknown_type++; return Kind::Reserved;
    }
}

// Turn possibly overlapping raw regions into sorted disjoint ones: cut at every boundary, give
// each piece the most restrictive kind covering it, and merge equal neighbours.
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
    out.count = 0;
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
        else if (out.count < Map::kMax) out.regions[out.count++] = {lo, hi, k};
    }
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
    out = Map{};
    Region raw[Map::kMax];
    u32 n = 0;
    u32 off = 0;
    // Each entry: u32 size (not counting itself), u64 base, u64 length, u32 type.
    while (off < len) {
        if (len - off < 4) { out.stats.truncated = true; break; }
        u32 size = read32(buf + off);
        if (size < 20 || size > len - off - 4) { out.stats.truncated = true; break; }
        const u8* e = buf + off + 4;
        off += size + 4;
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
}

void from_mem_fields(u32 lower_kib, u32 upper_kib, Map& out) {
    out = Map{};
    out.stats.from_mem_fields = true;
    if (lower_kib) out.regions[out.count++] = {0, u64(lower_kib) << 10, Kind::Usable};
    if (upper_kib) out.regions[out.count++] = {0x100000, 0x100000 + (u64(upper_kib) << 10), Kind::Usable};
}

bool usable_frame_range(const Map& m, u32 i, u32* first, u32* last) {
    u32 seen = 0;
    for (u32 r = 0; r < m.count; r++) {
        const Region& g = m.regions[r];
        if (g.kind != Kind::Usable || g.base >= k4G) continue;
        u64 lo = (g.base + 0xFFF) & ~u64(0xFFF);  // round up to a page
        u64 hi = (g.end > k4G ? k4G : g.end) & ~u64(0xFFF);  // round down
        if (hi <= lo) continue;  // less than a page
        if (seen++ != i) continue;
        *first = u32(lo >> 12);
        *last = u32((hi >> 12) - 1);
        return true;
    }
    return false;
}

u32 usable_frames_below_4g(const Map& m) {
    u32 total = 0, first, last;
    for (u32 i = 0; usable_frame_range(m, i, &first, &last); i++) total += last - first + 1;
    return total;
}

u64 bytes_above_4g(const Map& m) {
    u64 total = 0;
    for (u32 r = 0; r < m.count; r++) {
        const Region& g = m.regions[r];
        if (g.end > k4G) total += g.end - (g.base > k4G ? g.base : k4G);
    }
    return total;
}

}  // namespace memmap
