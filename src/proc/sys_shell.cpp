// System calls 30..47: the services the shell offers on a real PC (docs/syscalls.md, "Shell
// services"): whether limits are enforced, the runnable programs, reboot and power-off, views of
// the IDT, the TSSes and a driver's exports, and restart/unload/load of a driver.
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "seg/guarded.hpp"
#include "seg/limit_probe.hpp"
#include "src/arch/x86.hpp"
#include "src/boot/ksyms.hpp"
#include "src/console.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/symbols.hpp"
#include "src/power/power.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/trap/idt.hpp"

namespace proc {
namespace {
enum : u32 {
    kLimitsEnforced = 30, kProgramName = 31, kReboot = 32, kPowerOff = 33, kDumpIdt = 34, kDumpTss = 35,
    kDumpExports = 36, kDriverRestart = 37, kDriverUnload = 38, kDriverLoad = 39, kAcpiInfo = 40,
    kWriteLog = 41,
};

u32 err(Err e) { return drvabi::error_result(u32(e)); }

Result<drv::Driver*> named_driver(u32 name_ptr) {
    char name[drv::kMaxNameLen + 1];
    Str s = TRY(user_string(name_ptr, name, sizeof name));
    drv::Driver* d = drv::by_name(s);
    if (!d || drv::index_of(*d) == 0) return Err::NotFound;
    return d;
}

u32 program_name(u32 i, u32 buf, u32 cap) {
    const char* name = proc::program_name(i);
    if (!name) return err(Err::NotFound);
    u32 n = u32(Str(name).n);
    if (cap == 0 || n + 1 > cap || !user_range_ok(buf, n + 1)) return err(Err::Range);
    return guarded_copy(reinterpret_cast<void*>(uptr(buf)), name, n + 1) == 0 ? n : err(Err::Fault);
}

const char* gate_kind(const desc::Decoded& d) {
    switch (d.type) {
    case u8(desc::SysType::IntGate32): return "int-gate";
    case u8(desc::SysType::TrapGate32): return "trap-gate";
    case u8(desc::SysType::TaskGate): return "task-gate";
    default: return "other";
    }
}

void dump_idt() {
    u32 present = 0;
    for (u32 v = 0; v < idt::kEntries; v++) present += desc::decode(idt::get(u8(v))).present;
    kprintf("idt: %u of %u vectors present\n", present, u32(idt::kEntries));
    for (u32 v = 0; v < idt::kEntries; v++) {
        desc::Decoded d = desc::decode(idt::get(u8(v)));
        if (!d.present) continue;
        kprintf("idt: 0x%02x %s %04x:%08x dpl=%u", v, gate_kind(d), u32(d.gate_selector),
                d.type == u8(desc::SysType::TaskGate) ? 0 : d.gate_offset, u32(d.dpl));
        if (d.type != u8(desc::SysType::TaskGate)) ksyms::print_location(d.gate_offset);
        kprintf("\n");
    }
}

void dump_one_tss(const char* what, u16 sel, const Tss& t) {
    const char* who = gdt::owner(sel);
    kprintf("tss: %s selector 0x%04x owner=%s at %p: link=0x%04x esp0=%08x ss0=%04x cr3=%08x iomap=0x%x\n", what,
            u32(sel), who ? who : "free", &t, u32(t.link), t.esp0, u32(t.ss0), t.cr3, u32(t.iomap_base));
    kprintf("tss:   eip=%08x esp=%08x eflags=%08x cs=%04x ss=%04x ds=%04x\n", t.eip, t.esp, t.eflags, u32(t.cs),
            u32(t.ss), u32(t.ds));
}

void dump_exports(const drv::Driver& d) {
    kprintf("driver: %s (%s) cs=0x%04x ds=0x%04x state=%s restarts=%u: %u exports\n", d.name, d.file, u32(d.cs),
            u32(d.ds), d.state == drv::State::Up ? "up" : d.state == drv::State::Empty ? "unloaded" : "failed",
            d.restarts, d.export_count);
    if (d.state == drv::State::Empty) return;
    for (u32 e = d.first_export; e < d.first_export + d.export_count; e++) {
        const drv::GateEntry& g = drv::gate_at(e);
        if (!g.gate) continue;
        u32 code = gh_exports[e].code, off = 0;
        kprintf("driver:   %.*s gate 0x%04x code offset 0x%x", int(g.name.n), g.name.p, u32(g.gate), code);
        if (const char* sym = drv::symbolize(d, code, &off)) kprintf(" (%s+0x%x)", sym, off);
        kprintf("\n");
    }
}

// The shell's console drivers can go and come back: the console routes output again.
u32 after_driver_change(Result<void> r, const drv::Driver& d, const char* done) {
    console::attach_drivers();
    if (!r.ok()) {
        kprintf("driver: %s: %s refused: %s\n", d.name, done, err_name(r.error()));
        return err(r.error());
    }
    kprintf("driver: %s %s\n", d.name, done);
    return 0;
}
}  // namespace

u32 shell_syscall(u32 n, u32 a, u32 b, u32 c) {
    // The machine and its drivers are the console's: rebooting, powering off, restarting,
    // unloading or loading a driver is for a program the kernel started (the shell), not for
    // anything a program of its own spawns (a fuzzer, a hostile program): -Denied.
    bool admin = n == kReboot || n == kPowerOff || n == kDriverRestart || n == kDriverUnload || n == kDriverLoad;
    if (admin && !console_process()) return err(Err::Denied);
    switch (n) {
    case kLimitsEnforced: return limits::enforced() ? 1 : 0;
    case kProgramName: return program_name(a, b, c);
    case kReboot: power::reboot();
    case kPowerOff: power::power_off(a == 1);
    case kDumpIdt: dump_idt(); return 0;
    case kDumpTss:
        dump_one_tss("kernel", gdt::kTss, tss::main_tss);
        kprintf("tss:   I/O bitmap: %u bytes at offset 0x%x, then 0xff; limit 0x%x; %s\n", iopb::kMapBytes,
                u32(tss::main_tss.iomap_base), tss::kMainLimit,
                tss::io_all_closed() ? "every port closed (IOPL 0: ring 3 gets none)" : "some ports open");
        dump_one_tss("#DF task", gdt::kDfTss, tss::df_tss);
        return 0;
    case kAcpiInfo: power::print_acpi(); return 0;
    case kWriteLog: {
        if (!user_range_ok(a, b) || b > 512) return err(Err::Range);
        char text[512];
        if (guarded_copy(text, reinterpret_cast<const void*>(uptr(a)), b) != 0) return err(Err::Fault);
        console::LogOnly log;
        for (u32 i = 0; i < b; i++) console::put(text[i]);
        return b;
    }
    case kDumpExports:
    case kDriverRestart:
    case kDriverUnload:
    case kDriverLoad: {
        auto d = named_driver(a);
        if (!d.ok()) return err(d.error());
        drv::Driver& drv = *d.value();
        if (n == kDumpExports) return dump_exports(drv), 0;
        if (n == kDriverUnload) return after_driver_change(drv::unload(drv), drv, "unloaded");
        if (n == kDriverLoad) return after_driver_change(drv::load_again(drv), drv, "loaded");
        if (drv.state == drv::State::Empty) return err(Err::Invalid);
        return after_driver_change(drv::reload(drv), drv, "restarted from its pristine image");
    }
    default: return err(Err::Unsupported);
    }
}

}  // namespace proc
