// What a driver includes: the export/import macros, far calls through its import slots, and the
// patchable RDOS-style call site. Every inline asm statement a driver uses is in this header.
#pragma once
#include "drivers/lib/abi.hpp"

#define GH_FN __attribute__((regparm(3)))

// GH_DRIVER("name"): once per driver (drivers/lib/header.cpp reads it).
#define GH_DRIVER(name_literal) extern "C" const char gh_driver_name[] = name_literal

// GH_EXPORT(fn, "driver.fn"): fn becomes callable through a call gate under that name.
#define GH_EXPORT(fn, name_literal)                                                       \
    [[gnu::used, gnu::section(".gh_exports")]] static const drvabi::Export gh_export_##fn = { \
        reinterpret_cast<u32>(name_literal), reinterpret_cast<u32>(&fn)}

// GH_IMPORT(var, "other.fn"): var is a far pointer the loader points at that export's gate.
#define GH_IMPORT(var, name_literal)                                                        \
    drvabi::FarSlot var = {0, 0, 0};                                                        \
    [[gnu::used, gnu::section(".gh_imports")]] static const drvabi::Import gh_import_##var = { \
        reinterpret_cast<u32>(name_literal), reinterpret_cast<u32>(&var)}

// Call through an import's gate. EBX, ESI, EDI, EBP survive (the gate stub restores them).
inline u32 gh_call(const drvabi::FarSlot& slot, u32 a = 0, u32 b = 0, u32 c = 0) {
    asm volatile("lcall *%3" : "+a"(a), "+d"(b), "+c"(c) : "m"(slot) : "memory", "cc");
    return a;
}

// The RDOS-style call site: an invalid far call `9A <import index> <selector 0>`. Its first run
// raises #GP; the kernel patches it into a direct far call to that import's entry stub.
#define GH_PATCHED_CALL(import_index, a, b, c)                                             \
    ({                                                                                     \
        u32 gh_a = (a), gh_b = (b), gh_c = (c);                                            \
        asm volatile(".byte 0x9a\n\t.long %c3\n\t.word 0"                                  \
                     : "+a"(gh_a), "+d"(gh_b), "+c"(gh_c) : "i"(import_index) : "memory", "cc"); \
        gh_a;                                                                              \
    })

inline void gh_outb(u16 port, u8 v) { asm volatile("outb %0, %1" ::"a"(v), "Nd"(port)); }
inline u8 gh_inb(u16 port) {
    u8 v;
    asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
