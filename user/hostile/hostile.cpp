// hostile: a program that attacks the kernel's entries the way issue 9 found them broken. Each
// kind (the argument's low byte) tries one hostile state on every way into the kernel this CPU has
// (the patched site, INT 0x80, the DPL-3 call gate, a SYSENTER of its own) and exits 42 when the
// kernel held: right results, clean flags inside the kernel, nothing written where it must not be.
// Any other exit code names the check that failed (see each kind). The self-test runs every kind.
#include "user/lib/io.hpp"

namespace {
constexpr u32 kTF = 1u << 8, kIF = 1u << 9, kDF = 1u << 10, kNT = 1u << 14, kAC = 1u << 18;
constexpr u32 kStubPage = 0xBFFF8000;
constexpr u32 kSiteBlock = 126, kSiteOffset = 256;  // tools/mkdisk.sh puts a system-call site there
bool is_err(u32 r) { return r >= 0xFFFFFF00u; }
u32 err_code(u32 r) { return 0u - r; }
enum : u32 { kErrNotFound = 4, kErrDenied = 8 };

enum Way : u32 { kPatched, kInt, kGate, kSysenter, kWays };
const char* const kWayNames[] = {"patched site", "int 0x80", "call gate", "sysenter"};

struct [[gnu::packed]] FarPtr {
    u32 offset;
    u16 selector;
};
FarPtr g_gate[64];  // per system-call number, from the kernel (bench_info 5)

bool have(Way w) {
    if (w == kSysenter) return sys_bench_info(sys::kInfoSepUsable) == 1;
    return true;
}

// System call n with arguments a, b, c through way w, with `set` OR-ed into EFLAGS for exactly
// the entry instruction (the program's own flags come back right after it).
u32 enter(Way w, u32 n, u32 a, u32 b, u32 c, u32 set) {
    u32 r, dx;
    switch (w) {
    case kPatched:  // the site's number must be a constant: one site per call this program makes
#define HOSTILE_SITE(number)                                                                              \
    asm volatile("pushfl; pushl (%%esp); orl %%ecx, (%%esp); popfl; .byte 0x9a; .long " #number "; .word 3; popfl" \
                 : "=a"(r), "+b"(a), "+S"(b), "+D"(c), "+c"(set), "=d"(dx) : "a"(0) : "memory", "cc");      \
    return r
        switch (n) {
        case sys::kGetpid: HOSTILE_SITE(3);
        case sys::kDriverCall: HOSTILE_SITE(5);
        case sys::kWait: HOSTILE_SITE(7);
        case sys::kDiskRead: HOSTILE_SITE(17);
        case sys::kIpcCallRegs: HOSTILE_SITE(23);
        }
#undef HOSTILE_SITE
        static_assert(sys::kGetpid == 3 && sys::kDriverCall == 5 && sys::kWait == 7 && sys::kDiskRead == 17 &&
                      sys::kIpcCallRegs == 23);
        return 0xFFFFFFFF;
    case kInt:
        asm volatile("pushfl; pushl (%%esp); orl %%ecx, (%%esp); popfl; int $0x80; popfl"
                     : "=a"(r), "+b"(a), "+S"(b), "+D"(c), "+c"(set), "=d"(dx) : "a"(n) : "memory", "cc");
        return r;
    case kGate:
        if (!g_gate[n].selector) {
            u32 g = sys_bench_info(5, n);
            if (is_err(g)) return g;
            g_gate[n] = {0, u16(g | 3)};
        }
        asm volatile("pushfl; pushl (%%esp); orl %%ecx, (%%esp); popfl; lcall *%7; popfl"
                     : "=a"(r), "+b"(a), "+S"(b), "+D"(c), "+c"(set), "=d"(dx) : "a"(0), "m"(g_gate[n]) : "memory", "cc");
        return r;
    case kSysenter:  // the kernel returns to EDX with ESP = ECX (SYSEXIT)
        asm volatile("pushfl; pushl (%%esp); orl %%ecx, (%%esp); leal 4(%%esp), %%ecx; movl $1f, %%edx; popfl; sysenter; 1: popfl"
                     : "=a"(r), "+b"(a), "+S"(b), "+D"(c), "+c"(set), "=d"(dx) : "a"(n) : "memory", "cc");
        return r;
    case kWays: break;
    }
    return 0xFFFFFFFF;
}

u32 checksum(const u8* p, u32 n) {
    u32 s = 0;
    for (u32 i = 0; i < n; i++) s = s * 31 + p[i];
    return s;
}

// 1: every hostile flag at every entry: the driver sees DF, TF, NT, AC clear and IF set.
int flags_inside() {
    const u32 bits[] = {kTF, kNT, kDF, kAC, kTF | kNT | kDF | kAC};
    u32 pid = sys_getpid();
    for (u32 w = 0; w < kWays; w++) {
        if (!have(Way(w))) continue;
        for (u32 b = 0; b < 5; b++) {
            if (enter(Way(w), sys::kGetpid, 0, 0, 0, bits[b]) != pid) return int(10 + w * 10 + b);
            u32 f = enter(Way(w), sys::kDriverCall, u32("null.flags"), 0, 0, bits[b]);
            if (is_err(f) || (f & (kTF | kNT | kDF | kAC)) || !(f & kIF)) {
                printf("hostile: %s with flags %x: the driver ran with EFLAGS %x\n", kWayNames[w], bits[b], f);
                return int(15 + w * 10 + b);
            }
        }
    }
    return 42;
}

// 2: NT set at a call that switches threads (wait for a child that runs first).
int nt_across_switch() {
    for (u32 w = 0; w < kWays; w++) {
        if (!have(Way(w))) continue;
        u32 pid = sys_spawn("hello", 0);
        if (is_err(pid)) return 10;
        if (enter(Way(w), sys::kWait, pid, 0, 0, kNT) != 42) return int(11 + w);
    }
    return 42;
}

// 3: DF set at disk_read: the driver's copy still runs forwards, and the driver stays right.
u8 g_block[512];
int df_disk_read() {
    u32 bytes = sys_map_disk();
    if (is_err(bytes)) return 10;
    const u8* disk = reinterpret_cast<const u8*>(sys::kDiskMapAt);
    for (u32 w = 0; w < kWays; w++) {
        if (!have(Way(w))) continue;
        for (u32 round = 0; round < 2; round++) {
            for (u32 i = 0; i < 512; i++) g_block[i] = 0;
            if (enter(Way(w), sys::kDiskRead, 3, u32(g_block), 0, round == 0 ? kDF : 0) != 0) return int(11 + w * 10 + round);
            for (u32 i = 0; i < 512; i++)
                if (g_block[i] != disk[3 * 512 + i]) return int(13 + w * 10 + round);
        }
    }
    return 42;
}

// 4: system calls pointed at read-only pages write nothing there and fail.
IpcMsg g_msg;
int readonly_targets() {
    u32 bytes = sys_map_disk();
    if (is_err(bytes)) return 10;
    const u8* disk = reinterpret_cast<const u8*>(sys::kDiskMapAt);
    const u8* stubs = reinterpret_cast<const u8*>(kStubPage);
    u32 disk_sum = checksum(disk, 8192), stub_sum = checksum(stubs, 4096);
    if (!is_err(sys_disk_read(0, reinterpret_cast<void*>(sys::kDiskMapAt + 512)))) return 11;
    if (!is_err(sys_autorun(reinterpret_cast<char*>(kStubPage), 64))) return 12;
    // An IPC reply delivered into a message that lies in the read-only disk mapping (its len field
    // at +8 reads 0 there: block 0's padding bytes).
    u32 echo = sys_spawn("echosrv", 0);
    if (is_err(echo)) return 13;
    IpcMsg* ro = reinterpret_cast<IpcMsg*>(sys::kDiskMapAt + 32);
    if (!is_err(sys_ipc_call(echo, 7, ro))) return 14;
    g_msg.len = 0;
    sys_ipc_call(echo, 0xDEAD, &g_msg);
    sys_wait(echo);
    if (checksum(disk, 8192) != disk_sum) return 15;
    if (checksum(stubs, 4096) != stub_sum) return 16;
    return 42;
}

// 5: a driver that loops forever in a call from a system call: the watchdog ends it whatever the
// mechanism (interrupts are on in system calls), and the call returns an error.
int driver_loop() {
    for (u32 w = 0; w < kWays; w++) {
        if (!have(Way(w))) continue;
        u32 r = enter(Way(w), sys::kDriverCall, u32("faulty.demo"), 10, 0, 0);
        if (!is_err(r)) return int(11 + w);
    }
    return 42;
}

// 6: IPC to a process that will never receive: our parent, blocked in wait. Fails at once.
int ipc_to_waiting_parent(u32 arg) {
    if (arg >> 8) {  // the child: arg >> 8 is the parent's pid
        g_msg.len = 0;
        u32 r = sys_ipc_call(arg >> 8, 1, &g_msg);
        return is_err(r) && err_code(r) == kErrNotFound ? 42 : 11;
    }
    u32 child = sys_spawn("hostile", 6 | (sys_getpid() << 8));
    if (is_err(child)) return 10;
    return int(sys_wait(child));
}

// 7: parents that exit without waiting for their children must not fill the process table.
int leave_zombies(u32 arg) {
    if (arg >> 8) {  // the leaver: as many children as fit, then exit without waiting
        for (u32 i = 0; i < 8; i++)
            if (is_err(sys_spawn("hello", 0))) break;
        return 0;
    }
    for (u32 round = 0; round < 4; round++) {
        u32 leaver = sys_spawn("hostile", 7 | (1u << 8));
        if (is_err(leaver)) return int(10 + round);
        sys_wait(leaver);
    }
    // The orphans end on their own; then a program can be started again.
    for (u32 start = sys_ticks(); sys_ticks() - start < 200;) {
        u32 pid = sys_spawn("hello", 0);
        if (!is_err(pid)) return sys_wait(pid) == 42 ? 42 : 15;
    }
    return 16;
}

// 8: exports that are not for programs are refused by name; the ones that are still answer.
int audiences() {
    const char* const refused[] = {"null.irq0", "kbd.irq1", "ramdisk.write", "ramdisk.read", "faulty.set_state",
                                   "null.fill", "serial.getc", "kernel.ticks"};
    for (u32 i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        u32 r = sys_driver_call(refused[i], 0, 0);
        if (!is_err(r) || err_code(r) != kErrDenied) {
            printf("hostile: %s answered %x to a program\n", refused[i], r);
            return int(10 + i);
        }
    }
    if (sys_driver_call("null.sum", 40, 2) != 42) return 30;
    return 42;
}

// 9: TF set in ring 3 away from any system call: the single-step trap is ignored, not a kill.
int single_step_in_ring3() {
    u32 x = 0;
    asm volatile("pushfl; orl $0x100, (%%esp); popfl; incl %0; incl %0; pushfl; andl $0xfffffeff, (%%esp); popfl"
                 : "+r"(x) : : "memory", "cc");
    return x == 2 ? 42 : 10;
}

// 10: odd segment registers at the call (null DS/ES/FS/GS, the user selectors): right results,
// and the program's own registers come back.
int segments_at_entry() {
    u32 pid = sys_getpid();
    for (u32 w = 1; w < kWays; w++) {  // INT, gate, SYSENTER (their asm touches no memory through DS)
        if (!have(Way(w))) continue;
        const u32 sels[] = {0u, 0x23u};
        for (u32 sel : sels) {
            u32 r, gs_after, fs_after;
            if (w == kGate && !g_gate[sys::kGetpid].selector) g_gate[sys::kGetpid] = {0, u16(sys_bench_info(5, sys::kGetpid) | 3)};
            u32 sb = sel;
            if (w == kInt) {
                asm volatile("push %%ds; push %%es; mov %%ebx, %%fs; mov %%ebx, %%gs; mov %%ebx, %%es; mov %%ebx, %%ds; int $0x80; pop %%es; pop %%ds; mov %%gs, %%esi; mov %%fs, %%edi"
                             : "=a"(r), "+b"(sb), "=S"(gs_after), "=D"(fs_after) : "a"(sys::kGetpid) : "ecx", "edx", "memory");
            } else if (w == kGate) {
                static FarPtr target;
                target = g_gate[sys::kGetpid];
                asm volatile("push %%ds; push %%es; mov %%ebx, %%fs; mov %%ebx, %%gs; mov %%ebx, %%es; mov %%ebx, %%ds; lcall *%%cs:%4; pop %%es; pop %%ds; mov %%gs, %%esi; mov %%fs, %%edi"
                             : "=a"(r), "+b"(sb), "=S"(gs_after), "=D"(fs_after) : "m"(target), "a"(0) : "ecx", "edx", "memory");
            } else {
                asm volatile("push %%ds; push %%es; mov %%ebx, %%fs; mov %%ebx, %%gs; mov %%ebx, %%es; mov %%ebx, %%ds; movl %%esp, %%ecx; movl $1f, %%edx; sysenter; 1: pop %%es; pop %%ds; mov %%gs, %%esi; mov %%fs, %%edi"
                             : "=a"(r), "+b"(sb), "=S"(gs_after), "=D"(fs_after) : "a"(sys::kGetpid) : "ecx", "edx", "memory");
            }
            asm volatile("mov %0, %%fs; mov %0, %%gs" ::"r"(0u));
            if (r != pid) return int(10 + w * 10);
            if ((gs_after & 0xFFFC) != (sel & 0xFFFC) || (fs_after & 0xFFFC) != (sel & 0xFFFC)) return int(11 + w * 10);
        }
    }
    return 42;
}

// 11 (as a child, expected to be killed): run the system-call site that tools/mkdisk.sh put in
// the read-only disk mapping. The kernel must refuse to patch a page that is not the process's own
// code (here: shared with the ramdisk driver and every disksrv); the #GP kills the child.
int patch_shared_page(u32 arg) {
    if (is_err(sys_map_disk())) return 10;
    const u8* disk = reinterpret_cast<const u8*>(sys::kDiskMapAt);
    const u8* site = disk + kSiteBlock * 512 + kSiteOffset;
    if (site[0] != 0x9A) return 11;  // the fixture is missing
    if (arg >> 8) {
        reinterpret_cast<void (*)()>(reinterpret_cast<uptr>(site))();
        return 12;  // patched and run: the kernel wrote into the shared image
    }
    u32 before = checksum(site, 8);
    u32 child = sys_spawn("hostile", 11 | (1u << 8));
    if (is_err(child)) return 13;
    u32 r = sys_wait(child);
    if (!is_err(r)) return 14;            // it must have been killed
    if (checksum(site, 8) != before || site[0] != 0x9A) return 15;
    return 42;
}
// 12: IPC to a process that is busy (running, polling) and never receives: the send is queued and
// fails with Timeout after kIpcSendTimeoutTicks instead of waiting forever.
int ipc_to_busy_parent(u32 arg) {
    constexpr u32 kErrTimeout = 9;
    if (arg >> 8) {
        g_msg.len = 0;
        u32 t0 = sys_ticks();
        u32 r = sys_ipc_call(arg >> 8, 1, &g_msg);
        if (!is_err(r) || err_code(r) != kErrTimeout) return 11;
        return sys_ticks() - t0 >= 90 ? 42 : 12;  // it did wait for the timeout (100 ticks)
    }
    u32 child = sys_spawn("hostile", 12 | (sys_getpid() << 8));
    if (is_err(child)) return 10;
    for (;;) {  // busy, never blocked in wait and never receiving
        u32 r = sys_wait_poll(child);
        if (!is_err(r) || err_code(r) != 5) return int(r);
    }
}
// 13: a driver that faults with a kernel selector in FS (faulty kind 12 borrows the flat 0x10 for
// a #PF) inside a system call: the program gets its own FS and GS back, never the driver's.
int segments_after_driver_fault() {
    for (u32 w = 0; w < kWays; w++) {
        if (!have(Way(w))) continue;
        asm volatile("mov %0, %%fs; mov %0, %%gs" ::"r"(0x23u));
        u32 r = enter(Way(w), sys::kDriverCall, u32("faulty.demo"), 12, 0, 0);
        u32 fs, gs;
        asm volatile("mov %%fs, %0; mov %%gs, %1" : "=r"(fs), "=r"(gs));
        asm volatile("mov %0, %%fs; mov %0, %%gs" ::"r"(0u));
        if (!is_err(r)) return int(10 + w * 10);
        if ((fs & 0xFFFF) != 0x23 || (gs & 0xFFFF) != 0x23) {
            printf("hostile: after a contained driver fault via %s: fs=%x gs=%x\n", kWayNames[w], fs & 0xFFFF, gs & 0xFFFF);
            return int(11 + w * 10);
        }
    }
    return 42;
}
// 14: an orphan that spins for ever (its parent spawned it and exited): the console (a program the
// kernel started, as the self-test runs us) can still kill it, and its slot comes back.
int kill_an_orphan(u32 arg) {
    if ((arg >> 8) == 1) {  // the parent: start the spinner, exit with its pid
        u32 spinner = sys_spawn("hostile", 14 | (2u << 8));
        return is_err(spinner) ? 0 : int(spinner);
    }
    if ((arg >> 8) == 2)
        for (;;) asm volatile("" ::: "memory");
    u32 parent = sys_spawn("hostile", 14 | (1u << 8));
    if (is_err(parent)) return 10;
    u32 orphan = sys_wait(parent);
    if (is_err(orphan) || orphan == 0) return 11;
    u32 r = sys_kill(orphan);
    if (r != 0) return 12;  // -Denied: the orphan would spin for the rest of the boot
    if (!is_err(sys_kill(orphan))) return 13;  // gone: killing it again finds nothing
    return 42;
}
// 15: TF set, then MOV SS right before the entry instruction: the CPU holds the single-step trap
// over the instruction after MOV SS, so it is delivered on the first instruction of the kernel's
// handler, at CPL 0, with TF already clear in the frame (on Bochs and real CPUs; QEMU delivers it
// in ring 3). The kernel must take it as the program's, not panic.
int single_step_after_mov_ss() {
    u32 pid = sys_getpid();
    for (u32 w = kInt; w < kWays; w++) {
        if (!have(Way(w))) continue;
        u32 r = 0;
        if (w == kInt) {
            asm volatile("mov %%ss, %%dx; pushfl; orl $0x100, (%%esp); popfl; mov %%dx, %%ss; int $0x80"
                         : "=a"(r) : "a"(sys::kGetpid) : "ecx", "edx", "memory", "cc");
        } else if (w == kGate) {
            if (!g_gate[sys::kGetpid].selector) g_gate[sys::kGetpid] = {0, u16(sys_bench_info(5, sys::kGetpid) | 3)};
            asm volatile("mov %%ss, %%dx; pushfl; orl $0x100, (%%esp); popfl; mov %%dx, %%ss; lcall *%1"
                         : "=a"(r) : "m"(g_gate[sys::kGetpid]) : "ecx", "edx", "memory", "cc");
        } else {
            asm volatile("movl %%esp, %%ecx; movl $1f, %%edx; mov %%ss, %%bx; pushfl; orl $0x100, (%%esp); popfl; "
                         "mov %%bx, %%ss; sysenter; 1:"
                         : "=a"(r) : "a"(sys::kGetpid) : "ebx", "ecx", "edx", "memory", "cc");
        }
        asm volatile("pushfl; andl $0xfffffeff, (%%esp); popfl" ::: "cc");  // no TF left behind
        if (r != pid) return int(10 + w);
    }
    return 42;
}
// 16: register-only IPC, the kernel's assembly fast path (docs/ipc.md), through every way in with
// every hostile flag and garbage in EDI: a pid out of range, our own, the kernel's, a zombie's,
// pids that share a table entry with a live process, and a parent blocked in wait all get
// NotFound (the C++ path's answer); a waiting server answers each way with the right word and
// our pid; EDI and EBP come back as they were, ECX and EDX after a gate hold nothing of the
// kernel's; and everything still works afterwards.
int regs_ipc(u32 arg) {
    constexpr u32 kHostile = kTF | kNT | kDF | kAC, kWhoCalled = 0x5E4D;
    if (arg >> 8) {  // the child: its parent (arg >> 8) is blocked in wait for it
        for (u32 w = 0; w < kWays; w++) {
            if (!have(Way(w))) continue;
            u32 r = enter(Way(w), sys::kIpcCallRegs, arg >> 8, 7, 0xBADC0DE, kHostile);
            if (!is_err(r) || err_code(r) != kErrNotFound) return int(11 + w);
        }
        return 42;
    }
    u32 me = sys_getpid();
    u32 server = sys_spawn("echosrv", 2), zombie = sys_spawn("echosrv", 1);
    if (is_err(server) || is_err(zombie)) return 10;
    if (sys_ipc_call_regs(zombie, 5) != 5 || sys_kill(zombie) != 0) return 11;  // killed: a zombie until waited for
    const u32 bad[] = {0x7FFFFFFF, 0xFFFFFFFF, me, 0, zombie, me + 256, server + 256, server + 0x100000};
    for (u32 w = 0; w < kWays; w++) {
        if (!have(Way(w))) continue;
        for (u32 i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            u32 r = enter(Way(w), sys::kIpcCallRegs, bad[i], 0x1234, 0xBADC0DE, kHostile);
            if (!is_err(r) || err_code(r) != kErrNotFound) {
                printf("hostile: register IPC via %s to pid %x: %x, want -NotFound\n", kWayNames[w], bad[i], r);
                return int(20 + w * 10 + i);
            }
        }
        if (enter(Way(w), sys::kIpcCallRegs, server, 1000 + w, 0xBADC0DE, kHostile) != 1000 + w) return int(60 + w);
        if (enter(Way(w), sys::kIpcCallRegs, server, kWhoCalled, 0xBADC0DE, kHostile) != me) return int(64 + w);
    }
    // The registers the call does not use come back unchanged (the patched site: the fast path).
    u32 b = server, word = 77, r, edi, ebp;
    asm volatile("push %%ebp; movl $0x2468ACE0, %%ebp; movl $0x13572468, %%edi; .byte 0x9a; .long 23; .word 3; "
                 "movl %%ebp, %%ecx; pop %%ebp"
                 : "=a"(r), "=c"(ebp), "=D"(edi), "+b"(b), "+S"(word) : : "edx", "memory", "cc");
    if (r != 77 || b != server || word != 77 || edi != 0x13572468 || ebp != 0x2468ACE0) return 70;
    // Through the gate, whose RETF, unlike SYSEXIT, sets no register: ECX and EDX come back as
    // they were or 0, never what the kernel left there (the fast path's switch held a page
    // directory and a Process in them).
    static FarPtr target;
    target = {0, u16(sys_bench_info(5, sys::kIpcCallRegs) | 3)};
    u32 gb = server, gw = 78, gr, gc = 0x5A5A5A5A, gd = 0x5A5A5A5A;
    asm volatile("lcall *%%cs:%5" : "=a"(gr), "+b"(gb), "+S"(gw), "+c"(gc), "+d"(gd) : "m"(target) : "memory", "cc");
    if (gr != 78 || gb != server || (gc != 0 && gc != 0x5A5A5A5A) || (gd != 0 && gd != 0x5A5A5A5A)) {
        printf("hostile: register IPC by gate: eax=%x ebx=%x ecx=%x edx=%x\n", gr, gb, gc, gd);
        return 75;
    }
    gb = 0x7FFFFFFF, gc = gd = 0x5A5A5A5A;  // and the C++ path's answer (no such pid) the same way
    asm volatile("lcall *%%cs:%5" : "=a"(gr), "+b"(gb), "+S"(gw), "+c"(gc), "+d"(gd) : "m"(target) : "memory", "cc");
    if (!is_err(gr) || err_code(gr) != kErrNotFound || (gc != 0 && gc != 0x5A5A5A5A) || (gd != 0 && gd != 0x5A5A5A5A)) {
        printf("hostile: register IPC by gate to no one: eax=%x ecx=%x edx=%x\n", gr, gc, gd);
        return 76;
    }
    u32 child = sys_spawn("hostile", 16 | (me << 8));
    if (is_err(child)) return 71;
    u32 cr = sys_wait(child);
    if (cr != 42) return int(cr);
    if (!is_err(sys_ipc_call_regs(server, 0xDEAD)) || sys_wait(server) != 0) return 72;  // it exits unanswered
    if (!is_err(sys_wait(zombie))) return 73;  // killed: -Fault
    return sys_getpid() == me ? 42 : 74;
}
}  // namespace

extern "C" int main(u32 arg) {
    switch (arg & 0xFF) {
    case 1: return flags_inside();
    case 2: return nt_across_switch();
    case 3: return df_disk_read();
    case 4: return readonly_targets();
    case 5: return driver_loop();
    case 6: return ipc_to_waiting_parent(arg);
    case 7: return leave_zombies(arg);
    case 8: return audiences();
    case 9: return single_step_in_ring3();
    case 10: return segments_at_entry();
    case 11: return patch_shared_page(arg);
    case 12: return ipc_to_busy_parent(arg);
    case 13: return segments_after_driver_fault();
    case 14: return kill_an_orphan(arg);
    case 15: return single_step_after_mov_ss();
    case 16: return regs_ipc(arg);
    }
    return 1;
}
