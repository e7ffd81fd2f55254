// Self-test: ring-3 programs and their system calls.
#include "gdt/layout.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/console.hpp"
#include "seg/limit_probe.hpp"
#include "src/drv/registry.hpp"
#include "src/proc/process.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {
void hello_runs_in_ring3(Case& c) {
    if (proc::program_count() == 0) return c.skip("no user program modules");
    proc::SiteCounts before = proc::patched_sites();
    auto r = proc::run("hello");
    ST_CHECK(c, r.ok());
    ST_CHECK(c, !r.value().killed);
    if (r.value().exit_code != 42) return c.fail("hello exited %u (see user/hello/hello.cpp for what each code means)", r.value().exit_code);
    // Its sites were patched, all with the mechanism the boot chose, and nothing else.
    proc::SiteCounts s = proc::patched_sites();
    u32 mine = 0, others = 0;
    switch (proc::mechanism()) {
    case proc::Mech::Sysenter: mine = s.sysenter - before.sysenter; others = (s.gate - before.gate) + (s.int80 - before.int80); break;
    case proc::Mech::Gate: mine = s.gate - before.gate; others = (s.sysenter - before.sysenter) + (s.int80 - before.int80); break;
    case proc::Mech::Int80: mine = s.int80 - before.int80; others = (s.sysenter - before.sysenter) + (s.gate - before.gate); break;
    }
    // hello's call to number 999 has no stub or gate: it becomes INT 0x80 (and still gets its
    // error), the one site allowed outside the chosen mechanism.
    ST_CHECK(c, mine >= 4 && others <= 1);
    kprintf("selftest:   hello: %u sites patched to %s\n", mine, proc::mech_name(proc::mechanism()));
    // Run again: the sites are fresh copies from the module, patched again in the new process.
    auto again = proc::run("hello");
    ST_CHECK(c, again.ok() && again.value().exit_code == 42);
    ST_CHECK(c, !proc::run("no-such-program").ok());
}
// Each forbidden thing kills the process with a report; the kernel and the next process go on.
void faulting_processes_are_killed(Case& c) {
    if (proc::program_count() < 2) return c.skip("the faulter program is not loaded");
    const drv::Driver* null = drv::by_name("null");
    u32 driver_ds = null ? null->ds : gdt::kKernelDS;
    const u32 kinds[] = {1, 2 | (driver_ds << 16), 3, 4, 5, 6, 7, 8};
    for (u32 k : kinds) {
        auto r = proc::run("faulter", k);
        ST_CHECK(c, r.ok());
        if (!r.value().killed) return c.fail("faulter kind %u was not killed (exit %u)", k & 0xFF, r.value().exit_code);
        auto h = proc::run("hello");
        ST_CHECK(c, h.ok() && !h.value().killed && h.value().exit_code == 42);
    }
    // SGDT from ring 3: a #GP kill where UMIP is on; elsewhere it answers (the kernel's address).
    auto sgdt = proc::run("faulter", 10);
    ST_CHECK(c, sgdt.ok());
    if (cpu::info().umip != sgdt.value().killed)
        return c.fail("SGDT in ring 3 with umip=%s: %s", cpu::info().umip ? "yes" : "no",
                      sgdt.value().killed ? "killed" : "answered");
    if (!cpu::info().umip) ST_CHECK(c, sgdt.value().exit_code == 10);
    // A driver fault during a system call is the driver's, not the caller's: with a stack
    // overflow it comes back through the #DF task, whose IRET must restore this process's CR3.
    if (limits::enforced() && drv::by_name("faulty")) {
        auto r = proc::run("faulter", 9);
        ST_CHECK(c, r.ok() && !r.value().killed);
        if (r.value().exit_code != 77) return c.fail("faulter 9 exited %u, want 77", r.value().exit_code);
    }
}
// user/hostile: each kind attacks the entries one way (issue 9) and exits 42 when the kernel held.
void hostile_programs_are_held(Case& c) {
    if (!proc::run("hostile", 0).ok()) return c.skip("the hostile program is not loaded");
    static const char* const kKinds[] = {"", "flags at entry", "NT across a thread switch", "DF at disk_read",
                                         "read-only targets", "driver loop in a system call", "IPC to a waiting parent",
                                         "parents that leave zombies", "export audiences", "single step in ring 3",
                                         "segment registers at entry", "patching a shared page",
                                         "IPC to a busy non-receiver", "segments after a driver fault",
                                         "the console kills an orphan", "single step after MOV SS",
                                         "register IPC at every entry"};
    u32 failed = 0;
    for (u32 k = 1; k < sizeof kKinds / sizeof kKinds[0]; k++) {
        if ((k == 5 || k == 13) && !drv::by_name("faulty")) continue;
        auto r = proc::run("hostile", k);
        bool ok = r.ok() && !r.value().killed && r.value().exit_code == 42;
        kprintf("selftest:   hostile %u (%s): %s", k, kKinds[k], ok ? "held" : "FAILED");
        if (!ok) kprintf(" (%s %u)", !r.ok() ? "not run" : r.value().killed ? "killed" : "exit", r.ok() ? r.value().exit_code : 0);
        kprintf("\n");
        if (!ok) failed++;
    }
    if (failed) c.fail("%u hostile kinds got through (see the lines above; user/hostile/hostile.cpp names each exit code)", failed);
}
}  // namespace

void suite_user(Runner& r) {
    r.run("user: hello runs in ring 3 through patched system calls", hello_runs_in_ring3);
    r.run("user: kernel/driver selectors, privileged instructions, kernel memory kill the process", faulting_processes_are_killed);
    r.run("user: hostile flags, selectors, targets and partners at every entry are held", hostile_programs_are_held);
}
}  // namespace selftest

// --- processes ---
#include "src/proc/process.hpp"

namespace selftest {
namespace {
void processes_are_preempted(Case& c) {
    if (proc::program_count() < 3) return c.skip("the spinner program is not loaded");
    u32 switches = proc::context_switches();
    auto a = proc::spawn("spinner", 20);
    auto b = proc::spawn("spinner", 20);
    ST_CHECK(c, a.ok() && b.ok() && a.value() != b.value());
    auto ra = proc::wait(a.value());
    auto rb = proc::wait(b.value());
    ST_CHECK(c, ra.ok() && rb.ok() && !ra.value().killed && !rb.value().killed);
    u32 a0 = ra.value().exit_code & 0xFFFF, a1 = ra.value().exit_code >> 16;
    u32 b0 = rb.value().exit_code & 0xFFFF, b1 = rb.value().exit_code >> 16;
    ST_CHECK(c, a1 - a0 >= 20 && b1 - b0 >= 20);
    if (!(a0 < b1 && b0 < a1)) return c.fail("no overlap: spinner A ran %u..%u, B %u..%u", a0, a1, b0, b1);
    ST_CHECK(c, proc::context_switches() - switches >= 4);
    kprintf("selftest:   spinners ran %u..%u and %u..%u; %u context switches\n", a0, a1, b0, b1,
            proc::context_switches() - switches);
    ST_CHECK(c, !proc::wait(a.value()).ok());  // reaped: waiting again is an error
    ST_CHECK(c, !proc::wait(12345).ok());       // not a child
}
}  // namespace

void ipc_between_address_spaces(Case& c) {
    if (proc::program_count() < 5) return c.skip("the ipctest and echosrv programs are not loaded");
    auto r = proc::run("ipctest");
    // With 6 MiB GRUB loads not every module ("error: out of memory." before the kernel starts).
    if (!r.ok() && r.error() == Err::NotFound) return c.skip("the ipctest program is not loaded (GRUB: too little RAM?)");
    ST_CHECK(c, r.ok() && !r.value().killed);
    if (r.value().exit_code != 42) return c.fail("ipctest exited %u (user/ipctest/ipctest.cpp names each check)", r.value().exit_code);
}

// Register-only IPC (docs/ipc.md, "The fast path"): ipctest 1 checks the words, who answered and
// the slow path's answers from ring 3; here the kernel's own counters say which path served them.
void ipc_registers_fast_path(Case& c) {
    if (proc::program_count() < 5) return c.skip("the ipctest and echosrv programs are not loaded");
    proc::IpcCounts before = proc::ipc_counts();
    auto r = proc::run("ipctest", 1);
    proc::IpcCounts after = proc::ipc_counts();
    if (!r.ok() && r.error() == Err::NotFound) return c.skip("the ipctest program is not loaded (GRUB: too little RAM?)");
    ST_CHECK(c, r.ok() && !r.value().killed);
    if (r.value().exit_code != 42) return c.fail("ipctest 1 exited %u (user/ipctest/ipctest.cpp names each check)", r.value().exit_code);
    u32 fast = after.fast - before.fast, slow = after.slow - before.slow;
    kprintf("selftest:   ipc registers: %u fast-path IPCs, %u C++-path (sites: %s)\n", fast, slow,
            proc::mech_name(proc::mechanism()));
    // 124 register round trips to echosrv and 52 to smallecho, two fast-path IPCs each, unless the
    // sites are INT 0x80, which always takes C++; the bad targets, the killed server and the
    // buffer calls are C++'s in any case.
    if (proc::mechanism() == proc::Mech::Int80) ST_CHECK(c, fast == 0);
    else if (fast < 2 * (124 + 52)) return c.fail("only %u IPCs took the fast path", fast);
    ST_CHECK(c, slow >= 12);
}

void disk_two_ways(Case& c) {
    if (proc::program_count() < 7 || !drv::by_name("ramdisk")) return c.skip("disktest, disksrv or the ramdisk driver is missing");
    auto r = proc::run("disktest");
    ST_CHECK(c, r.ok() && !r.value().killed);
    if (r.value().exit_code != 42) return c.fail("disktest exited %u (user/disktest/disktest.cpp names each check)", r.value().exit_code);
}

void suite_processes(Runner& r) {
    r.run("processes: two spinners are preempted round-robin on the PIT", processes_are_preempted);
    r.run("ipc: words and 4 KiB buffers both ways, bad buffers, missing and dead servers", ipc_between_address_spaces);
    r.run("ipc: the RAM disk through its driver and through its IPC server agree", disk_two_ways);
    r.run("ipc: register-only calls take the fast path, with the C++ path's answers for the rest", ipc_registers_fast_path);
}
}  // namespace selftest
