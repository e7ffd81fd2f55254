// The register frame built by src/trap/entry.asm on the kernel stack, lowest address first.
#pragma once
#include <stddef.h>
#include "src/lib/types.hpp"

struct TrapFrame {
    // The driver-call record top to restore on the way out (src/drv/gate_layout.hpp): trap entry
    // moves it up by one record for the trap; containment sets what the interrupted code resumes with.
    u32 calls_top;
    // Where the interrupted code's stack is: the exit path copies the frame back there and IRETs
    // from it. ret_ss = 0: the frame is already on that stack (kernel stack, or a ring-3 entry).
    u32 ret_esp, ret_ss;
    u32 gs, fs, es, ds;                                   // low 16 bits valid
    u32 edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;  // pusha
    u32 vector, error;                                    // stub (error = 0 when the CPU pushes none)
    u32 eip, cs, eflags;                                  // CPU
    u32 user_esp, user_ss;                                // CPU, only on a privilege change
};

// entry.asm relies on these offsets.
static_assert(offsetof(TrapFrame, ret_ss) == 8);
static_assert(offsetof(TrapFrame, gs) == 12);
static_assert(offsetof(TrapFrame, edi) == 28);
static_assert(offsetof(TrapFrame, vector) == 60);
static_assert(offsetof(TrapFrame, eip) == 68);
static_assert(offsetof(TrapFrame, eflags) == 76);
inline constexpr u32 kTrapCopyBytes = offsetof(TrapFrame, user_esp) - offsetof(TrapFrame, gs);  // 68
static_assert(kTrapCopyBytes == 68);
