// Multiboot (version 1) information structure as GRUB hands it over ([multiboot] §3.3).
#pragma once
#include <stddef.h>
#include "src/lib/types.hpp"

namespace mb {
inline constexpr u32 kBootloaderMagic = 0x2BADB002;

enum Flag : u32 {
    kMem = 1u << 0,
    kCmdline = 1u << 2,
    kMods = 1u << 3,
    kElfSections = 1u << 5,
    kMmap = 1u << 6,
    kLoaderName = 1u << 9,
};

struct Info {
    u32 flags;
    u32 mem_lower, mem_upper;  // KiB
    u32 boot_device;
    u32 cmdline;
    u32 mods_count, mods_addr;
    u32 elf_num, elf_size, elf_addr, elf_shndx;  // flags bit 5 (a.out symbols share the space)
    u32 mmap_length, mmap_addr;
    u32 drives_length, drives_addr;
    u32 config_table;
    u32 boot_loader_name;
};
static_assert(offsetof(Info, cmdline) == 16);
static_assert(offsetof(Info, elf_num) == 28);
static_assert(offsetof(Info, mmap_length) == 44);
static_assert(offsetof(Info, boot_loader_name) == 64);

struct Module {
    u32 start, end;  // physical, end exclusive
    u32 string;      // the module's command line
    u32 reserved;
};
static_assert(sizeof(Module) == 16);
// Boot modules the kernel looks at (drivers, programs and the disk image together): each of them
// is reserved from the frame allocator (src/boot/boot_info.cpp) and registered
// (src/drv/registry.cpp); the rest are named and ignored.
inline constexpr u32 kMaxModules = 64;
}  // namespace mb
