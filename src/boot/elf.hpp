// ELF32 structures used by the kernel (its own symbol table; later, driver and program images).
// [elf] System V ABI, "Object Files".
#pragma once
#include "src/lib/types.hpp"

namespace elf {
struct SectionHeader {
    u32 name, type, flags, addr, offset, size, link, info, addralign, entsize;
};
static_assert(sizeof(SectionHeader) == 40);

struct Symbol {
    u32 name, value, size;
    u8 info, other;
    u16 shndx;
};
static_assert(sizeof(Symbol) == 16);

enum : u32 { kShtSymtab = 2, kShtStrtab = 3 };
enum : u8 { kSttFunc = 2 };
constexpr u8 symbol_type(u8 info) { return info & 0xF; }
}  // namespace elf
