// crayon: each export tries one thing a driver's own selectors do not stop in ring 0 — "a lock
// drawn in pink crayon" (issue 11, point 4). The self-test's crayon matrix (src/selftest/
// crayon_cases.cpp) hands in harmless targets, checks that each case really happened and restores
// what it changed. In ring 0 every case succeeds; in ring 1 the privileged ones fault and are
// contained, and in ring 1 + domains each faults (another domain's descriptors are not present in
// its GDT). For the kernel only: no other driver and no program may call it.
#include "drivers/lib/driver.hpp"
#include "src/lib/result.hpp"

GH_DRIVER("crayon");
GH_DRIVER_MODE(domains);  // what it asks for: a GDT domain of its own
// No GH_PORTS: it declares none, so every port it touches is one it did not declare.

namespace {
enum Kind : u32 {  // = selftest::CrayonKind (src/selftest/crayon_matrix.hpp)
    kFlatWrite = 1,      // a: linear address, b: value: mov es, 0x10; store
    kForeignData = 2,    // a: another driver's data selector, b: offset: load it, read a dword
    kForeignCall = 3,    // a: another driver's code selector, b: offset of a retf there: far call
    kUserData = 4,       // load the user data selector 0x23; return what the register holds
    kCliSti = 5,         // cli, then sti: return IF after each
    kHlt = 6,            // hlt with IF = 1 (an IRQ wakes it)
    kLgdt = 7,           // lgdt with what sgdt gave: the same GDTR back
    kMovCr3 = 8,         // mov cr3 with its own value
    kUndeclaredPort = 9, // a: a port: in, out the same value, in again
    kGdtWrite = 10,      // a: GDT index, b: low dword: write the entry through 0x10 (high dword 0)
    kUnimported = 11,    // a: an export's public gate, b: its argument: far call through it
    kForeignGate = 12,   // a: another driver's import gate, b: the argument: far call through it
    // Not in the matrix: what a transition leaves in the segment registers (the domains self-test).
    kSegmentsAtEntry = 13,  // FS | GS << 16 as the call found them
    kLoadFsGs = 14,         // load FS and GS with its own DS, then return: the way back clears them
};
constexpr u32 kDone = 0xC0105ED;  // "the case ran to its end"
constexpr u32 kIf = 1u << 9;
drvabi::FarSlot g_far = {0, 0, 0};

// Store through the flat kernel selector: ES = 0x10 for one instruction, then back.
void flat_store(u32 linear, u32 v) {
    asm volatile("push %%es; mov %2, %%es; movl %1, %%es:(%0); pop %%es" ::"r"(linear), "r"(v), "r"(u32(0x10))
                 : "memory");
}

GH_FN u32 run(u32 kind, u32 a, u32 b) {
    switch (kind) {
    case kFlatWrite: flat_store(a, b); return kDone;
    case kForeignData: {
        u32 v;
        asm volatile("push %%fs; mov %1, %%fs; movl %%fs:(%2), %0; pop %%fs" : "=r"(v) : "r"(a), "r"(b) : "memory");
        return v;
    }
    case kForeignCall:
        g_far.offset = b;
        g_far.selector = u16(a);
        asm volatile("lcall *%0" ::"m"(g_far) : "memory", "cc");
        return kDone;
    case kUserData: {
        u32 v;
        asm volatile("push %%fs; mov %1, %%fs; mov %%fs, %0; pop %%fs" : "=r"(v) : "r"(u32(0x23)) : "memory");
        return v & 0xFFFF;
    }
    case kCliSti: {
        x86::cli();
        u32 off = x86::eflags() & kIf;
        x86::sti();
        u32 on = x86::eflags() & kIf;
        return (off ? 1 : 0) | (on ? 2 : 0);
    }
    case kHlt:
        if (!(x86::eflags() & kIf)) return drvabi::error_result(u32(Err::Invalid));  // would never wake
        x86::hlt();
        return kDone;
    case kLgdt: {
        x86::TablePtr g = x86::sgdt();
        x86::lgdt(g);
        x86::TablePtr again = x86::sgdt();
        return again.base == g.base && again.limit == g.limit ? kDone : drvabi::error_result(1);
    }
    case kMovCr3: {
        u32 v = x86::cr3();
        x86::set_cr3(v);
        return v;
    }
    case kUndeclaredPort: {
        u8 v = gh_inb(u16(a));
        gh_outb(u16(a), v);
        return gh_inb(u16(a));
    }
    case kUnimported:
    case kForeignGate: {
        g_far.offset = 0;
        g_far.selector = u16(a);
        u32 r;
        asm volatile("lcall *%1" : "=a"(r) : "m"(g_far), "a"(b) : "memory", "cc", "ebx", "ecx", "edx", "esi", "edi");
        return r;
    }
    case kSegmentsAtEntry: {
        u32 fs, gs;
        asm volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(fs), "=r"(gs));
        return (fs & 0xFFFF) | (gs & 0xFFFF) << 16;
    }
    case kLoadFsGs:
        asm volatile("mov %%ds, %%ax; mov %%ax, %%fs; mov %%ax, %%gs" ::: "eax", "memory");
        return kDone;
    case kGdtWrite: {
        u32 entry = x86::sgdt().base + a * 8;
        flat_store(entry + 4, 0);  // the high dword first: P stays 0 while the low one changes
        flat_store(entry, b);
        return kDone;
    }
    }
    return drvabi::error_result(u32(Err::Unsupported));
}
}  // namespace

GH_EXPORT_FOR(run, "crayon.run", drvabi::kForKernel);
