// Kernel-side structures the gate stubs (src/drv/gate.asm, src/drv/stub_template.inc) read and
// write. Their offsets are repeated in src/drv/gate_layout.inc for NASM;
// test/unit/test_gate_layout.cpp checks that the two agree, and the static_asserts here pin the
// C++ side.
#pragma once
#include <stddef.h>
#include "src/lib/types.hpp"

namespace drv {

inline constexpr u32 kMaxDrivers = 16;   // index 0 is the kernel itself
inline constexpr u32 kMaxExportIds = 256;  // one entry stub per export
inline constexpr u32 kMaxSlots = 32;     // stack slots per driver (src/drv/image.cpp)
inline constexpr u32 kKernelDriver = 0;
// A call at depth d (d calls already in flight) runs on stack slot d of its callee, so a driver
// with S slots is entered only below depth S (at most kMaxSlots); kernel-service entries are
// admitted below kKernelEntryLimit; traps step over one record each (src/trap/entry.asm). So the
// depth never passes kKernelEntryLimit + kTrapNesting, and the records cannot run out.
inline constexpr u32 kKernelEntryLimit = kMaxSlots + 16;
inline constexpr u32 kTrapNesting = 8;
inline constexpr u32 kMaxRecords = kKernelEntryLimit + kTrapNesting + 1;

// One active call through a gate: where the caller's stack is (the far return address and the
// caller's DS are on it), and whose call it is. It lives in kernel memory, never only on a stack
// the callee could smash (DESIGN, "Unwind record"). Only one thread is ever inside driver calls
// (threads are switched only at depth 0: src/proc/sched.cpp), so one array serves every thread.
struct CallRecord {
    u32 caller_esp;  // points at the caller's DS, above it the return EIP and CS
    u16 caller_ss;   // lss reads caller_esp then caller_ss
    u16 pad;
    u16 export_id;   // stored together with ticks by one dword write (ticks = 0)
    u16 ticks;       // PIT ticks that landed while this call was the innermost (watchdog)
    u32 ports;       // into a ring-1 driver: whose I/O ports were open before it (put back after)
};
static_assert(offsetof(CallRecord, caller_ss) == 4);
static_assert(offsetof(CallRecord, export_id) == 8);
static_assert(offsetof(CallRecord, ticks) == 10);
static_assert(offsetof(CallRecord, ports) == 12);
static_assert(sizeof(CallRecord) == 16);

struct Calls {
    u32 top;  // bytes of live records: depth * sizeof(CallRecord); claimed and released by the stubs
    u32 pad[3];
    CallRecord rec[kMaxRecords];
    u32 depth() const { return top / sizeof(CallRecord); }
};
static_assert(offsetof(Calls, rec) == 16);

// What the stubs need to enter a driver.
struct DriverRt {
    u32 cs;            // with the RPL of the ring it runs in
    u16 ds;            // likewise: the stubs load it into DS and ES
    u16 pad;
    u32 slot_bytes;
    u32 slot_count;
    u32 up;            // 0 while loading, failed or reloading: its stubs refuse at once
    u32 aborted;       // calls aborted by containment, for the listing
    u32 ring;          // the CPL it runs at: 0 or 1
    u32 domain;        // 1: in a GDT domain (gh_ring1_back_checked asks)
};
static_assert(offsetof(DriverRt, ds) == 4);
static_assert(offsetof(DriverRt, domain) == 28);  // DRV_DOMAIN
static_assert(sizeof(DriverRt) == 32);

// The SS:ESP a call at depth d gets in a driver: entry d of its table, for `lss esp, [table +
// depth * 16]` (the stride is a record's, so the stub indexes both with one register). Nothing
// here changes while calls come and go: a stray return through another driver's stub leaves no
// trace in it.
struct StackEntry {
    u32 esp;  // top of slot d: (d + 1) * slot_bytes
    u16 ss;   // the driver's data selector, RPL = its ring
    u16 pad;
    u32 pad2[2];
};
static_assert(sizeof(StackEntry) == sizeof(CallRecord));

struct ExportRt {
    u32 driver;  // index into the driver table
    u32 code;    // code offset in that driver
    u32 thunk;   // code offset of its thunk in the driver (`call code; jmp far kernel:stub return`)
    u32 pad;
};
static_assert(sizeof(ExportRt) == 16);

}  // namespace drv

// Shared with the stubs.
extern "C" {
extern drv::Calls gh_calls;
// Bit i: record i is one a trap stepped over (src/trap/entry.asm), not a call.
extern u32 gh_call_guards[(drv::kMaxRecords + 31) / 32];
extern drv::DriverRt gh_drivers[drv::kMaxDrivers];
extern drv::StackEntry gh_driver_stacks[drv::kMaxDrivers][drv::kMaxSlots];
extern drv::ExportRt gh_exports[drv::kMaxExportIds];
extern u32 gh_entry_stubs[drv::kMaxExportIds];
extern u8 gh_stub_area[];  // the generated stubs, kStubBytes each (src/drv/stub_template.inc)  // kernel-code address of each export's entry stub
extern const u32 gh_kernel_stubs[drv::kMaxExportIds];  // the static stubs for kernel services
void gh_abort_return();  // resumes an aborted call's caller: EBX = its record, EAX = the result
void gh_ring1_back();    // the DPL-1 return gate's target: back from a ring-1 callee (gate.asm)
void gh_domain_back();   // ... from a callee in a GDT domain (gate.asm, right after it)
void gh_ring1_back_checked();  // the ring-1 return gate's target in the domains' copies
extern char gh_ring1_back_end[];  // the end of both (the watchdog's "gate code" range)
extern u32 gh_io_open;   // whose I/O ports are open in the TSS bitmap (drv::io_ports_open_for)
extern volatile u32 gh_tick_count;  // the PIT tick, for the watchdog
u32 gh_call_gate(u32 gate_selector, u32 a, u32 b, u32 c);  // kernel -> driver, through a gate
}
