// Calls that would end or block the fuzzer, made by child processes (this same program, started
// with a child mode in its argument), and real programs started deliberately and always waited
// for. The parent checks how each child ended: exit code, or killed (wait answers -Fault).
#include "user/fuzz/fuzz.hpp"
#include "user/fuzz/layout.hpp"
#include "user/fuzz/selectors.hpp"
#include "user/lib/io.hpp"

extern "C" [[noreturn]] void gh_exit(u32 code);

namespace fuzz {

namespace {
enum Mode : u32 { kFlags = 1, kBadSeg = 2, kExit = 3, kBlock = 4, kServer = 5, kBadGate = 6 };
constexpr u32 kFault = 0u - 6;  // -Fault: what wait answers for a killed child
constexpr u32 kBusy = 0u - 5;

u32 child_arg(Mode m, u32 seed) { return kChildTag | (u32(m) << 24) | (seed & 0xFFFFFF); }

void remember_dead(u32 pid) {
    static u32 next;
    g.dead_pids[next++ % 4] = pid;
}

u32 spawn_checked(const char* name, u32 arg, const Call& c) {
    u32 pid = sys_spawn(name, arg);
    if (is_err(pid)) {
        g.spawn_failed++;
        // At most kernel, shell, us, echosrv, the server child and this one: 6 of 8 slots.
        if (pid == kBusy) wrong(c, pid, "spawn found the process table full with 6 processes at most");
        return 0;
    }
    g.children++;
    return pid;
}

void ended(const Call& c, u32 pid, u32 code, bool may_kill, bool must_kill, u32 want, bool check_code) {
    remember_dead(pid);
    if (code == kFault) {
        g.kills++;
        if (!may_kill) wrong(c, code, "a child that should have ended normally was killed", pid);
        return;
    }
    if (must_kill) wrong(c, code, "a child that must be killed ended normally", pid);
    else if (check_code && code != want) wrong(c, code, "a child ended with the wrong exit code", want);
}
}  // namespace

void child_action(Rng& r, u32 index) {
    Call c{index, 6, 0, 0, 0, kWaySite, 0, 0x23, 0x23, 0, 0};  // for reports: "spawn"
    u32 seed = r.next();
    u32 kind = r.below(6);
    if (g.opt.trace) printf("fuzz: call %u: child action %u, seed %u\n", index, kind, seed & 0xFFFFFF);
    switch (kind) {
    case 0: {
        u32 pid = spawn_checked("fuzz", child_arg(kFlags, seed), c);
        if (pid) ended(c, pid, sys_wait(pid), true, false, 0, true);  // TF traps at CPL 3: killed is fine
        break;
    }
    case 1: {
        if (!g.n_unloadable && !g.n_not_gates) break;
        Mode m = r.one_in(2) && g.n_unloadable ? kBadSeg : kBadGate;
        u32 pid = spawn_checked("fuzz", child_arg(m, seed), c);
        if (pid) ended(c, pid, sys_wait(pid), true, true, 0, false);
        break;
    }
    case 2: {
        u32 pid = spawn_checked("fuzz", child_arg(kExit, seed), c);
        u32 want = mix32(seed & 0xFFFFFF);
        bool by_kill = (seed & 0xFFFFFF) % 4 == 0;
        if (pid) ended(c, pid, sys_wait(pid), by_kill, by_kill, want, true);
        break;
    }
    case 3: {  // a child that blocks for ever; we stop it
        u32 pid = spawn_checked("fuzz", child_arg(kBlock, seed), c);
        if (!pid) break;
        for (u32 i = 0; i < 3; i++) {
            u32 w = sys_wait_poll(pid);
            if (w != kBusy) {
                wrong(c, w, "wait_poll of a blocked child did not answer Busy", pid);
                break;
            }
            (void)sys_ticks();
        }
        u32 k = sys_kill(pid);
        if (k != 0) wrong(c, k, "kill of our own blocked child failed", pid);
        ended(c, pid, sys_wait(pid), true, true, 0, false);
        break;
    }
    default: {  // a real program, with what it must end with
        struct Prog {
            const char* name;
            u32 arg, want;
            bool killed, check;
        };
        static const Prog kProgs[] = {
            {"hello", 0, 42, false, true},   {"spinner", 1, 0, false, false}, {"faulter", 1, 0, true, false},
            {"faulter", 3, 0, true, false},  {"faulter", 5, 0, true, false},  {"faulter", 7, 0, true, false},
            {"faulter", 8, 0, true, false},  {"ipctest", 0, 42, false, true}, {"disktest", 0, 42, false, true},
            {"faulter", 9, 77, false, true},
        };
        const Prog& p = r.pick(kProgs);
        if (g.opt.trace) printf("fuzz: call %u: runs %s %u\n", index, p.name, p.arg);
        u32 pid = spawn_checked(p.name, p.arg, c);
        if (pid) ended(c, pid, sys_wait(pid), p.killed, p.killed, p.want, p.check);
        break;
    }
    }
}

void start_server_child() {
    Call c{0, 6, 0, 0, 0, kWaySite, 0, 0x23, 0x23, 0, 0};
    g.echo_pid = spawn_checked("echosrv", 0, c);
    g.regs_pid = spawn_checked("echosrv", 1, c);
    if (!(g.opt.avoid & kAvoidChildren)) g.server_pid = spawn_checked("fuzz", child_arg(kServer, g.opt.seed), c);
}

void stop_long_lived() {
    Call c{g.opt.calls, 14, 0, 0, 0, kWaySite, 0, 0x23, 0x23, 0, 0};
    static IpcMsg msg;
    u32 servers[] = {g.echo_pid, g.server_pid, g.regs_pid};
    for (u32 pid : servers) {
        if (!pid) continue;
        // They exit on this word (our call then errors). The server child may be between two
        // reply_waits with a bad buffer of its own when it comes: the send then times out
        // (1 s) and is sent again; a child still alive after that many tries is reported.
        u32 code = 0xFFFFFFFB;  // -Busy: still running
        for (u32 tries = 0; tries < 20 && code == 0xFFFFFFFB; tries++) {
            msg.len = 0;
            (void)sys_ipc_call(pid, 0xDEAD, &msg);
            code = sys_wait_poll(pid);
        }
        if (code == 0xFFFFFFFB) {
            wrong(c, pid, "a server child did not take 0xDEAD in 20 tries", 20);
            (void)sys_kill(pid);
            code = sys_wait(pid);
            g.kills--;  // our own kill, counted as a kill in ended(); not the kernel's
        }
        ended(c, pid, code, false, false, 0, true);
    }
    g.echo_pid = g.server_pid = g.regs_pid = 0;
}

namespace {
// Child side. Each returns the exit code (0: everything it checked held).
u32 child_flags(Rng& r) {
    static const u32 kSafe[] = {3, 4, 8, 13, 2, 999, 17};
    for (u32 i = 0; i < 48; i++) {
        Call c{i, r.pick(kSafe), 0, 0, 0, kWaySite, 0, 0x23, 0x23, 0, 0};
        if (c.n == 13) c.a = 4;
        if (c.n == 17) c.a = r.below(4), c.b = u32(uptr(g_layout.scratch));
        c.way = choose_way(r, c.n);
        c.flags = choose_flags(r, !(g.opt.avoid & kAvoidTF) && r.one_in(3));
        // TF set before a near call traps at CPL 3 after that call, before the kernel: send it
        // through an instruction that enters ring 0 at once, where the kernel must cope with it.
        if ((c.flags & kTF) && (c.way == kWaySite || c.way == kWayStub))
            c.way = g.sep_usable == 1 && !(g.opt.avoid & kAvoidSysenter) ? kWaySysenter
                    : c.n < 64 && g.gates[c.n] && !(g.opt.avoid & kAvoidGate) ? kWayGate : kWayInt;
        choose_segments(r, c);
        Entry e;
        u32 res = run_call(c, e);
        if (c.n == 3 && res != g.pid) wrong(c, res, "getpid changed");
    }
    return g.wrong;
}

u32 child_badseg(Rng& r) {
    u16 sel = g.unloadable[r.below(g.n_unloadable)];
    u32 reg = r.below(4);
    printf("fuzz: child %u loads selector %04x into %s (must be killed)\n", g.pid, sel, reg == 0 ? "ds" : reg == 1 ? "es" : reg == 2 ? "fs" : "gs");
    switch (reg) {
    case 0: asm volatile("mov %0, %%ds; mov %1, %%ds" ::"r"(u32(sel)), "r"(0x23u)); break;
    case 1: asm volatile("mov %0, %%es; mov %1, %%es" ::"r"(u32(sel)), "r"(0x23u)); break;
    case 2: asm volatile("mov %0, %%fs; mov %1, %%fs" ::"r"(u32(sel)), "r"(0u)); break;
    default: asm volatile("mov %0, %%gs; mov %1, %%gs" ::"r"(u32(sel)), "r"(0u)); break;
    }
    printf("fuzz: WRONG selector %04x loaded at CPL 3\n", sel);
    return 3;
}

u32 child_badgate(Rng& r) {
    Entry e{};
    e.eax = 3;
    e.eflags = kReserved1 | kIF;
    e.ds = e.es = 0x23;
    if (g.sep_usable != 1 && r.one_in(3)) {  // SYSENTER where the CPU has no usable SEP: #UD (or #GP)
        printf("fuzz: child %u executes SYSENTER on a CPU without usable SEP (must be killed)\n", g.pid);
        e.how = kSysenter;
    } else {
        e.how = kFar;
        e.target = r.next();
        e.target_sel = g.not_gates[r.below(g.n_not_gates)];
        printf("fuzz: child %u far calls %04x:%08x, no DPL-3 call gate (must be killed)\n", g.pid, e.target_sel, e.target);
    }
    fuzz_enter(&e);
    printf("fuzz: WRONG the far call / SYSENTER came back (result %08x)\n", e.eax);
    return 4;
}

u32 child_exit(u32 seed) {
    Rng r{mix32(seed)};
    Call c{0, 1, mix32(seed), 0, 0, kWaySite, 0, 0x23, 0x23, 0, 0};
    if (seed % 4 == 0) c.n = 19, c.a = g.pid;  // kill ourselves
    c.way = choose_way(r, c.n);
    c.flags = choose_flags(r, false);
    choose_segments(r, c);
    Entry e;
    (void)run_call(c, e);
    printf("fuzz: WRONG exit/kill of ourselves came back\n");
    return 5;
}

u32 child_block(Rng& r) {
    if (!(g.opt.avoid & kAvoidIpcPeer) && r.one_in(2)) {
        static IpcMsg msg;
        msg.len = 0;
        (void)sys_ipc_call(g.parent_guess, 1, &msg);  // the shell, blocked in wait: it never receives
    }
    Call c{0, 9, 0, 0, 0, kWaySite, 0, 0x23, 0x23, 0, 0};
    c.way = choose_way(r, c.n);
    c.flags = choose_flags(r, false);
    choose_segments(r, c);
    Entry e;
    (void)run_call(c, e);  // read_char: no key ever comes; our parent kills us
    for (;;) (void)sys_read_char();
}

// Reply-and-wait with fuzzed arguments until our parent sends 0xDEAD. A client we took a message
// from is always answered next (a server that never replies blocks its client for good: that is
// the client's risk in synchronous IPC, not a kernel defect); other reply targets are fuzzed.
u32 child_server(u32 seed) {
    u32 pending = 0;
    for (u32 i = 0;; i++) {
        Rng r = rng_for(seed ^ 0x5E5E5E5E, i);
        Call c{i, 15, 0, r.next(), 0, kWaySite, 0, 0x23, 0x23, 0, 0};
        switch (r.below(4)) {
        case 0: c.a = 0; break;
        case 1: c.a = g.pid - 1; break;
        case 2: c.a = g.pid; break;
        default: c.a = r.next(); break;
        }
        if (pending) c.a = pending;
        if (c.b == 0xDEAD) c.b = 0;
        u8* m = g_layout.scratch + 64;
        bool good = !r.one_in(8);
        if (!good) {
            c.c = gen_pointer(r, true);
        } else {
            *reinterpret_cast<u32*>(m + 8) = r.one_in(4) ? 0 : r.below(4097);
            c.c = u32(uptr(m));
        }
        c.way = choose_way(r, c.n);
        c.flags = choose_flags(r, false);
        choose_segments(r, c);
        Entry e;
        u32 w = run_call(c, e);
        if (c.c == u32(uptr(m))) pending = 0;  // a good message: the reply went out
        if (!is_err(w)) {  // a message came, into whatever buffer we named: its client waits for us
            if (w == 0xDEAD) return g.wrong;  // only our parent sends it, at its end
            pending = *reinterpret_cast<u32*>(uptr(c.c));
        }
    }
}
}  // namespace

[[noreturn]] void child_main(u32 arg) {
    Mode m = Mode((arg >> 24) & 0xF);
    u32 seed = arg & 0xFFFFFF;
    probe_world();
    parse_options(seed);
    Rng r{mix32(seed) ^ u32(m)};
    u32 code = 1;
    switch (m) {
    case kFlags: code = child_flags(r); break;
    case kBadSeg: code = g.n_unloadable ? child_badseg(r) : 0; break;
    case kBadGate: code = g.n_not_gates ? child_badgate(r) : 0; break;
    case kExit: code = child_exit(seed); break;
    case kBlock: code = child_block(r); break;
    case kServer: code = child_server(seed); break;
    default: break;
    }
    gh_exit(code);
}
}  // namespace fuzz
