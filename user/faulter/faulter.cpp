// faulter: does one forbidden thing, chosen by its argument, so the tests can check that the
// kernel kills it with a decoded report and carries on. Exits 0 only if the fault did not happen.
#include "user/lib/syscall.hpp"

// The argument: the kind in its low byte; for kind 2, a selector in its high 16 bits; for kinds
// 11-13, a port in its high 16 bits.
namespace {
// Through a volatile pointer: GCC must not reason about these addresses at compile time.
volatile int* volatile kKernel = reinterpret_cast<volatile int*>(0xC0100000);
volatile int* volatile kLowPage = reinterpret_cast<volatile int*>(0x10);

// EFLAGS.IOPL (bits 12-13).
u32 iopl() {
    u32 f;
    asm volatile("pushfl; popl %0" : "=r"(f));
    return (f >> 12) & 3;
}
}  // namespace

extern "C" int main(u32 arg) {
    u16 port = u16(arg >> 16);
    switch (arg & 0xFF) {
    case 1: asm volatile("mov %0, %%ds" ::"r"(u32(0x10))); break;      // the kernel's data selector: #GP
    case 2: asm volatile("mov %0, %%es" ::"r"((arg >> 16) | 3)); break;  // a driver's data selector: #GP
    case 3: asm volatile("cli"); break;                                 // privileged: #GP(0)
    case 4: asm volatile("hlt"); break;                                 // privileged: #GP(0)
    case 5: return *kKernel;                                            // kernel memory: #GP (limit) or #PF
    case 6: *kKernel = 1; break;                                        // and writing it
    case 7: return *kLowPage;                                           // an unmapped user page: #PF
    case 8: asm volatile("ud2"); break;                                 // #UD
    case 9:  // not a fault of ours: a driver's stack overflow, contained; we go on and exit 77
        return sys_driver_call("faulty.demo", 5, 0) >= 0xFFFFFF00u ? 77 : 3;
    case 10: {  // SGDT: #GP under UMIP; elsewhere it works in ring 3 and shows the GDT's address
        struct [[gnu::packed]] { u16 limit; u32 base; } gdtr = {0, 0};
        asm volatile("sgdt %0" : "=m"(gdtr));
        return gdtr.base >= 0xC0000000u ? 10 : 11;
    }
    // Port I/O at CPL 3 > IOPL 0: the TSS I/O bitmap decides, and it denies every port (#GP(0)).
    case 11: {
        u8 v;
        asm volatile("inb %1, %0" : "=a"(v) : "d"(port));
        (void)v;
        return 0;
    }
    case 12: asm volatile("outb %0, %1" ::"a"(u8(0)), "d"(port)); break;
    case 13: {  // a dword: four ports' bits
        u32 v;
        asm volatile("inl %1, %0" : "=a"(v) : "d"(port));
        (void)v;
        return 0;
    }
    case 14: {  // IOPL from the entry's IRET frame, after a system call, and after trying to raise it
        u32 at_start = iopl();
        sys_getpid();
        u32 after_call = iopl();
        asm volatile("pushfl; orl $0x3000, (%%esp); popfl" ::: "memory", "cc");  // ignored at CPL 3
        u32 after_popf = iopl();
        return int(40 + at_start * 16 + after_call * 4 + after_popf);  // 40: IOPL 0 all along
    }
    default: return 1;
    }
    return 0;
}
