// Small address spaces in the kernel (src/proc/small_layout.hpp has the layout): the region's
// page tables, the slots and their GDT descriptors, loading a small server, switching the GDT
// "domain" when one runs, and the system calls a small server may make.
#pragma once
#include "src/lib/result.hpp"
#include "src/lib/str.hpp"
#include "src/proc/small_layout.hpp"

namespace proc {
struct Process;
}

namespace small {
// At boot, before any process: one page table per slot, entered in the kernel's directory
// (every process directory copies these PDEs, src/proc/address_space.cpp).
void init();
// Load program `name` (its image says it is a small server) into a free slot for `p`:
// descriptors, pages, stack. Its entry offset. Busy: no free slot; Invalid: it does not fit.
Result<u32> load(proc::Process& p, Str name, const u8* bytes, u32 size);
// The kernel stack a new small process starts on: small_first_entry IRETs to ring 2.
u32* first_frame(const proc::Process& p, u32* sp, u32 entry, u32 argument);
// The process ended: its pages, descriptors and slot are freed.
void release(proc::Process& p);
// Called on every thread switch (from: the slot + 1 of the thread switched away from, to: of the
// one that runs next; 0: its own address space): the descriptors of the next thread's slot
// present and the flat user segments hidden while a small server runs; the reverse otherwise.
// SYSENTER is closed while a small server runs: its bound (gh_sysenter_limit) is 0, so the entry
// (src/proc/syscall_entry.asm) sends every SYSENTER to proc_sysenter_refused, which kills the
// server — a SYSEXIT would give it flat ring-3 CS/SS and with them every user page of the client.
void switch_domain(u32 from, u32 to);
bool sysenter_closed();  // a small server runs: SYSENTER is refused
bool is_server_cs(u32 cs);  // a small server's code selector (any RPL)
// Offset -> physical through the slot's page table (write: the page must be writable; patch:
// only the server's own image pages).
Result<u32> translate(const proc::Process& p, u32 offset, bool write, bool patch = false);
u32 linear(const proc::Process& p, u32 offset);
u32 translate_table(const proc::Process& p);  // the physical page table of p's slot
u32 slot_of(const proc::Process& p);  // its slot index (p.slot - 1)
// IPC into a small space (src/proc/small_ipc.cpp), with IF = 0: a client's call to small
// server `dest`, and a small server's reply-and-wait.
bool is_server(u32 pid);
u32 ipc_call(u32 dest, u32 word, u32 msg);
u32 ipc_reply_wait(u32 reply_to, u32 word, u32 msg);
// System call n from a small server (src/proc/small_syscalls.cpp).
u32 syscall(u32 n, u32 a, u32 b, u32 c);
// small_info(pid, what) for any caller: 0 its slot, 1 its code selector, 2 its data selector.
u32 info(u32 pid, u32 what);
void print();  // the slots, for `syscalls`
// break=small: load smallecho and let it block waiting for a message (its pid; 0: none), for the
// GDT oracle's point with a small server's descriptors in the GDT; and end it after the breakpoint.
u32 oracle_start();
void oracle_stop(u32 pid);
}  // namespace small
