// Boot sequence: console first (so every later step can report), then the CPU tables, then the
// machine. Each step prints what it found (docs/serial.md).
#include "src/proc/small_space.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "seg/limit_probe.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/bench/bench.hpp"
#include "src/campaign/campaign.hpp"
#include "src/boot/boot_info.hpp"
#include "src/boot/cmdline.hpp"
#include "src/boot/ksyms.hpp"
#include "src/console.hpp"
#include "src/crash.hpp"
#include "src/dev/pic.hpp"
#include "src/dev/pit.hpp"
#include "src/dev/serial.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/registry.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"
#include "src/mm/paging.hpp"
#include "src/panic.hpp"
#include "src/proc/process.hpp"
#include "src/selftest/selftest.hpp"
#include "src/trap/idt.hpp"

namespace {
Options g_options;

void print_cmdline_diagnostics(const CmdlineDiagnostics& d) {
    for (u32 i = 0; i < d.count; i++)
        kprintf("cmdline: '%.*s': %s; ignored\n", int(d.items[i].word.n), d.items[i].word.p, d.items[i].reason);
    if (d.dropped) kprintf("cmdline: %u more problems not listed\n", d.dropped);
}
}  // namespace

extern "C" [[noreturn]] void kmain(u32 magic, u32 info_phys) {
    // GRUB hands over physical addresses; the first 4 MiB are mapped at 3 GiB by entry.asm.
    const mb::Info* info = mm::p2v<const mb::Info>(info_phys);
    serial::init();
    console::init(true, true);
    if (magic != mb::kBootloaderMagic) panic("not started by a multiboot loader (magic %08x)", magic);

    const char* cmdline = (info->flags & mb::kCmdline) ? mm::p2v<const char>(info->cmdline) : "";
    CmdlineDiagnostics diags;
    parse_cmdline(cmdline, g_options, diags);
    console::init(g_options.console != ConsoleSel::Vga, g_options.console != ConsoleSel::Serial);
    set_halt_instead_of_poweroff(!g_options.poweroff);

    kprintf("gatehouse: booting (i386 protected mode, segment-isolated drivers)\n");
    kprintf("gatehouse: cmdline '%s'\n", cmdline);
    print_cmdline_diagnostics(diags);
    char effective[448];  // room for a 255-character autorun= and the campaign options
    describe_options(g_options, effective, sizeof effective);
    kprintf("gatehouse: options %s\n", effective);

    gdt::init();
    tss::init();
    idt::init();
    pic::init(idt::kIrqBase);
    pit::init();
    kprintf("gatehouse: GDT, TSS, #DF task, IDT (48 vectors), PIC (IRQs at %u), PIT (%u Hz) ready\n",
            u32(idt::kIrqBase), pit::kTickHz);

    ksyms::init(*info);
    cpu::detect();
    cpu::print();
    cpu::enable_umip();

    BootRanges ranges = collect_boot_ranges(*info);
    frames::init(*info, ranges.list, ranges.count);
    paging::init(frames::ram_top(), cpu::info().pse, cpu::info().pge);
    frames::reserve_above(paging::mapped_bytes());
    small::init();  // before any process: every page directory copies the region's PDEs
    if (g_options.dump_memmap) frames::print_map();

    limits::probe();
    proc::init_syscalls(g_options.syscall, cpu::info());
    x86::sti();
    drv::set_mode_options(g_options);
    drv::init(*info);
    drv::report_unused_overrides();
    selftest::disarm_crayon();
    console::attach_drivers();
    kprintf("console: output through the %s\n", console::describe());

    // The whole listing is ~60 lines: on an 80x25 screen it would push the CPU, limits and
    // mechanism lines out of view, so a boot shows a summary unless dump=gdt asks for it.
    u32 oracle_server = g_options.break_small ? small::oracle_start() : 0;
    if (g_options.dump_gdt) gdt::print();
    else gdt::print_summary();
    if (g_options.dump_drivers) drv::print();
    if (g_options.magic_break) {
        kprintf("gatehouse: magic breakpoint (xchg bx,bx): Bochs stops here\n");
        x86::magic_break();
    }
    small::oracle_stop(oracle_server);
    kprintf("gatehouse: ready (%u ms after the PIT started)\n", pit::ms_since_boot());

    if (g_options.crash != Crash::None) crash(g_options.crash);
    bool ok = true;
    if (g_options.selftest) {
        ok = selftest::run_all();
    } else if (g_options.campaign) {
        ok = campaign::run(g_options);
    } else if (g_options.bench) {
        bench::run_kernel_cases(g_options.bench_pit, g_options.bench_trace);
        auto r = proc::run("ubench");
        if (!r.ok()) kprintf("bench: no ubench program (%s): no ring-3 cases\n", err_name(r.error()));
    } else if (proc::program_count()) {
        // The shell; it powers the machine off itself (its poweroff command).
        proc::set_autorun(g_options.autorun);
        auto r = proc::run("shell");
        if (!r.ok()) kprintf("gatehouse: no shell (%s)\n", err_name(r.error()));
    }
    poweroff(ok);
}
