// The kernel's own symbol table, found through the ELF section headers GRUB passes (multiboot
// flags bit 5; GRUB loads the non-allocated .symtab/.strtab too), so a fault report can name the
// function at an EIP.
#pragma once
#include "src/boot/multiboot.hpp"

namespace ksyms {
void init(const mb::Info& info);
bool available();
// The function containing addr, and addr's offset in it; nullptr when unknown.
const char* lookup(u32 addr, u32* offset);
void print_location(u32 addr);  // " in name+0xoff" (or nothing)
// Physical range holding the symbol and string tables (for the frame allocator to keep).
void extent(u32* start, u32* end);
}  // namespace ksyms
