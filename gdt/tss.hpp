// The 32-bit task-state segment ([intel/vol3] §7.2.1, figure 7-2).
#pragma once
#include <stddef.h>
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

namespace tss {
// The running kernel's TSS (ring-0 stack for ring-3 entries) and the #DF task's TSS.
extern Tss main_tss;
extern Tss df_tss;
// Fill both TSSes, install their descriptors and load TR.
void init();
}  // namespace tss
