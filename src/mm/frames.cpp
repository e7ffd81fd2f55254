#include "src/mm/frames.hpp"
#include "src/boot/memmap.hpp"
#include "src/console.hpp"
#include "src/mm/frame_bitmap.hpp"
#include "src/mm/layout.hpp"

namespace frames {
namespace {
FrameBitmap g_bitmap;
memmap::Map g_map;
u32 g_usable = 0;

void print_stats(const memmap::Stats& s) {
    kprintf("memmap: %u regions from %s (%u entries)", g_map.count,
            s.from_mem_fields ? "mem_lower/mem_upper" : "the multiboot map", s.entries);
    if (s.zero_length) kprintf(", %u zero-length dropped", s.zero_length);
    if (s.wrapped) kprintf(", %u wrapping clipped", s.wrapped);
    if (s.overlaps) kprintf(", %u overlaps resolved", s.overlaps);
    if (s.unknown_type) kprintf(", %u unknown types taken as reserved", s.unknown_type);
    if (s.too_many) kprintf(", %u beyond capacity ignored", s.too_many);
    if (s.trimmed) kprintf(", %u usable trimmed to whole pages", s.trimmed);
    if (s.sub_page) kprintf(", %u usable smaller than a page dropped", s.sub_page);
    if (s.above_4g) kprintf(", %u above 4 GiB", s.above_4g);
    if (s.out_of_room) kprintf(", %u beyond the list lost", s.out_of_room);
    if (s.lower_clamped) kprintf(", mem_lower clamped to 640 KiB");
    if (s.truncated) kprintf(", truncated (bad size field or short buffer)");
    kprintf("\n");
}
}  // namespace

void init(const mb::Info& info, const Range* reserved, u32 reserved_count) {
    if (info.flags & mb::kMmap)
        memmap::sanitize(mm::p2v<const u8>(info.mmap_addr), info.mmap_length, g_map);
    else if (info.flags & mb::kMem)
        memmap::from_mem_fields(info.mem_lower, info.mem_upper, g_map);
    print_stats(g_map.stats);

    g_bitmap.init();
    u32 first, last;
    for (u32 i = 0; memmap::usable_frame_range(g_map, i, &first, &last); i++) g_bitmap.set_free(first, last);
    g_usable = g_bitmap.free_count();
    for (u32 i = 0; i < reserved_count; i++) {
        const Range& r = reserved[i];
        if (r.end > r.start) g_bitmap.set_used(r.start >> 12, (r.end - 1) >> 12);
    }
    u64 above = memmap::bytes_above_4g(g_map);
    kprintf("frames: %u free of %u usable (%u MiB usable below 4 GiB)", g_bitmap.free_count(), g_usable,
            g_usable >> 8);
    if (above) kprintf("; %u MiB above 4 GiB ignored (no PAE)", u32(above >> 20));
    kprintf("\n");
}

Result<u32> alloc() {
    u32 frame = TRY(g_bitmap.alloc());
    return frame << 12;
}

Result<void> free(u32 phys) {
    if (phys & (kFrameSize - 1)) return Err::Invalid;
    return g_bitmap.free(phys >> 12);
}

Result<u32> alloc_run(u32 bytes) {
    u32 frame = TRY(g_bitmap.alloc_run((bytes + kFrameSize - 1) / kFrameSize));
    return frame << 12;
}

void free_run(u32 phys, u32 bytes) {
    for (u32 off = 0; off < bytes; off += kFrameSize) (void)g_bitmap.free((phys + off) >> 12);
}

u32 free_count() { return g_bitmap.free_count(); }

u32 usable_top() {
    u32 top = 0, first, last;
    for (u32 i = 0; memmap::usable_frame_range(g_map, i, &first, &last); i++) top = (last + 1) << 12;
    return top;
}

u32 ram_top() {
    u64 top = usable_top();
    for (u32 r = 0; r < g_map.count; r++) {
        const memmap::Region& g = g_map.regions[r];
        if ((g.kind == memmap::Kind::Acpi || g.kind == memmap::Kind::Nvs) && g.end <= memmap::k4G && g.end > top)
            top = (g.end + memmap::kPage - 1) & ~(memmap::kPage - 1);
    }
    return top >= memmap::k4G ? 0xFFFFF000u : u32(top);
}

void reserve_above(u32 phys) {
    u32 before = g_bitmap.free_count();
    if (phys >> 12 < FrameBitmap::kFrames) g_bitmap.set_used(phys >> 12, FrameBitmap::kFrames - 1);
    u32 kept = before - g_bitmap.free_count();
    if (kept) kprintf("frames: %u MiB above the direct map kept out of the allocator (no temporary mappings yet)\n", kept >> 8);
}
u32 usable_count() { return g_usable; }

bool usable(u32 phys) {
    for (u32 r = 0; r < g_map.count; r++) {
        const memmap::Region& g = g_map.regions[r];
        if (g.kind == memmap::Kind::Usable && phys >= g.base && u64(phys) + kFrameSize <= g.end) return true;
    }
    return false;
}

void print_map() {
    for (u32 r = 0; r < g_map.count; r++) {
        const memmap::Region& g = g_map.regions[r];
        kprintf("memmap: %016llx-%016llx %s\n", g.base, g.end - 1, memmap::kind_name(g.kind));
    }
}
}  // namespace frames
