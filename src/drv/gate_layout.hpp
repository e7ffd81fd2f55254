// Kernel-side structures the gate stubs (src/drv/gate.asm) read and write. Their offsets are
// repeated in src/drv/gate_layout.inc for NASM; test/unit/test_gate_layout.cpp checks that the two
// agree, and the static_asserts here pin the C++ side.
#pragma once
#include <stddef.h>
#include "src/lib/types.hpp"

namespace drv {

inline constexpr u32 kMaxDepth = 16;     // nested cross-segment calls per thread
inline constexpr u32 kMaxDrivers = 16;   // index 0 is the kernel itself
inline constexpr u32 kMaxExportIds = 256;  // one entry stub per export (NASM-generated)
inline constexpr u32 kKernelDriver = 0;
inline constexpr u32 kNoSlot = 0xFFFFFFFF;

// One active call through a gate: everything needed to return to the caller, or to abort the
// call if the callee faults. It lives in kernel memory, never only on a stack a driver can smash
// (DESIGN, "Unwind record").
struct CallRecord {
    u32 caller_esp;   // after the far call pushed the return CS:EIP
    u32 caller_ss;    // lss reads caller_esp then caller_ss
    u32 caller_ds;
    u32 caller_es;
    u32 caller_eflags;
    u32 ebx, esi, edi, ebp;  // the caller's callee-saved registers
    u32 export_id;
    u32 driver;       // callee driver index
    u32 slot;         // callee stack slot, kNoSlot for the kernel
    u32 prev_kstack;  // the thread's kernel-stack boundary before this call
    u32 start_tick;   // for the watchdog
    u32 arg_a, arg_b, arg_c;  // EAX, EDX, ECX while the stub works
    u32 new_esp, new_ss;      // the callee's stack, for lss
};
static_assert(offsetof(CallRecord, caller_ss) == 4);
static_assert(offsetof(CallRecord, caller_eflags) == 16);
static_assert(offsetof(CallRecord, ebx) == 20);
static_assert(offsetof(CallRecord, export_id) == 36);
static_assert(offsetof(CallRecord, prev_kstack) == 48);
static_assert(offsetof(CallRecord, arg_a) == 56);
static_assert(offsetof(CallRecord, new_esp) == 68);
static_assert(sizeof(CallRecord) == 76);

// Per thread: the kernel-stack boundary (where kernel code may push when it is entered from a
// driver: a trap, or a kernel service) and the stack of active calls.
struct ThreadCalls {
    u32 kstack_esp;
    u32 depth;
    CallRecord rec[kMaxDepth];
};
static_assert(offsetof(ThreadCalls, rec) == 8);

// What the stubs need to enter a driver.
struct DriverRt {
    u32 cs, ds;         // selectors
    u32 trampoline;     // code offset of `call ebx; retf`
    u32 slot_bytes;     // stack slot size; slot i's top is (i + 1) * slot_bytes
    u32 slot_count;
    u32 busy;           // bit i: slot i in use
    u32 up;             // 0 while loading, failed or reloading: calls return an error at once
    u32 calls;          // completed and aborted entries, for the listing
};
static_assert(offsetof(DriverRt, trampoline) == 8);
static_assert(offsetof(DriverRt, busy) == 20);
static_assert(offsetof(DriverRt, up) == 24);
static_assert(sizeof(DriverRt) == 32);

struct ExportRt {
    u32 driver;  // index into the driver table
    u32 code;    // code offset in that driver
};
static_assert(sizeof(ExportRt) == 8);

}  // namespace drv

// Shared with src/drv/gate.asm.
extern "C" {
extern drv::ThreadCalls* gh_current_calls;
extern drv::DriverRt gh_drivers[drv::kMaxDrivers];
extern drv::ExportRt gh_exports[drv::kMaxExportIds];
extern const u32 gh_entry_stubs[drv::kMaxExportIds];  // kernel-code offsets of the entry stubs
void gh_abort_return();  // resumes an aborted call's caller: EBX = its record, EAX = the result
extern volatile u32 gh_tick_count;  // the PIT tick, for the watchdog
u32 gh_call_gate(u32 gate_selector, u32 a, u32 b, u32 c);  // kernel -> driver, through a gate
}
