// Ring-3 programs: loaded from multiboot modules named "<name>.elf", each in its own address
// space, entered with IRET, served by system calls, killed with a decoded report when they fault
// (docs/syscalls.md). Each process is one thread; the PIT tick preempts them round-robin.
#pragma once
#include "src/lib/result.hpp"
#include "src/lib/str.hpp"
#include "src/proc/syscall_mech.hpp"

struct TrapFrame;

namespace proc {
// Choose the system-call mechanism (syscall= and CPUID) and program the SYSENTER MSRs.
void init_syscalls(SyscallSel requested, const CpuInfo& cpu);

// Programs found among the modules at boot.
void register_module(const char* name, const u8* bytes, u32 size);
u32 program_count();
const char* program_name(u32 i);  // nullptr past the last

struct RunResult {
    bool killed;     // a fault, not exit()
    u32 exit_code;   // exit()'s argument
};
// Start a program as a new process (ready to run); its pid. NotFound: no such module;
// Invalid: a malformed image; Busy: the process table is full.
Result<u32> spawn(Str name, u32 argument = 0);
// Block until the calling thread's child `pid` ends (block = false: Busy while it runs);
// NotFound when it is not our child.
Result<RunResult> wait(u32 pid, bool block = true);
// End a process now, as killed (its exit code -Fault). Denied unless the caller is an ancestor
// (or the kernel thread); NotFound for no such live process.
Result<void> kill(u32 pid);
// spawn + wait.
Result<RunResult> run(Str name, u32 argument = 0);
// From the PIT tick: round-robin to the next ready process now (it interrupted ring 3), or at the
// end of the system call it interrupted (syscall_exit).
void tick(bool from_ring3);
void syscall_exit();
// The current thread is a user process (so a kernel fault now is on its behalf, in a system call).
bool in_user_syscall();
void ipc_tick();  // src/proc/ipc.cpp: sends nobody took time out
// IPC system calls the assembly fast path took (src/proc/ipc_fast.asm: each is one direct
// switch), and the ones the C++ path served (every buffer call, and the register calls the fast
// path left to it). Shown by `syscalls`; ring 3 reads them with bench_info 6 and 7.
struct IpcCounts {
    u32 fast, slow;
};
IpcCounts ipc_counts();
u32 context_switches();
void set_autorun(Str commands);  // the shell's autorun= commands
void print_processes();

// A program's code selector: ring 3, or a small server's (ring 2; src/proc/small_space.cpp).
bool program_cs(u32 cs);
// From trap_dispatch: INT 0x80, and any exception raised at CPL 3 or in a small server.
void syscall_trap(TrapFrame& f);
void user_fault(TrapFrame& f);
// The exception that killed the last program killed by a fault (for the self-test's checks).
struct KillInfo {
    u32 vector, error;
};
// KillInfo::vector of a small server killed for SYSENTER (not an exception: the entry refused it,
// src/proc/syscall_entry.asm; on a CPU without SEP SYSENTER raises #UD, vector 6, instead).
inline constexpr u32 kKillSysenterRefused = 0x100;
bool sysenter_ready();  // SEP usable: the SYSENTER MSRs are set (src/proc/patch.cpp)
KillInfo last_kill();

// Patched call sites by mechanism, for the listing.
struct SiteCounts {
    u32 sysenter, gate, int80;  // sites in programs with their own address space
    u32 small_gate;             // sites in small servers (always call gates, or int where forced)
};
SiteCounts patched_sites();
Mech mechanism();
void print_syscalls();  // patched sites by mechanism
}  // namespace proc
