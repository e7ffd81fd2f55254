// The #DF task ([intel/vol3] §6.15 interrupt 8, §7.3): entered by a task switch through the IDT
// task gate, on its own stack and TSS. The CPU saved the faulting task's state in its TSS and put
// that TSS's selector in our back link, so we can say where the fault happened.
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/boot/ksyms.hpp"
#include "src/console.hpp"
#include "src/panic.hpp"

extern "C" [[noreturn]] void df_task_main() {
    const Tss& prev = tss::main_tss;
    kprintf("trap: #DF double fault (vector 8) via task gate; back link 0x%04x\n", u32(tss::df_tss.link));
    if (tss::df_tss.link == gdt::kTss) {
        kprintf("trap:   interrupted task at %04x:%08x", u32(prev.cs), prev.eip);
        ksyms::print_location(prev.eip);
        kprintf(" esp=%08x ss=%04x eflags=%08x\n", prev.esp, u32(prev.ss), prev.eflags);
    }
    panic("double fault: a fault occurred while delivering another");
}
