// Kernel paging: the direct map of the first 896 MiB of physical memory at 3 GiB, in every address
// space; 4 MiB pages where the CPU has PSE, global pages where it has PGE ([intel/vol3] §4.3, §4.10.2).
#pragma once
#include "src/lib/types.hpp"

namespace paging {
// PDE/PTE bits ([intel/vol3] table 4-4, 4-6).
enum : u32 { kPresent = 1, kWritable = 2, kUser = 4, kBig = 1u << 7, kGlobal = 1u << 8 };

constexpr u32 pde_big(u32 phys, bool global) { return (phys & 0xFFC00000) | kBig | kWritable | kPresent | (global ? u32(kGlobal) : 0u); }
constexpr u32 pte(u32 phys, bool global) { return (phys & 0xFFFFF000) | kWritable | kPresent | (global ? u32(kGlobal) : 0u); }
static_assert(pde_big(0x00400000, true) == 0x00400183);
static_assert(pte(0x000B8000, false) == 0x000B8003);

// Builds the direct map over `ram_top` bytes (capped at the direct map's size), drops the boot
// identity mapping, and says how (PSE, PGE, or page tables).
void init(u32 ram_top, bool pse, bool pge);
u32 kernel_directory_phys();
u32 mapped_bytes();
// Copy n bytes of physical memory anywhere below 4 GiB: through the direct map where it reaches,
// else one page at a time through a temporary mapping (firmware tables in reserved memory above
// the RAM, e.g. ACPI's). Read-only, uncached semantics are the caller's concern. IF = 0 inside.
void read_phys(void* dst, u32 phys, u32 n);
}  // namespace paging
