// The measured loops of ubench (docs/benchmarks.md, "The harness"): each runs one operation n times
// in an assembly loop (`op; decl count; jnz`) between two serialized RDTSCs and returns the ticks;
// its twin <loop>_base is the same loop with the operation removed but the same register inputs
// (their loads fall between the stamps too: an n = 1 row would count them), and ubench subtracts
// it, so a figure is the path alone. Each function holds its own system-call site, and its warm-up runs that very
// site (its first run is the #GP and the patch), so no measured sample includes a patch.
#pragma once
#include "user/lib/syscall.hpp"

namespace ubench {
inline u64 stamp() {
    u32 a, b, c, d, lo, hi;
    asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));  // serialize
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (u64(hi) << 32) | lo;
}

struct [[gnu::packed]] FarPtr {
    u32 offset;
    u16 selector;
};

// What the loops call: set by ubench before it measures.
struct Targets {
    FarPtr getpid_gate;
    u32 sysenter_stub;  // the getpid stub's address on the stub page
    u32 server;         // the IPC server of the ipc loops
    u32 word;           // the word sent
    IpcMsg* msg;        // its message (len reset to 0 before each call)
    u32 touch;          // pages touched after each IPC (loop_ipc_touch)
    u8* pages;
    u32 block;          // the disk block read
    u8* buf;
};
extern Targets g_t;
extern "C" volatile u8 g_trace_armed;  // bench=trace: the trace variants' markers fire

// bench=trace (make bench-trace): each loop also has a trace variant, the operation once between
// two Bochs magic breakpoints (`xchgw %bx, %bx`) that only fire while g_trace_armed is set, so its
// own system-call site can be warmed (patched) first with the markers quiet. The second marker
// and the test before it sit at the label ubench_trace_end_<loop>: tools/bench_trace.py counts
// them as harness, not path. (noclone: a cloned copy would define the label twice.)
struct Loop {
    u32 (*timed)(u32 n);  // n operations between two stamps: ticks
    u32 (*base)(u32 n);   // the same without the operation, inputs loaded all the same: subtracted
    void (*trace)();      // the operation once between the markers
};

#define UBENCH_LOOP(name, op, ...)                                                    \
    [[gnu::noinline]] inline u32 name##_timed(u32 n) {                                 \
        u32 count = n;                                                                 \
        u64 t0 = stamp();                                                              \
        asm volatile("1:\n\t" op "\n\tdecl %[count]\n\tjnz 1b"                          \
                     : [count] "+m"(count)__VA_ARGS__);                                \
        return u32(stamp() - t0);                                                      \
    }                                                                                  \
    [[gnu::noinline]] inline u32 name##_base(u32 n) {                                  \
        u32 count = n;                                                                 \
        u64 t0 = stamp();                                                              \
        asm volatile("1:\n\tdecl %[count]\n\tjnz 1b" : [count] "+m"(count)__VA_ARGS__);     \
        return u32(stamp() - t0);                                                      \
    }                                                                                  \
    [[gnu::noinline, gnu::noclone]] inline void name##_trace() {                       \
        u32 count = 1;                                                                 \
        asm volatile("cmpb $0, g_trace_armed\n\tje 8f\n\txchgw %%bx, %%bx\n8:\n\t" op   \
                     "\nubench_trace_end_" #name ":\n\t"                                  \
                     "cmpb $0, g_trace_armed\n\tje 9f\n\txchgw %%bx, %%bx\n9:"            \
                     : [count] "+m"(count)__VA_ARGS__);                                \
    }                                                                                  \
    inline constexpr Loop name{name##_timed, name##_base, name##_trace};

// getpid through this loop's own GH_SYSCALL site, patched to whatever the boot chose.
UBENCH_LOOP(loop_site_getpid, ".byte 0x9a\n\t.long 3\n\t.word 3", : : "eax", "ecx", "edx", "memory", "cc")
UBENCH_LOOP(loop_int80_getpid, "movl $3, %%eax\n\tint $0x80", : : "eax", "ecx", "edx", "memory", "cc")
UBENCH_LOOP(loop_gate_getpid, "lcall *%[gate]", : [gate] "m"(g_t.getpid_gate) : "eax", "ecx", "edx", "memory", "cc")
UBENCH_LOOP(loop_sysenter_getpid, "call *%%ebx", : "b"(g_t.sysenter_stub) : "eax", "ecx", "edx", "memory", "cc")
// mechanism() by SYSENTER: the general path (entry hygiene, segment registers, the C++ dispatcher,
// the exit check), where getpid and ticks take the assembly fast path.
UBENCH_LOOP(loop_sysenter_general, "call *%%ebx", : "b"(g_t.sysenter_stub + 16) : "eax", "ecx", "edx", "memory", "cc")
// ipc_call(server, word, msg) with an empty message, through this loop's own site.
UBENCH_LOOP(loop_ipc, "movl $0, 8(%%edi)\n\t.byte 0x9a\n\t.long 14\n\t.word 3",
            : "b"(g_t.server), "S"(g_t.word), "D"(g_t.msg) : "eax", "ecx", "edx", "memory", "cc")
// ipc_call_regs(server, word): the true null IPC, one word in a register and no buffer (the
// kernel keeps EBX and ESI; the reply word comes back in EAX).
UBENCH_LOOP(loop_ipc_regs, ".byte 0x9a\n\t.long 23\n\t.word 3", : "b"(g_t.server), "S"(g_t.word) : "eax", "ecx", "edx", "memory", "cc")
// The same, then a write to each of g_t.touch pages (each a TLB refill on real hardware after a
// CR3 load; free in an emulator).
UBENCH_LOOP(loop_ipc_touch,
            "movl $0, 8(%%edi)\n\t.byte 0x9a\n\t.long 14\n\t.word 3\n\t"
            "movl %[touch], %%ecx\n\tmovl %[pages], %%edx\n"
            "2:\n\tmovb %%cl, (%%edx)\n\taddl $4096, %%edx\n\tdecl %%ecx\n\tjnz 2b",
            : "b"(g_t.server), "S"(g_t.word), "D"(g_t.msg), [touch] "m"(g_t.touch), [pages] "m"(g_t.pages)
            : "eax", "ecx", "edx", "memory", "cc")
// disk_read(block, buf): the ramdisk driver by far call, through the kernel.
UBENCH_LOOP(loop_disk_read, ".byte 0x9a\n\t.long 17\n\t.word 3", : "b"(g_t.block), "S"(g_t.buf) : "eax", "ecx", "edx", "memory", "cc")
#undef UBENCH_LOOP
}  // namespace ubench
