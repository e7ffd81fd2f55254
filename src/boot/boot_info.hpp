// Physical ranges already in use when the kernel starts: the frame allocator must keep them.
// Everything GRUB hands over is in physical addresses.
#pragma once
#include "src/boot/multiboot.hpp"
#include "src/mm/frames.hpp"

struct BootRanges {
    // 7 fixed ranges plus a module and its name for each module the kernel uses (boot_info.cpp):
    // at 48, the 22nd module onwards went unreserved and the allocator handed its frames out; at
    // 32 modules, while the registry used 64, so did the 33rd onwards (qemu-too-many-programs:
    // "p31: not an ELF file" once the ISO's modules were stripped and lay elsewhere).
    static constexpr u32 kMax = 7 + 2 * mb::kMaxModules;
    frames::Range list[kMax];
    u32 count = 0;
    void add(u32 start, u32 end, const char* what) {
        if (count < kMax && end > start) list[count++] = {start, end, what};
    }
};

BootRanges collect_boot_ranges(const mb::Info& info);
