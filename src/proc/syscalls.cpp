// System-call handlers and faults at CPL 3 (docs/syscalls.md).
#include "drivers/lib/abi.hpp"
#include "seg/alias.hpp"
#include "src/bench/bench.hpp"
#include "seg/guarded.hpp"
#include "src/drv/kernel_services.hpp"
#include "src/arch/fault_decode.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/dev/scancode.hpp"
#include "src/panic.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/audience.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/proc/small_space.hpp"
#include "src/trap/frame.hpp"
#include "src/trap/report.hpp"

namespace proc {
// A NUL-terminated user string into `out` (cap bytes with the NUL), through the checked path.
Result<Str> user_string(u32 ptr, char* out, u32 cap) {
    for (u32 n = 0; n < cap; n++) {
        if (!user_range_ok(ptr + n, 1) || ptr + n < ptr) return Err::Range;
        if (guarded_copy(&out[n], reinterpret_cast<const void*>(uptr(ptr + n)), 1) != 0) return Err::Fault;
        if (out[n] == '\0') return Str(out, n);
    }
    return Err::Range;
}

namespace {
enum : u32 {
    kExit = 1, kWrite = 2, kGetpid = 3, kMechanism = 4, kDriverCall = 5, kSpawn = 6, kWait = 7, kTicks = 8,
    kReadChar = 9, kDump = 10, kPoweroff = 11, kAutorun = 12, kBenchInfo = 13, kIpcCall = 14, kIpcReplyWait = 15,
    kMapDisk = 16, kDiskRead = 17, kBenchKernel = 18, kKill = 19, kWaitPoll = 20, kPollChar = 21, kSmallInfo = 22,
    kIpcCallRegs = 23, kIpcReplyWaitRegs = 24,
};
constexpr u32 kDiskMapAt = 0x20000000;  // where map_disk puts the image in the caller
enum : u32 { kDumpGdt = 1, kDumpDrivers = 2, kDumpProcesses = 3, kDumpSyscalls = 4 };
Str g_autorun;

u32 err(Err e) { return drvabi::error_result(u32(e)); }

u32 sys_write(u32 ptr, u32 len) {
    if (!user_range_ok(ptr, len)) return err(Err::Range);
    char chunk[128];
    for (u32 done = 0; done < len;) {
        u32 n = len - done < sizeof chunk ? len - done : u32(sizeof chunk);
        if (guarded_copy(chunk, reinterpret_cast<const void*>(uptr(ptr + done)), n) != 0) return err(Err::Fault);
        for (u32 i = 0; i < n; i++) console::put(chunk[i]);
        done += n;
    }
    return len;
}

// A driver export by name: only exports in the gate directory can be named, so a program has
// no other way to a driver's code, and only those declared for programs answer (IRQ handlers,
// ramdisk.write, exports that take a selector, kernel.*: Denied, counted per export).
u32 sys_driver_call(u32 name_ptr, u32 a, u32 b) {
    char name[2 * drv::kMaxNameLen + 2];
    auto s = user_string(name_ptr, name, sizeof name);
    if (!s.ok()) return err(s.error());
    const drv::GateEntry* g = drv::find_gate(s.value());
    if (!g) return err(Err::NotFound);
    if (!drv::allowed(g->export_id, drvabi::kForPrograms)) return err(Err::Denied);
    return gh_call_gate(g->gate, a, b, 0);
}

u32 sys_spawn(u32 name_ptr, u32 argument) {
    char name[32];
    auto s = user_string(name_ptr, name, sizeof name);
    if (!s.ok()) return err(s.error());
    auto pid = spawn(s.value(), argument);
    return pid.ok() ? pid.value() : err(pid.error());
}

// The next character from the serial line (serial.getc) or the keyboard (kbd.read), or 0.
u32 poll_char() {
    u32 c = drv::call("serial.getc");
    if (!drvabi::is_error(c) && c) return c;
    u32 k = drv::call("kbd.read");
    return drvabi::is_error(k) ? 0 : u32(u8(scancode_to_ascii(u8(k))));
}

// Wait for a character: other ready threads run meanwhile (a background program goes on while
// the shell waits for a key); with none ready the CPU halts until the next interrupt.
u32 sys_read_char() {
    for (;;) {
        if (u32 c = poll_char()) return c;
        if (!yield()) {
            u32 flags = x86::eflags();
            x86::sti_hlt();
            x86::set_eflags(flags);
        }
    }
}

u32 sys_dump(u32 what) {
    switch (what) {
    case kDumpGdt: gdt::print(); return 0;
    case kDumpDrivers: drv::print(); return 0;
    case kDumpProcesses: print_processes(); return 0;
    case kDumpSyscalls: print_syscalls(); return 0;
    default: return err(Err::Invalid);
    }
}

// The autorun= commands into buf (at most cap - 1 bytes and a NUL). Returns their whole length,
// like snprintf: a result >= cap says they did not fit, so the shell can say so instead of
// running a cut-off script.
u32 sys_autorun(u32 buf, u32 cap) {
    if (cap == 0 || !user_range_ok(buf, cap)) return err(Err::Range);
    u32 n = g_autorun.n < cap - 1 ? u32(g_autorun.n) : cap - 1;
    char zero = '\0';
    if (guarded_copy(reinterpret_cast<void*>(uptr(buf)), g_autorun.p, n) != 0 ||
        guarded_copy(reinterpret_cast<void*>(uptr(buf + n)), &zero, 1) != 0)
        return err(Err::Fault);
    return u32(g_autorun.n);
}

// The RAM disk image, read-only, at kDiskMapAt in the caller: the IPC disk server's backing store
// (the same module the ramdisk driver serves). Its size in bytes.
u32 sys_map_disk() {
    u32 linear, bytes;
    if (!drv::disk_module(&linear, &bytes)) return err(Err::NotFound);
    u32 phys = mm::v2p(reinterpret_cast<void*>(uptr(linear)));
    for (u32 off = 0; off < bytes; off += mm::kPageSize) {
        auto r = current().as.map_shared(kDiskMapAt + off, phys + off, false);
        if (!r.ok()) return err(r.error());
    }
    return bytes;
}

// Block `block` of the RAM disk into a user buffer through the ramdisk driver (kernel -> driver
// by far call, with an alias over a kernel bounce buffer), for comparing with the IPC server.
u32 sys_disk_read(u32 block, u32 buf) {
    if (!user_range_ok(buf, 512)) return err(Err::Range);
    alignas(16) static u8 bounce[512];
    seg::ScopedAlias alias(bounce, sizeof bounce, true, "disk-read");
    if (!alias.ok()) return err(Err::NoMemory);
    u32 r = drv::call("ramdisk.read", block, 0, alias.ptr().selector);
    if (drvabi::is_error(r)) return r;
    return guarded_copy(reinterpret_cast<void*>(uptr(buf)), bounce, 512) == 0 ? 0 : err(Err::Fault);
}

// IPC switches threads: it runs with IF = 0 (a call gate leaves IF as it was) and gives the
// caller back its own IF.
u32 with_irqs_off(u32 (*fn)(u32, u32, u32), u32 a, u32 b, u32 c) {
    u32 flags = x86::eflags();
    x86::cli();
    u32 r = fn(a, b, c);
    x86::set_eflags(flags);
    return r;
}

// The exit code, or an error; a killed child reports -Fault. block = false: -Busy while it runs.
u32 sys_wait(u32 pid, bool block) {
    auto r = wait(pid, block);
    if (!r.ok()) return err(r.error());
    return r.value().killed ? err(Err::Fault) : r.value().exit_code;
}
}  // namespace

u32 do_syscall(u32 n, u32 a, u32 b, u32 c) {
    if (current().slot) return small::syscall(n, a, b, c);  // its pointers are slot offsets
    switch (n) {
    case kExit: exit_current(a, false);
    case kWrite: return sys_write(a, b);
    case kGetpid: return current().pid;
    case kMechanism: return u32(current_mechanism());
    case kDriverCall: return sys_driver_call(a, b, c);
    case kSpawn: return sys_spawn(a, b);
    case kWait: return sys_wait(a, true);
    case kWaitPoll: return sys_wait(a, false);
    case kKill: {
        auto r = kill(a);
        return r.ok() ? 0 : err(r.error());
    }
    case kPollChar: return poll_char();
    case kSmallInfo: return small::info(a, b);
    case kTicks: return pit::ticks();
    case kReadChar: return sys_read_char();
    case kDump: return sys_dump(a);
    case kPoweroff:
        if (!console_process()) return err(Err::Denied);  // the console's (see sys_shell.cpp)
        poweroff(true);
    case kAutorun: return sys_autorun(a, b);
    case kIpcCall: return with_irqs_off(sys_ipc_call, a, b, c);
    case kIpcReplyWait: return with_irqs_off(sys_ipc_reply_wait, a, b, c);
    // Register IPC that the fast path did not take (src/proc/ipc_fast.asm), and every INT 0x80 one.
    case kIpcCallRegs: return with_irqs_off(sys_ipc_call_regs, a, b, c);
    case kIpcReplyWaitRegs: return with_irqs_off(sys_ipc_reply_wait_regs, a, b, c);
    case kBenchKernel: bench::run_kernel_cases(); return 0;  // the shell's bench: kernel half
    case kMapDisk: return sys_map_disk();
    case kDiskRead: return sys_disk_read(a, b);
    case kBenchInfo:  // for ubench: every way in, whatever the sites were patched to
        if (a == 1 || a == 5) {  // the DPL-3 call gate of getpid, or of number b
            auto g = gate_for(a == 1 ? u32(kGetpid) : b);
            return g.ok() ? g.value() : err(g.error());
        }
        if (a == 2) return cpu::info().sep_usable ? 1 : 0;
        if (a == 6) return ipc_counts().fast;  // IPCs the assembly fast path took
        if (a == 7) return ipc_counts().slow;  // and the ones C++ served
        if (a == 4) return cpu::info().tsc ? 1 : 0;
        if (a == 8) return bench::tracing() ? 1 : 0;  // bench=trace: ubench marks its cases too
        if (a == 3) {  // global kernel pages on (b = 1) or off: CR4.PGE, then a full TLB flush
            if (!cpu::info().pge) return err(Err::Unsupported);
            x86::set_cr4(b ? (x86::cr4() | (1u << 7)) : (x86::cr4() & ~(1u << 7)));
            x86::set_cr3(x86::cr3());
            return 0;
        }
        return err(Err::Invalid);
    default: return shell_syscall(n, a, b, c);
    }
}

// INT 0x80: the interrupt gate cleared IF and trap_common cleaned the other flags; with the frame
// on this thread's kernel stack the call can run with interrupts on, like the other two entries.
bool program_cs(u32 cs) { return (cs & 3) == 3 || ((cs & 3) == small::kRing && small::is_server_cs(cs)); }

void syscall_trap(TrapFrame& f) {
    if (!current().user || !program_cs(f.cs)) return;
    x86::sti();
    u32 n = f.eax;
    f.eax = do_syscall(n, f.ebx, f.esi, f.edi);
    if (n == kIpcReplyWaitRegs) f.ebx = current().ipc_sender;  // the sender comes back in EBX
    syscall_exit();
    x86::cli();
}

namespace {
KillInfo g_last_kill;
}
KillInfo last_kill() { return g_last_kill; }

void user_fault(TrapFrame& f) {
    if (f.vector == 13 && f.error == 0 && patch_syscall_site(f.eip)) return;  // run the site again
    g_last_kill = {f.vector, f.error};
    trap_report(f, 0);
    Process& p = current();
    kprintf("proc: %s (pid %u) killed: %s %s at %04x:%08x", p.name, p.pid, exception_mnemonic(f.vector),
            exception_name(f.vector), f.cs & 0xFFFF, f.eip);
    if (exception_has_error_code(f.vector)) kprintf(" error=%04x", f.error);
    kprintf(" esp=%08x\n", f.user_esp);
    exit_current(err(Err::Fault), true);
}

// SYSENTER while a small server runs and no driver call is in flight (a driver's SYSENTER is
// caught before, sysenter_in_driver_call): the server executed it.
// The entry found SYSENTER closed and runs nothing of the caller. It cannot be returned to (SYSEXIT
// gives flat ring-3 CS/SS; SYSENTER saved no CS:EIP to return by any other way), so it ends.
[[noreturn]] void sysenter_refused(u32 eip, u32 esp) {
    g_last_kill = {kKillSysenterRefused, 0};
    Process& p = current();
    kprintf("proc: %s (pid %u) killed: SYSENTER from a small server refused (SYSEXIT would return it with flat "
            "ring-3 CS/SS) edx=%08x ecx=%08x\n", p.name, p.pid, eip, esp);
    exit_current(err(Err::Fault), true);
}

void set_autorun(Str commands) { g_autorun = commands; }

}  // namespace proc

extern "C" [[noreturn]] void proc_sysenter_refused(u32 eip, u32 esp) { proc::sysenter_refused(eip, esp); }

extern "C" u32 proc_do_syscall(u32 n, u32 a, u32 b, u32 c) {
    u32 r = proc::do_syscall(n, a, b, c);
    proc::syscall_exit();
    return r;
}
