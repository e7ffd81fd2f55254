// The #DF task ([intel/vol3] §6.15 interrupt 8, §7.3): entered by a task switch through the IDT
// task gate, on its own stack and TSS. The CPU saved the faulting task's state in its TSS and put
// that TSS's selector in our back link, so we can say where the fault happened, and, when it was
// a driver (its stack overflowed: the #SS could not be pushed on that stack), edit the saved
// state to resume the aborted call's caller and IRET back to the interrupted task.
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/boot/ksyms.hpp"
#include "src/console.hpp"
#include "src/drv/contain.hpp"
#include "src/panic.hpp"

extern "C" [[noreturn]] void df_task_main() {
    for (;;) {
        Tss& prev = tss::main_tss;
        bool kernel_only = console::set_kernel_code_only(true);  // no console driver from this task
        kprintf("trap: #DF double fault (vector 8) via task gate; back link 0x%04x\n", u32(tss::df_tss.link));
        if (tss::df_tss.link != gdt::kTss) panic("double fault from an unknown task");
        kprintf("trap:   interrupted task at %04x:%08x", u32(prev.cs), prev.eip);
        if (prev.cs == gdt::kKernelCS) ksyms::print_location(prev.eip);
        kprintf(" esp=%08x ss=%04x eflags=%08x (ring-0 stack %04x:%08x)\n", prev.esp, u32(prev.ss), prev.eflags,
                u32(prev.ss0), prev.esp0);
        // The panic says where (the lines above are muted where fault reports are: the campaign).
        if (!drv::contain_double_fault(prev))
            panic("double fault: a fault occurred while delivering another (in the task at %04x:%08x, eflags %08x)",
                  u32(prev.cs), prev.eip, prev.eflags);
        console::set_kernel_code_only(kernel_only);
        // Back to the interrupted task; the next #DF enters here again, after the IRET.
        x86::iret_to_back_link();
    }
}
