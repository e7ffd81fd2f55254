// Shared by the files of src/proc: the process table, programs, call-site patching.
#pragma once
#include "src/drv/gate_layout.hpp"
#include "src/lib/result.hpp"
#include "src/lib/str.hpp"
#include "src/mm/layout.hpp"
#include "src/proc/address_space.hpp"
#include "src/proc/small_layout.hpp"
#include "src/proc/syscall_mech.hpp"

namespace proc {

inline constexpr u32 kUserLimit = mm::kKernelBase;  // user segments end at 3 GiB
inline constexpr u32 kStackTop = 0xBFFF0000;
inline constexpr u32 kStackPages = 4;
inline constexpr u32 kStubPage = 0xBFFF8000;      // SYSENTER stubs, one per number, in every process
inline constexpr u32 kStubBytes = 16;
inline constexpr u32 kMaxSyscalls = 64;           // src/proc/syscall_entry.asm
inline constexpr u32 kMaxProcs = 8;               // slot 0 is the kernel's own thread
// pid -> process in one load (gh_pid_table[pid % kPidTableSize], src/proc/sched.cpp): spawn never
// hands out a pid whose entry a live process holds, so no lookup needs a scan.
inline constexpr u32 kPidTableSize = 256;  // the fast path indexes it with BL

// A user range [ptr, ptr + len) must end at or below the user limit, without wrapping, and stay
// clear of the small-space region: the kernel reads and writes there at ring 0, where the
// region's supervisor pages would not stop it, so a program could make it read a server's memory.
constexpr bool user_range_ok(u32 ptr, u32 len) {
    return len <= kUserLimit && ptr <= kUserLimit - len &&
           (ptr + len <= small::kRegionBase || ptr >= small::kRegionBase + small::kRegionBytes);
}
static_assert(!user_range_ok(small::kRegionBase - 4, 8) && !user_range_ok(small::kRegionBase + small::kRegionBytes - 1, 1));
static_assert(user_range_ok(small::kRegionBase - 4, 4) && user_range_ok(small::kRegionBase + small::kRegionBytes, 4));
static_assert(user_range_ok(0x00400000, 16) && user_range_ok(0xBFFFFFF0, 16) && user_range_ok(0, 0));
static_assert(!user_range_ok(0xBFFFFFF0, 17) && !user_range_ok(0xC0100000, 1) && !user_range_ok(0x10, 0xFFFFFFF0));

enum class State : u8 { Free, Ready, Running, Blocked, Zombie };
// Where a thread is in synchronous IPC (src/proc/ipc.cpp).
enum class Ipc : u8 { None, Receiving, Sending, AwaitingReply };

// The first fields are read and written by the IPC fast path (src/proc/ipc_fast.asm) at the
// offsets in src/proc/ipc_fast.inc (test/unit/test_ipc_fast_layout.cpp compares them with
// offsetof). state, ipc, ipc_regs and user are one aligned word, so the
// fast path tests or sets a thread's whole IPC condition with one compare or one store.
struct Process {
    u32 pid;
    State state;
    Ipc ipc;
    bool ipc_regs;             // its message is registers only: Receiving into registers (word in
                               // ipc_result, sender in ipc_sender) or AwaitingReply a register reply
    bool user;                 // slot 0, the kernel thread, has no user half
    u32 saved_esp;             // while switched out: a frame proc_switch or the fast path pops
    u32 ipc_peer;              // Sending / AwaitingReply: the server's pid
    u32 ipc_result;            // what its blocked system call returns when it resumes
    u32 ipc_sender;            // a register receive: who sent it (0 with an error)
    u32 cr3;                   // its page directory (0: a small server, which runs on any)
    u8 slot;                   // 0: its own address space; n: a small server in small-space slot n - 1
    bool ipc_queued;           // a sender may be queued on it (set on queueing, cleared by a
                               // reply_wait that found none): the fast path leaves it to C++
    u16 small_gdt;             // a small server: its code descriptor's GDT index (its data
                               // descriptor is the next, gdt::alloc_pair); 0 otherwise
    char name[32];
    AddressSpace as;
    u32 parent, wait_for;
    u32 exit_code;
    bool killed;
    u32 ipc_word;              // Sending: the message word
    u32 ipc_msg;               // the user address of this thread's IpcMsg
    u32 ipc_since;             // Sending: the tick it started waiting (kIpcSendTimeoutTicks)
    alignas(16) u8 kstack[8192];
};

Process& current();
// The scheduler's primitives for IPC, all with IF = 0: block the current thread and run `to`
// directly (no scheduler pass), block and let the scheduler pick, make a blocked thread ready.
void block_and_switch_to(Process& to);
void block_current();
void make_ready(Process& p);
void fail_ipc(Process& p);  // its IPC cannot go on: it wakes with -Fault (src/proc/ipc.cpp)
bool yield();
// The current thread is a program the kernel thread started itself (the shell): it may reboot,
// power off and restart, unload or load drivers.
bool console_process();  // run the other ready threads once; false when there were none
u32 process_slots();
Process& process_slot(u32 i);
u32 sys_ipc_call(u32 dest, u32 word, u32 msg);
u32 sys_ipc_reply_wait(u32 reply_to, u32 word, u32 msg);
// Register-only IPC (src/proc/ipc_regs.cpp; the fast path is src/proc/ipc_fast.asm): a word
// and no buffer, to a server in its own address space or in a small space. reply_wait_regs
// leaves the sender's pid (0 with an error) in current().ipc_sender.
u32 sys_ipc_call_regs(u32 dest, u32 word, u32);
u32 sys_ipc_reply_wait_regs(u32 reply_to, u32 word, u32);
// Deliver from's message (word, len bytes of its buffer) into the waiting receiver `to`: its
// IpcMsg, or its registers (then only len = 0 lands). False: it cannot land (ipc_copy.cpp).
bool ipc_deliver(const Process& from, u32 word, u32 len, Process& to);
void ipc_count_slow();  // ipc_counts() (process.hpp): one more IPC the C++ path served
void ipc_process_exited(Process& p);
// From the PIT tick: a send that no receiver took for kIpcSendTimeoutTicks fails with Timeout.
void ipc_tick();
// IPC bytes between two threads' memory (src/proc/ipc_copy.cpp): false when a side is out of its
// bounds, unmapped, or (the destination) not writable.
bool ipc_copy(const Process& from, u32 a, const Process& to, u32 b, u32 n);
bool ipc_put_word(const Process& p, u32 addr, u32 value);
// A thread's address within its bounds (the user limit, or a small server's slot), and the
// physical address behind it (write: only if mapped writable).
bool ipc_in_bounds(const Process& p, u32 a, u32 n);
Result<u32> ipc_phys(const Process& p, u32 a, bool write);
// A message buffer that a reply or message can be delivered into (aligned, mapped writable).
bool ipc_receivable(Process& p, u32 msg);
// `p` blocks outside IPC: the sends queued on it fail with NotFound, as a new one would.
void ipc_refuse_senders(Process& p);
inline constexpr u32 kIpcSendTimeoutTicks = 100;  // 1 s at 100 Hz
Process* find(u32 pid);
// The program's image is marked as a small server (small::kPtSmallSpace); its bytes.
bool program_is_small(Str name, const u8** bytes, u32* size);
// Load a program into a fresh address space; its entry point.
Result<u32> load_program(Str name, AddressSpace& as);
// Patch the system-call site at eip in the current process (false: not a site).
bool patch_syscall_site(u32 eip);
u32 do_syscall(u32 n, u32 a, u32 b, u32 c);
// A NUL-terminated user string into `out` (cap bytes with the NUL), through the checked copy.
Result<Str> user_string(u32 ptr, char* out, u32 cap);
u32 shell_syscall(u32 n, u32 a, u32 b, u32 c);  // numbers 30..47 (src/proc/sys_shell.cpp)
[[noreturn]] void exit_current(u32 code, bool killed);
Mech current_mechanism();
bool sysenter_ready();  // the SYSENTER MSRs are set (SEP usable), whatever the sites use
// The DPL-3 call gate for system call n (made on first use).
Result<u16> gate_for(u32 n);

}  // namespace proc
