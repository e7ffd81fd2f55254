// The physical frame allocator: built from the sanitized multiboot memory map, minus everything
// the kernel and GRUB already occupy.
#pragma once
#include "src/boot/multiboot.hpp"
#include "src/lib/result.hpp"

namespace frames {
inline constexpr u32 kFrameSize = 4096;

// A physical range [start, end) that must never be handed out.
struct Range {
    u32 start, end;
    const char* what;
};

void init(const mb::Info& info, const Range* reserved, u32 reserved_count);
Result<u32> alloc();            // physical address of a zeroed-on-demand 4 KiB frame
Result<void> free(u32 phys);
Result<u32> alloc_run(u32 bytes);            // physically contiguous, page aligned
void free_run(u32 phys, u32 bytes);
u32 free_count();
u32 usable_count();             // frames the memory map offered (below 4 GiB)
u32 usable_top();               // end of the highest usable frame below 4 GiB
u32 ram_top();                  // ... or of the highest ACPI/NVS region, if higher: what paging maps
void reserve_above(u32 phys);   // the allocator hands out only frames the kernel can reach
bool usable(u32 phys);          // inside a usable region of the sanitized map
void print_map();               // dump=memmap
}  // namespace frames
