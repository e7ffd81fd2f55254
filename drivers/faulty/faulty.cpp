// faulty: raises the fault it is asked for, so the containment tests can check that each kind is
// attributed, reported and contained, and that the driver is reloaded and serves again.
#include "drivers/lib/driver.hpp"
#include "src/lib/result.hpp"

GH_DRIVER("faulty");

namespace {
GH_IMPORT(null_echo, "null.echo");
GH_IMPORT(kernel_limits, "kernel.limits_enforced");
u32 g_state = 0x600DF00D;  // data that a reload must restore
volatile u32 g_zero = 0;

enum Kind : u32 {
    kReadPastLimit = 1,
    kWritePastLimit = 2,
    kWriteCode = 3,
    kJumpPastCode = 4,
    kStackOverflow = 5,
    kLoadNotPresent = 6,
    kLoadFreeSelector = 7,
    kDivideByZero = 8,
    kInvalidOpcode = 9,
    kEndlessLoop = 10,
    kStackSegmentPastLimit = 11,
    kPageFault = 12,
    kForeignJump = 13,
    kCliLoop = 14,  // cli; jmp $: a #GP at CPL 1 (IOPL 0); refused in ring 0, where it would hang
    kSysenter = 15, // SYSENTER inside its call (the kernel aborts the call; only where SEP works)
    kLeaveRing = 16, // IRET out of its ring to EIP 0: arg = a program's CS (sel: its SS), or 0: V86 mode (ring 0)
    kSyscallGate = 17, // a far call through a system-call gate (sel: its selector) inside its call
};
drvabi::FarSlot g_jump = {0, 0, 0};  // DS-relative: the far pointer of kForeignJump

[[gnu::noinline]] u32 recurse(u32 depth) {
    volatile u8 pad[256];
    pad[0] = u8(depth);
    if (g_zero == 0) return recurse(depth + 1) + pad[0];  // always: g_zero stays 0
    return pad[0];
}

bool needs_limits(u32 kind) {
    return kind == kReadPastLimit || kind == kWritePastLimit || kind == kWriteCode || kind == kJumpPastCode ||
           kind == kStackOverflow || kind == kStackSegmentPastLimit || kind == kForeignJump;
}

GH_FN u32 fault(u32 kind, u32 arg, u32 sel) {
    if (needs_limits(kind) && gh_call(kernel_limits) != 1) return drvabi::error_result(u32(Err::Unsupported));
    switch (kind) {
    case kReadPastLimit: return *reinterpret_cast<volatile u32*>(arg);  // arg: an offset past the DS limit
    case kWritePastLimit: *reinterpret_cast<volatile u32*>(arg) = 0xBAD; return 0;
    case kWriteCode: asm volatile("movl $0xBAD, %%cs:(%0)" ::"r"(arg) : "memory"); return 0;
    case kJumpPastCode: asm volatile("jmp *%0" ::"r"(arg)); return 0;
    case kStackOverflow: return recurse(0);
    case kLoadNotPresent:
    case kLoadFreeSelector: asm volatile("mov %0, %%fs" ::"r"(arg)); return 0;  // arg: the selector
    case kDivideByZero: return 100 / g_zero;
    case kInvalidOpcode: asm volatile("ud2"); return 0;
    case kEndlessLoop: for (;;) asm volatile("" ::: "memory");
    case kSysenter: asm volatile("sysenter" ::: "memory"); return 0;
    case kCliLoop:
        if ((x86::cs() & 3) == 0) return drvabi::error_result(u32(Err::Unsupported));
        x86::cli();
        for (;;) asm volatile("" ::: "memory");
    case kPageFault: {  // the flat kernel selector onto low memory, which no page maps: #PF
        u32 v;
        asm volatile("push %%fs; mov %1, %%fs; movl %%fs:0x10, %0; pop %%fs" : "=r"(v) : "r"(u32(0x10)));
        return v;
    }
    case kForeignJump:  // a direct far jump into another driver's code (arg: offset, sel: its CS)
        g_jump.offset = arg;
        g_jump.selector = u16(sel);
        asm volatile("ljmp *%0" ::"m"(g_jump) : "memory");
        return 0;
    case kLeaveRing: {
        // The frame an IRET to an outer ring pops: EIP, CS, EFLAGS, ESP, SS, and for virtual-8086
        // mode ES, DS, FS, GS. EFLAGS.VM (bit 17) is honoured only by an IRET at CPL 0.
        if (arg == 0 && (x86::cs() & 3) != 0) return drvabi::error_result(u32(Err::Unsupported));
        u32 flags = arg == 0 ? (1u << 17) | 2 : 2;
        asm volatile("push $0; push $0; push $0; push $0; push %1; push $0; push %0; push %2; push $0; iret"
                     ::"r"(flags), "r"(sel), "r"(arg) : "memory");
        return 0;
    }
    case kSyscallGate:
        g_jump.offset = 0;
        g_jump.selector = u16(sel);
        asm volatile("lcall *%0" ::"m"(g_jump) : "eax", "ecx", "edx", "memory");
        return 0;
    case kStackSegmentPastLimit: {  // an SS-relative read past the limit: #SS(0), the stack still fine
        u32 v;
        asm volatile("movl %%ss:(%1), %0" : "=r"(v) : "r"(arg));
        return v;
    }
    }
    return drvabi::error_result(1);
}

// The first offset past a selector's limit (LSL), for the demonstration's targets.
u32 past_limit(u16 sel) {
    u32 limit = 0;
    return x86::lsl(sel, &limit) && limit < 0xFFFFFFF0u ? limit + 1 : 0xFFFFFFF0u;
}

GH_FN u32 demo(u32 kind, u32, u32) {
    switch (kind) {
    case kReadPastLimit:
    case kWritePastLimit:
    case kStackSegmentPastLimit: return fault(kind, past_limit(x86::ds()), 0);
    case kWriteCode: return fault(kind, 0x10, 0);
    case kJumpPastCode: return fault(kind, past_limit(x86::cs()), 0);
    case kStackOverflow:
    case kDivideByZero:
    case kInvalidOpcode:
    case kEndlessLoop:
    case kPageFault: return fault(kind, 0, 0);
    }
    return drvabi::error_result(u32(Err::Unsupported));  // 6, 7, 13 need targets only the kernel has
}

GH_FN u32 echo(u32 a, u32, u32) { return a; }
GH_FN u32 state(u32, u32, u32) { return g_state; }
GH_FN u32 set_state(u32 v, u32, u32) {
    g_state = v;
    return 0;
}
// Write n bytes through a far pointer without the software check: past the alias's limit the
// hardware stops it (#GP), and the caller's bytes beyond the buffer are never reached.
GH_FN u32 overrun(u32 n, u32 off, u32 sel) {
    for (u32 i = 0; i < n; i++) gh_far_write_unchecked(FarPtr<u8>(u16(sel), off), i, u8(i));
    return n;
}
// A -> B -> A: called from null, calls null back.
GH_FN u32 call_null(u32 a, u32, u32) { return gh_call(null_echo, a) + 1; }
}  // namespace

GH_EXPORT(fault, "faulty.fault");  // for the kernel's tests and the campaign: they pick the targets
// The containment demonstration for programs (the shell's `fault`): the kind only; every target is
// the driver's own choice, past its own limits, so a program cannot aim a jump inside the driver's
// code (where a CLI byte could start an endless loop with interrupts off) or have it load a
// selector of the program's choosing. Kinds that need segment limits enforced to fault at all
// (QEMU enforces none) are refused there with Unsupported instead of trampling memory.
GH_EXPORT_FOR(demo, "faulty.demo", drvabi::kForPrograms);
GH_EXPORT(echo, "faulty.echo");
GH_EXPORT(state, "faulty.state");
GH_EXPORT(set_state, "faulty.set_state");
GH_EXPORT(call_null, "faulty.call_null");
GH_EXPORT(overrun, "faulty.overrun");
