#include "src/boot/ksyms.hpp"
#include "src/boot/elf.hpp"
#include "src/console.hpp"
#include "src/lib/demangle.hpp"
#include "src/mm/layout.hpp"

namespace ksyms {
namespace {
const elf::Symbol* g_syms = nullptr;
u32 g_count = 0;
const char* g_strings = nullptr;
u32 g_strings_size = 0;
u32 g_lo = 0, g_hi = 0;
}  // namespace

void init(const mb::Info& info) {
    if (!(info.flags & mb::kElfSections) || info.elf_size != sizeof(elf::SectionHeader)) return;
    if (!mm::in_direct_map(info.elf_addr) || info.elf_num > 256) return;
    auto* sh = mm::p2v<const elf::SectionHeader>(info.elf_addr);
    for (u32 i = 0; i < info.elf_num; i++) {
        if (sh[i].type != elf::kShtSymtab || sh[i].link >= info.elf_num) continue;
        const elf::SectionHeader& str = sh[sh[i].link];
        if (!sh[i].addr || !str.addr || str.type != elf::kShtStrtab) continue;
        if (!mm::in_direct_map(sh[i].addr + sh[i].size) || !mm::in_direct_map(str.addr + str.size)) continue;
        g_syms = mm::p2v<const elf::Symbol>(sh[i].addr);
        g_count = sh[i].size / sizeof(elf::Symbol);
        g_strings = mm::p2v<const char>(str.addr);
        g_strings_size = str.size;
        g_lo = sh[i].addr < str.addr ? sh[i].addr : str.addr;
        u32 e1 = sh[i].addr + sh[i].size, e2 = str.addr + str.size;
        g_hi = e1 > e2 ? e1 : e2;
        return;
    }
}

bool available() { return g_syms != nullptr; }

const char* lookup(u32 addr, u32* offset) {
    const elf::Symbol* best = nullptr;
    for (u32 i = 0; i < g_count; i++) {
        const elf::Symbol& s = g_syms[i];
        if (s.value > addr || s.name >= g_strings_size || !s.value) continue;
        // Nearest symbol at or below addr: asm labels (NASM gives them no type or size) count too.
        if (!best || s.value > best->value) best = &s;
    }
    if (!best) return nullptr;
    // A sized symbol (a C++ function) covers [value, value + size) only: an address past its end,
    // beyond the code, is nobody's — not "<last function>+0x7ffffde0".
    if (best->size && addr - best->value >= best->size) return nullptr;
    *offset = addr - best->value;
    return g_strings + best->name;
}

void print_location(u32 addr) {
    u32 off = 0;
    const char* name = lookup(addr, &off);
    char readable[160];
    if (name && demangle(name, readable, sizeof readable)) kprintf(" in %s+0x%x", readable, off);
    else if (name) kprintf(" in %s+0x%x", name, off);
}

void extent(u32* start, u32* end) {
    *start = g_lo;
    *end = g_hi;
}
}  // namespace ksyms

