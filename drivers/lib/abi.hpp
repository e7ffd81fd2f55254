// The driver image ABI, shared by the kernel's loader and every driver (docs/drivers.md).
//
// A driver is an ELF32 executable with two PT_LOAD segments: code linked at offset 0 of its code
// segment, and data (header, rodata, data, bss) linked right above the driver's stacks, which sit
// at offset 0 of its data segment (drivers/lib/driver.ld). All offsets below are segment offsets.
#pragma once
#include "src/lib/types.hpp"

namespace drvabi {

inline constexpr u32 kMagic = 0x56444847;  // "GHDV"
inline constexpr u32 kVersion = 3;  // 2: exports carry their audience; 3: mode and I/O ports
inline constexpr u32 kNone = 0xFFFFFFFF;

// The isolation a driver asks for (issue 11; docs/drivers.md, "Modes"), overridable on the command
// line (drvring=).
enum Mode : u32 {
    kRing0 = 0,         // RDOS: CPL 0, own selectors and gates, nothing enforced beyond them
    kRing1 = 1,         // CPL 1, IOPL 0: kernel selectors, privileged instructions and ports fault
    kRing1Domains = 2,  // ring 1 on a GDT of its own: other domains' descriptors and the user segments not present
};
inline constexpr u32 kModes = 3;

// An I/O port range a driver declares: ports [base, base + count). A ring-1 driver gets exactly
// these ports through the TSS I/O permission bitmap while it runs (gdt/iopb.hpp).
struct PortRange {
    u16 base;
    u16 count;
};
static_assert(sizeof(PortRange) == 4);
inline constexpr u32 kMaxPortRanges = 4;

// Every field is a plain 32-bit link-time constant, so the header needs no constructor.
struct Header {
    u32 magic;
    u32 version;
    u32 stack_slots;       // entries that may be active at once (nesting, IRQs)
    u32 stack_slot_bytes;  // stacks occupy [0, slots * bytes) of the data segment
    u32 name;              // data offset of the driver's NUL-terminated name
    u32 exports, exports_end;  // data offsets bounding Export[]
    u32 imports, imports_end;  // data offsets bounding Import[]
    u32 trampoline;        // code offset of `call ebx; retf` (drivers/lib/crt.asm)
    u32 init;              // code offset of `u32 init()` run once after loading, or 0 for none
    u32 rodata_end;        // data offset where writable data starts: header, tables, rodata below
    u32 mode;              // the Mode it asks for (GH_DRIVER_MODE; ring 0 when it says nothing)
    u32 ports, ports_end;  // data offsets bounding PortRange[] (GH_PORTS): the ports it uses
};
static_assert(sizeof(Header) == 60);

// Who may call an export (RDOS separates OS gates from user gates). Each level includes the
// ones before it: the kernel may call everything.
enum Audience : u32 {
    kForKernel = 1,    // the kernel only (IRQ handlers: "<driver>.irq<N>" are always this)
    kForDrivers = 2,   // the kernel and other drivers: the default
    kForPrograms = 3,  // also user programs, through the driver_call system call
};

struct Export {
    u32 name;      // data offset: "driver.function"
    u32 code;      // code offset of a regparm(3) function u32 f(u32, u32, u32)
    u32 audience;  // an Audience
};
static_assert(sizeof(Export) == 12);

// A far pointer the driver calls through (`lcall *slot`): the loader writes the gate selector.
struct FarSlot {
    u32 offset;
    u16 selector;
    u16 pad;
};
static_assert(sizeof(FarSlot) == 8);

struct Import {
    u32 name;  // data offset: "driver.function" or "kernel.function"
    u32 slot;  // data offset of a FarSlot
};

// Results: a driver call returns a non-negative value, or a negative error (-Err) when it failed
// or was aborted by the kernel (the driver faulted, was busy, or is not running).
constexpr u32 error_result(u32 err) { return u32(0) - err; }
constexpr bool is_error(u32 r) { return r >= 0xFFFFFF00u; }

}  // namespace drvabi
