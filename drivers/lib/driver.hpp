// What a driver includes: the export/import macros, far calls through its import slots, and the
// patchable RDOS-style call site. Beyond src/arch/x86.hpp, every inline asm statement a driver
// uses is in this header.
#pragma once
#include "drivers/lib/abi.hpp"
#include "src/arch/x86.hpp"  // the kernel's one-instruction wrappers serve drivers too

#define GH_FN __attribute__((regparm(3)))

// GH_DRIVER("name"): once per driver (drivers/lib/header.cpp reads it).
#define GH_DRIVER(name_literal) extern "C" const char gh_driver_name[] = name_literal

// GH_DRIVER_MODE(ring0 | ring1 | domains): the isolation the driver asks for (drivers/lib/abi.hpp,
// Mode); without it, ring 0. An absolute symbol the header picks up at link time (no constructor).
#define GH_MODE_VALUE_ring0 0
#define GH_MODE_VALUE_ring1 1
#define GH_MODE_VALUE_domains 2
static_assert(GH_MODE_VALUE_ring0 == drvabi::kRing0 && GH_MODE_VALUE_ring1 == drvabi::kRing1 &&
              GH_MODE_VALUE_domains == drvabi::kRing1Domains);
#define GH_STRINGIFY2(x) #x
#define GH_STRINGIFY(x) GH_STRINGIFY2(x)
#define GH_DRIVER_MODE(m) asm(".globl GH_DRIVER_MODE\n\t.set GH_DRIVER_MODE, " GH_STRINGIFY(GH_MODE_VALUE_##m))

// GH_PORTS(tag, base, count): the driver uses I/O ports [base, base + count). Every port it
// touches must be declared (at most drvabi::kMaxPortRanges ranges, no overlaps): a ring-1 driver
// gets exactly these through the TSS I/O bitmap; the loader refuses a malformed list.
#define GH_PORTS(tag, base, count)                                                          \
    [[gnu::used, gnu::section(".gh_ports")]] static const drvabi::PortRange gh_ports_##tag = { \
        u16(base), u16(count)}

// GH_EXPORT(fn, "driver.fn"): fn becomes callable through a call gate under that name, by the
// kernel and other drivers. GH_EXPORT_FOR(fn, "driver.fn", drvabi::kForPrograms) also lets user
// programs call it (driver_call); drvabi::kForKernel keeps it to the kernel.
#define GH_EXPORT_FOR(fn, name_literal, audience)                                         \
    [[gnu::used, gnu::section(".gh_exports")]] static const drvabi::Export gh_export_##fn = { \
        reinterpret_cast<u32>(name_literal), reinterpret_cast<u32>(&fn), audience}
#define GH_EXPORT(fn, name_literal) GH_EXPORT_FOR(fn, name_literal, drvabi::kForDrivers)

// GH_IMPORT(var, "other.fn"): var is a far pointer the loader points at that export's gate.
#define GH_IMPORT(var, name_literal)                                                        \
    drvabi::FarSlot var = {0, 0, 0};                                                        \
    [[gnu::used, gnu::section(".gh_imports")]] static const drvabi::Import gh_import_##var = { \
        reinterpret_cast<u32>(name_literal), reinterpret_cast<u32>(&var)}

// Call through an import's gate. A cross-segment call keeps only ESP, DS and EFLAGS.IF/DF for
// its caller (the register rule, docs/drivers.md "Gates and stubs"): EBX, ESI and EDI are told to
// the compiler as clobbered, and EBP, ES and EFLAGS (IF after an aborted call) are kept here.
// The slot is a global (GH_IMPORT), so its operand never depends on ESP.
#define GH_CROSS_CALL(insn, a, b, c, ...)                                                       \
    asm volatile("push %%ebp\n\tpush %%es\n\tpushf\n\t" insn "\n\tpopf\n\tpop %%es\n\tpop %%ebp"      \
                 : "+a"(a), "+d"(b), "+c"(c) : __VA_ARGS__ : "memory", "cc", "ebx", "esi", "edi")
inline u32 gh_call(const drvabi::FarSlot& slot, u32 a = 0, u32 b = 0, u32 c = 0) {
    GH_CROSS_CALL("lcall *%3", a, b, c, "m"(slot));
    return a;
}

// The RDOS-style call site: an invalid far call `9A <import index> <selector 0>`. Its first run
// raises #GP; the kernel patches it into a direct far call to that import's entry stub.
#define GH_PATCHED_CALL(import_index, a, b, c)                                             \
    ({                                                                                     \
        u32 gh_a = (a), gh_b = (b), gh_c = (c);                                            \
        GH_CROSS_CALL(".byte 0x9a\n\t.long %c3\n\t.word 0", gh_a, gh_b, gh_c, "i"(import_index));       \
        gh_a;                                                                              \
    })

// The benchmark's driver -> driver loop (src/bench/bench.cpp, docs/benchmarks.md): `lcall;
// dec; jnz` n times, and the same loop without the call, whose difference is the path alone. The
// count lives in memory and EBP, ES and the flags are kept around the whole loop (the register
// rule), as in the kernel's loops (src/bench/bench_asm.asm).
inline void gh_bench_far_loop(const drvabi::FarSlot& slot, volatile u32* n) {
    asm volatile("push %%ebp\n\tpush %%es\n\tpushf\n1:\n\tlcall *%1\n\tdecl %0\n\tjnz 1b\n\tpopf\n\tpop %%es\n\tpop %%ebp"
                 : "+m"(*n) : "m"(slot) : "memory", "cc", "eax", "ebx", "ecx", "edx", "esi", "edi");
}
inline void gh_bench_empty_loop(volatile u32* n) {
    asm volatile("push %%ebp\n\tpush %%es\n\tpushf\n1:\n\tdecl %0\n\tjnz 1b\n\tpopf\n\tpop %%es\n\tpop %%ebp"
                 : "+m"(*n) : : "memory", "cc", "eax", "ebx", "ecx", "edx", "esi", "edi");
}

// make bench-trace (tools/bench_trace.py): the same call once, between two markers;
// gh_trace_end marks the end marker as harness. One call site per driver. The markers are
// `lea esi, [esi + 0]` (8D 76 00, a 3-byte no-op) in the image: the kernel writes Bochs' magic
// breakpoint `xchg bx, bx` (66 87 DB) over them only for a bench=trace run (src/bench/bench.cpp),
// so no stray jump into a driver ever stops Bochs at one.
inline void gh_bench_far_trace(const drvabi::FarSlot& slot) {
    asm volatile("push %%ebp\n\tpush %%es\n\tpushf\n\t.byte 0x8d, 0x76, 0x00\n\tlcall *%0\ngh_trace_end:\n\t"
                 ".byte 0x8d, 0x76, 0x00\n\tpopf\n\tpop %%es\n\tpop %%ebp"
                 : : "m"(slot) : "memory", "cc", "eax", "ebx", "ecx", "edx", "esi", "edi");
}

inline void gh_outb(u16 port, u8 v) { x86::outb(port, v); }
inline u8 gh_inb(u16 port) { return x86::inb(port); }

// Checked copies through a far pointer (seg/far_ptr.hpp): LSL gives the CPU's limit for the
// selector, and a range that does not fit is refused in software before any access; the hardware
// limit check stays behind it. Return 0, or an error result (drvabi).
#include "seg/far_ptr.hpp"
inline bool gh_far_limit(u16 sel, u32* limit) { return x86::lsl(sel, limit); }
inline u32 gh_copy_from_far(void* dst, FarPtr<u8> src, u32 len) {
    u32 limit;
    if (!gh_far_limit(src.selector, &limit) || !far_range_ok(src.offset, len, limit)) return drvabi::error_result(2);
    u32 d = reinterpret_cast<u32>(dst), s = src.offset;
    asm volatile("push %%fs; mov %3, %%fs; fs rep movsb; pop %%fs"
                 : "+D"(d), "+S"(s), "+c"(len) : "r"(u32(src.selector)) : "memory");
    return 0;
}
inline u32 gh_copy_to_far(FarPtr<u8> dst, const void* src, u32 len) {
    u32 limit;
    if (!gh_far_limit(dst.selector, &limit) || !far_range_ok(dst.offset, len, limit)) return drvabi::error_result(2);
    u32 d = dst.offset, s = reinterpret_cast<u32>(src);
    asm volatile("push %%es; mov %3, %%es; rep movsb; pop %%es"
                 : "+D"(d), "+S"(s), "+c"(len) : "r"(u32(dst.selector)) : "memory");
    return 0;
}
// An unchecked write through a far pointer: only the hardware limit stands in the way (the
// faulty driver uses it to show that an overrun faults and is contained).
inline void gh_far_write_unchecked(FarPtr<u8> dst, u32 index, u8 v) {
    asm volatile("push %%fs; mov %0, %%fs; movb %2, %%fs:(%1); pop %%fs"
                 ::"r"(u32(dst.selector)), "r"(dst.offset + index), "q"(v) : "memory");
}
