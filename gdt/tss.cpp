#include "gdt/tss.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"

extern "C" [[noreturn]] void df_task_main();

MainTss tss::main_task;
Tss tss::df_tss;

namespace {
alignas(16) u8 g_df_stack[8192];
}

void tss::init() {
    main_tss = Tss{};
    main_tss.ss0 = gdt::kKernelDS;
    // The I/O bitmap with every port denied. IOPL is 0 everywhere (programs start with 0x202 and
    // cannot raise it: POPF at CPL > 0 leaves IOPL alone), so at CPL 3 — and at CPL 1, once
    // drivers run there — every IN/OUT consults this map; ring 0 never does.
    main_tss.iomap_base = offsetof(MainTss, iomap);
    for (u8& b : main_task.iomap) b = iopb::kClosed;
    main_task.iomap_end = iopb::kClosed;
    // A task switch back into this TSS (the #DF task's IRET) loads CR3 from here: the CPU never
    // writes CR3 into the outgoing TSS ([intel/vol3] §7.3), so it must hold the kernel directory.
    main_tss.cr3 = x86::cr3();

    // The #DF task: a fresh stack and flat kernel segments, whatever state the fault left.
    df_tss = Tss{};
    df_tss.cr3 = x86::cr3();
    df_tss.eip = u32(uptr(&df_task_main));
    df_tss.eflags = 0x2;  // IF = 0
    df_tss.esp = u32(uptr(g_df_stack + sizeof(g_df_stack)));
    df_tss.cs = gdt::kKernelCS;
    df_tss.ss = df_tss.ds = df_tss.es = gdt::kKernelDS;
    df_tss.iomap_base = sizeof(Tss);

    gdt::set_fixed(gdt::kTssIndex, desc::tss_descriptor(u32(uptr(&main_task)), kMainLimit));
    gdt::set_fixed(gdt::kDfTssIndex, desc::tss_descriptor(u32(uptr(&df_tss)), kDfLimit));
    x86::ltr(gdt::kTss);
}

bool tss::io_all_closed() {
    u32 open = 0;
    for (u8 b : main_task.iomap) open |= u8(~b);
    return open == 0 && main_task.iomap_end == iopb::kClosed && main_tss.iomap_base == offsetof(MainTss, iomap);
}
