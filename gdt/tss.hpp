// The 32-bit task-state segment ([intel/vol3] §7.2.1, figure 7-2).
#pragma once
#include <stddef.h>
#include "gdt/iopb.hpp"
#include "src/lib/types.hpp"

struct Tss {
    u16 link, r0;
    u32 esp0;
    u16 ss0, r1;
    u32 esp1;
    u16 ss1, r2;
    u32 esp2;
    u16 ss2, r3;
    u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u16 es, r4, cs, r5, ss, r6, ds, r7, fs, r8, gs, r9, ldt, r10;
    u16 trap, iomap_base;
};

static_assert(sizeof(Tss) == 104, "a 32-bit TSS is 104 bytes");
static_assert(offsetof(Tss, esp0) == 4);
static_assert(offsetof(Tss, cr3) == 28);
static_assert(offsetof(Tss, eip) == 32);
static_assert(offsetof(Tss, esp) == 56);
static_assert(offsetof(Tss, es) == 72);
static_assert(offsetof(Tss, cs) == 76);
static_assert(offsetof(Tss, ldt) == 96);
static_assert(offsetof(Tss, iomap_base) == 102);

// The kernel's TSS with its I/O permission bitmap right behind it (gdt/iopb.hpp): the map
// covers every port, 0..0xFFFF, then the terminating byte; the TSS limit ends on that byte.
struct MainTss {
    Tss tss;
    u8 iomap[iopb::kMapBytes];
    u8 iomap_end;  // always 0xFF ([intel/vol3] §20.5.2: the CPU reads two bytes of the map)
};
static_assert(offsetof(MainTss, iomap) == sizeof(Tss), "the map starts where iomap_base points");
static_assert(offsetof(MainTss, iomap_end) == sizeof(Tss) + iopb::kMapBytes);
static_assert(offsetof(MainTss, tss) == 0, "the entry stubs name tss::main_task for the TSS (src/proc/*.asm)");

namespace tss {
inline constexpr u32 kMainLimit = sizeof(Tss) + iopb::kMapBytes;  // the last byte: the terminator
static_assert(kMainLimit == offsetof(MainTss, iomap_end) && kMainLimit < 0x100000, "byte-granular limit");
inline constexpr u32 kDfLimit = sizeof(Tss) - 1;  // no map: every port denied (never runs above ring 0)

// The running kernel's TSS (ring-0 stack for ring-3 entries) and the #DF task's TSS.
extern MainTss main_task;
inline Tss& main_tss = main_task.tss;
extern Tss df_tss;

// The I/O bitmap of the main TSS (iopb::kMapBytes bytes), and whether every port is denied in it
// and the terminator is intact (a scan of the 8 KiB: for checks, not for hot paths).
inline u8* io_map() { return main_task.iomap; }
bool io_all_closed();
// Fill both TSSes, install their descriptors and load TR.
void init();
}  // namespace tss
