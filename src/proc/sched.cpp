// Processes: one thread each, preemptive round-robin on the PIT tick, spawn / exit / wait.
// Slot 0 is the kernel's own thread (the boot stack): it runs the self-test and waits for the
// processes it spawns. A thread is switched out only from ring 3 (the tick) or when it blocks,
// never in the middle of kernel code, so the kernel needs no locks beyond IF = 0.
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "drivers/lib/abi.hpp"
#include "src/console.hpp"
#include "src/panic.hpp"
#include "src/mm/paging.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/proc/small_space.hpp"

extern "C" void proc_switch(u32* save_esp, u32 new_esp);
extern "C" char proc_first_entry[];

extern "C" u32 gh_current_pid;
u32 gh_current_pid = 0;
extern "C" u32 gh_context_switches;
u32 gh_context_switches = 0;  // switch_to's

// The running thread, and pid -> process (entry pid % kPidTableSize; never null: a free entry
// names the kernel thread, pid 0, which no lookup of another pid matches). Read by the IPC fast
// path, which switches threads itself and keeps gh_current_proc like switch_to does.
extern "C" proc::Process* gh_current_proc;
extern "C" proc::Process* gh_pid_table[proc::kPidTableSize];
namespace proc {
namespace {
Process g_procs[kMaxProcs];
}
}  // namespace proc
proc::Process* gh_current_proc = &proc::g_procs[0];
proc::Process* gh_pid_table[proc::kPidTableSize];

namespace proc {
namespace {
u32 g_next_pid = 1;
bool g_ready = false;

constexpr u32 kNoParent = 0xFFFFFFFF;  // an orphan: freed, not kept as a zombie, when it ends

u32 kstack_top(Process& p) { return u32(uptr(p.kstack + sizeof p.kstack)); }

void init_once() {
    if (g_ready) return;
    g_ready = true;
    Process& k = g_procs[0];
    k.pid = 0;
    const char name[] = "kernel";
    for (u32 i = 0; i < sizeof name; i++) k.name[i] = name[i];
    k.state = State::Running;
    k.user = false;
    gh_current_proc = &k;
    for (Process*& e : gh_pid_table) e = &k;
}

u32 index_of(const Process& p) { return u32(&p - g_procs); }

void switch_to(u32 next) {
    Process& from = *gh_current_proc;
    Process& to = g_procs[next];
    if (from.state == State::Running) from.state = State::Ready;
    to.state = State::Running;
    gh_current_proc = &to;
    // The #DF task's IRET back loads CR3 from the main TSS (the CPU never stores it there): it
    // must name the directory of whoever runs, or a contained driver stack overflow would return
    // into the wrong address space.
    // A small server runs on whatever directory is loaded (the region is in all of them): no CR3
    // load to it, and none back to the client it serves — only the segment domain changes.
    u32 loaded = x86::cr3();
    u32 cr3 = !to.user ? paging::kernel_directory_phys() : to.slot ? loaded : to.cr3;
    // The stack of its next entry from ring 3 or 2 (SYSENTER takes it from here too,
    // src/proc/syscall_entry.asm: no MSR write per switch).
    // A kernel thread never enters from ring 3 or 2: 0, so that code a ring-0 driver sends there
    // inside its call faults into a #DF (a task switch to its own stack, contained) instead of
    // landing on a stack that is live (src/drv/contain.cpp, escaped). Ring-1 stubs set their own.
    tss::main_tss.esp0 = to.user ? kstack_top(to) : 0;
    small::switch_domain(from.slot, to.slot);
    tss::main_tss.cr3 = cr3;
    if (cr3 != loaded) x86::set_cr3(cr3);
    gh_current_pid = to.pid;  // for the system-call fast paths (src/proc/syscall_entry.asm)
    gh_context_switches++;
    // The driver-call records are one array for every thread (src/drv/gate_layout.hpp). A thread
    // is switched only with no call in flight, from its outermost trap or system call, so all
    // that can sit below the record top is the step-over record of that trap, guarding nothing
    // (what it interrupted was ring 3 or a system call's way out, never a stub half-way): the next
    // thread starts from an empty array, and each trap exit puts back what its own entry saw.
    gh_calls.top = 0;
    for (u32& g : gh_call_guards) g = 0;
    proc_switch(&from.saved_esp, to.saved_esp);
}

// Run the next ready thread after the current one; with none ready, the current one goes on if
// it can, else the CPU idles until an interrupt makes one ready. IF = 0 on entry and exit.
void schedule() {
    for (;;) {
        u32 cur = index_of(*gh_current_proc);
        for (u32 i = 1; i <= kMaxProcs; i++) {
            u32 n = (cur + i) % kMaxProcs;
            if (g_procs[n].state == State::Ready) {
                if (n != cur) switch_to(n);
                else g_procs[n].state = State::Running;
                return;
            }
        }
        if (gh_current_proc->state == State::Running) return;
        x86::sti_hlt();
        x86::cli();
    }
}
}  // namespace

Process& current() { return *gh_current_proc; }
u32 process_slots() { return kMaxProcs; }
Process& process_slot(u32 i) { return g_procs[i]; }

void block_and_switch_to(Process& to) {
    current().state = State::Blocked;
    switch_to(u32(&to - g_procs));
}

void block_current() {
    current().state = State::Blocked;
    schedule();
}

void make_ready(Process& p) {
    if (p.state == State::Blocked) p.state = State::Ready;
}

Process* find(u32 pid) {
    init_once();
    Process* p = gh_pid_table[pid % kPidTableSize];
    return p->state != State::Free && p->pid == pid ? p : nullptr;
}

Result<u32> spawn(Str name, u32 argument) {
    init_once();
    u32 slot = 1;
    while (slot < kMaxProcs && g_procs[slot].state != State::Free) slot++;
    if (slot == kMaxProcs) return Err::Busy;
    Process& p = g_procs[slot];
    AddressSpace as;
    p.slot = 0;
    p.small_gdt = 0;
    const u8* bytes = nullptr;
    u32 size = 0;
    Result<u32> entry = Err::NotFound;
    if (program_is_small(name, &bytes, &size)) {
        entry = small::load(p, name, bytes, size);  // into a small-space slot: no directory of its own
        if (!entry.ok()) return entry.error();
    } else {
        TRY(as.create());
        entry = load_program(name, as);
        if (!entry.ok()) {
            as.destroy();
            return entry.error();
        }
    }
    // The next pid whose table entry no live process holds (at most kMaxProcs are taken).
    while (gh_pid_table[g_next_pid % kPidTableSize]->state != State::Free &&
           gh_pid_table[g_next_pid % kPidTableSize]->pid % kPidTableSize == g_next_pid % kPidTableSize)
        g_next_pid++;
    p.pid = g_next_pid++;
    gh_pid_table[p.pid % kPidTableSize] = &p;
    p.cr3 = p.slot ? 0 : as.directory();
    u32 n = name.n < 31 ? u32(name.n) : 31;
    for (u32 i = 0; i < n; i++) p.name[i] = name.p[i];
    p.name[n] = '\0';
    p.user = true;
    p.as = as;
    p.parent = current().pid;
    p.wait_for = 0;
    p.exit_code = 0;
    p.killed = false;
    p.ipc = Ipc::None;
    p.ipc_regs = false;
    p.ipc_queued = false;
    p.ipc_sender = 0;
    // The first switch to it "returns" into proc_first_entry, which IRETs to the program.
    u32* sp = reinterpret_cast<u32*>(p.kstack + sizeof p.kstack);
    if (p.slot) {
        sp = small::first_frame(p, sp, entry.value(), argument);
    } else {
        *--sp = argument;
        *--sp = kStackTop;
        *--sp = entry.value();
        *--sp = u32(uptr(proc_first_entry));
    }
    p.saved_esp = u32(uptr(sp));
    p.state = State::Ready;
    return p.pid;
}

Result<RunResult> wait(u32 pid, bool block) {
    Process* child = find(pid);
    if (!child || child->parent != current().pid || child == &current()) return Err::NotFound;
    u32 flags = x86::eflags();
    x86::cli();
    while (child->state != State::Zombie) {
        if (!block) {
            x86::set_eflags(flags);
            return Err::Busy;  // still running
        }
        current().state = State::Blocked;
        current().wait_for = pid;
        ipc_refuse_senders(current());  // blocked outside IPC: nobody queued on us will be received
        schedule();
    }
    RunResult r{child->killed, child->exit_code};
    child->state = State::Free;
    x86::set_eflags(flags);
    return r;
}

Result<RunResult> run(Str name, u32 argument) {
    u32 pid = TRY(spawn(name, argument));
    return wait(pid, true);
}

namespace {
bool is_descendant(const Process& p, u32 ancestor) {
    for (u32 pid = p.parent, hops = 0; hops < kMaxProcs; hops++) {
        if (pid == ancestor) return true;
        const Process* up = find(pid);
        if (!up || up->pid == 0) return false;
        pid = up->parent;
    }
    return false;
}

// A thread has ended (exit, fault, kill): free its address space, fail the IPC partners waiting
// on it, and wake its parent. Its zombie children are freed (nobody can wait for them now) and
// its live ones become orphans, freed as they end; a process whose parent is gone is freed at
// once instead of becoming a zombie. IF = 0; `p` is not running on its address space any more.
void finish(Process& p, u32 code, bool killed) {
    p.exit_code = code;
    p.killed = killed;
    p.as.destroy();
    small::release(p);
    ipc_process_exited(p);
    for (Process& c : g_procs) {
        if (&c == &p || c.state == State::Free || c.parent != p.pid) continue;
        if (c.state == State::Zombie) c.state = State::Free;
        else c.parent = kNoParent;
    }
    Process* parent = p.parent == kNoParent ? nullptr : find(p.parent);
    if (!parent || parent->state == State::Zombie) {
        p.state = State::Free;
        return;
    }
    p.state = State::Zombie;
    if (parent->state == State::Blocked && parent->wait_for == p.pid) parent->state = State::Ready;
}
}  // namespace

[[noreturn]] void exit_current(u32 code, bool killed) {
    x86::cli();
    // Off this address space before freeing it; the kernel half is the same everywhere.
    tss::main_tss.cr3 = paging::kernel_directory_phys();
    x86::set_cr3(paging::kernel_directory_phys());
    finish(current(), code, killed);
    schedule();
    for (;;) x86::hlt();  // a zombie is never scheduled again
}

// A process's ancestors, the kernel thread and the console (the shell) may kill it — the console
// any program but another console process, orphans included (their parent is gone, so no ancestor
// is left to stop them, and they would hold their slots for the rest of the boot). A thread that is not running
// was switched out in ring 3 or while blocked between driver calls (never inside one: it holds
// no call record), so its kernel stack can simply be dropped.
Result<void> kill(u32 pid) {
    Process* p = find(pid);
    if (!p || !p->user || p->state == State::Zombie) return Err::NotFound;
    bool console_may = console_process() && !(p->user && p->parent == 0);
    if (current().pid != 0 && p != &current() && !is_descendant(*p, current().pid) && !console_may) return Err::Denied;
    u32 flags = x86::eflags();
    x86::cli();
    if (p == &current()) exit_current(drvabi::error_result(u32(Err::Fault)), true);
    finish(*p, drvabi::error_result(u32(Err::Fault)), true);
    x86::set_eflags(flags);
    return {};
}

// Let every other ready thread run once (from a system call that polls): false when none was ready.
bool yield() {
    u32 flags = x86::eflags();
    x86::cli();
    u32 before = gh_context_switches;
    current().state = State::Ready;
    schedule();
    x86::set_eflags(flags);
    return gh_context_switches != before;
}

// The tick preempts a program at once when it interrupted ring 3. When it interrupted the
// program's system call (interrupts are on in system calls), the switch waits for that call's
// way out (syscall_exit): a program that spends most of its time in system calls is preempted as
// surely as one that never makes any — preemption does not depend on where the tick lands.
namespace {
bool g_need_resched = false;
}  // namespace

void tick(bool from_ring3) {
    if (!g_ready || !current().user) return;
    if (!from_ring3) {
        g_need_resched = true;
        return;
    }
    g_need_resched = false;
    schedule();  // from the tick, IF = 0: the next ready thread gets the CPU
}

void syscall_exit() {
    if (!g_need_resched || !current().user) return;
    u32 flags = x86::eflags();
    x86::cli();
    g_need_resched = false;
    current().state = State::Ready;
    schedule();
    x86::set_eflags(flags);
}

extern "C" u32 gh_ipc_fast_count;  // each fast-path IPC is one switch (src/proc/ipc_fast.asm)
u32 context_switches() { return gh_context_switches + gh_ipc_fast_count; }
bool in_user_syscall() { return g_ready && current().user; }
bool console_process() { return current().user && current().parent == 0; }

void print_processes() {
    static const char* const kStates[] = {"free", "ready", "running", "blocked", "zombie"};
    for (const Process& p : g_procs)
        if (p.state != State::Free || &p == &g_procs[0])
            kprintf("proc: pid %u %s %s parent %u\n", p.pid, p.name, kStates[u32(p.state)], p.parent);
}

}  // namespace proc
