#include "src/crash.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/panic.hpp"
#include "src/trap/idt.hpp"

namespace {
constexpr u64 kPresentBit = u64(1) << 47;
volatile u32 g_zero = 0;
}

[[noreturn]] void crash(Crash kind) {
    switch (kind) {
    case Crash::Panic:
        panic("crash=panic requested on the command line");
    case Crash::DoubleFault: {
        // #DE with its IDT gate not present raises #NP while delivering #DE: two contributory
        // faults make a #DF ([intel/vol3] §6.15, table 6-5), which arrives through the task gate.
        kprintf("crash: #DE with the #DE gate not present, expecting #DF\n");
        idt::set(0, idt::get(0) & ~kPresentBit);
        u32 q = 100 / g_zero;
        panic("divide by zero did not fault (%u)", q);
    }
    case Crash::Triple: {
        kprintf("crash: loading an empty IDT and raising #UD: expecting a triple fault\n");
        x86::lidt({0, 0});
        x86::ud2();
        panic("still running after a triple fault");
    }
    case Crash::Hang:
        kprintf("crash: hanging with interrupts off\n");
        x86::cli();
        for (;;) x86::hlt();
    case Crash::GpFault: {
        auto sel = gdt::alloc("crash", 0);  // a zero descriptor: loading it raises #GP(sel)
        kprintf("crash: loading selector 0x%04x (a not-present zero descriptor) without a fixup\n",
                u32(sel.value_or(0)));
        x86::load_fs(sel.value_or(0));
        panic("loading a zero descriptor did not fault");
    }
    case Crash::None:
        break;
    }
    panic("crash: unknown kind");
}
