// ELF32 structures used by the kernel: its own symbol table, and driver and program images.
// [elf] System V ABI, "Object Files" and "Program Loading".
#pragma once
#include "src/lib/types.hpp"

namespace elf {
struct Header {
    u8 ident[16];
    u16 type, machine;
    u32 version, entry, phoff, shoff, flags;
    u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
static_assert(sizeof(Header) == 52);

struct ProgramHeader {
    u32 type, offset, vaddr, paddr, filesz, memsz, flags, align;
};
static_assert(sizeof(ProgramHeader) == 32);

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

enum : u16 { kTypeExec = 2, kMachine386 = 3 };
enum : u32 { kPtLoad = 1, kPfX = 1, kPfW = 2, kPfR = 4 };
enum : u32 { kShtSymtab = 2, kShtStrtab = 3 };
enum : u8 { kSttFunc = 2 };
constexpr u8 symbol_type(u8 info) { return info & 0xF; }
}  // namespace elf
