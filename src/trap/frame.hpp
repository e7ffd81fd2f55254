// The register frame built by src/trap/entry.asm, lowest address first.
#pragma once
#include <stddef.h>
#include "src/lib/types.hpp"

struct TrapFrame {
    u32 gs, fs, es, ds;                           // pushed by the common stub (low 16 bits valid)
    u32 edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;  // pusha
    u32 vector, error;                            // vector stub (error = 0 when the CPU pushes none)
    u32 eip, cs, eflags;                          // CPU
    u32 user_esp, user_ss;                        // CPU, only on a privilege change
};

// entry.asm relies on these offsets.
static_assert(offsetof(TrapFrame, edi) == 16);
static_assert(offsetof(TrapFrame, vector) == 48);
static_assert(offsetof(TrapFrame, eip) == 56);
static_assert(sizeof(TrapFrame) == 76);
