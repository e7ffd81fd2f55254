// One fuzzed call: pick a number, arguments (random and semi-valid), the way in and the state at
// the call; make it; judge the result against what the kernel must answer (docs/syscalls.md).
//
// Not called from this process, on purpose (each is exercised in a child, or not at all):
//   1 exit, 19 kill of ourselves    end the fuzzer: children do them (children.cpp, mode exit)
//   9 read_char                     waits for a key that never comes: a child does it, and is killed
//   15 ipc_reply_wait               waits for a client: the server child does it
//   11 poweroff                     ends the machine, whoever calls it: never fuzzed
//   18 bench_kernel                 no arguments; runs the kernel benchmark (seconds, hundreds of lines)
//   6 spawn of a real program       only deliberately (children.cpp), always waited for
//   7 wait, 19 kill, 20 wait_poll   on our own children only deliberately; here on pids that are not ours
#include "user/fuzz/fuzz.hpp"
#include "user/fuzz/layout.hpp"
#include "user/lib/io.hpp"

namespace fuzz {
namespace {
enum : u32 {
    kExit = 1, kWrite = 2, kGetpid = 3, kMechanism = 4, kDriverCall = 5, kSpawn = 6, kWait = 7, kTicks = 8,
    kReadChar = 9, kDump = 10, kPoweroff = 11, kAutorun = 12, kBenchInfo = 13, kIpcCall = 14, kIpcReplyWait = 15,
    kMapDisk = 16, kDiskRead = 17, kBenchKernel = 18, kKill = 19, kWaitPoll = 20, kPollChar = 21,
    kIpcCallRegs = 23,
};
constexpr u32 kNameCap = 64;  // the kernel reads a driver export name of up to 63 bytes and a NUL
constexpr u32 kProgCap = 32;

// Driver exports (drivers/*/ *.cpp, GH_EXPORT) and what a call from ring 3 must answer.
enum Expect : u8 { kAny, kEcho, kSum, kZero, kPlus1, kErrorExpected, kRefused, kBlocks, kSlow };
struct Export {
    const char* name;
    Expect expect;
};
// kRefused: issue 9, "no access control on exports": an export is not user-callable unless it
// says so (GH_EXPORT_FOR(..., kForPrograms)); driver_call must refuse the rest (-Denied), IRQ
// handlers, ramdisk.write, faulty's internals and kernel.* above all. The ones marked with an
// answer are the program audience (drivers/*/ *.cpp): they must answer it.
constexpr Export kExports[] = {
    {"null.nop", kZero}, {"null.echo", kEcho}, {"null.sum", kSum}, {"null.calls", kAny}, {"null.flags", kAny},
    {"null.via_gate", kRefused}, {"null.nested", kRefused}, {"null.via_patched", kRefused}, {"null.ticks", kRefused},
    {"null.irq0", kRefused}, {"null.spin", kRefused}, {"null.fill", kRefused},
    {"pit.counter", kRefused}, {"pit.irq0", kRefused}, {"pit.ticks", kAny},
    {"kbd.irq1", kRefused}, {"kbd.read", kRefused}, {"kbd.present", kAny},
    {"ramdisk.read", kRefused}, {"ramdisk.write", kRefused}, {"ramdisk.blocks", kBlocks},
    {"serial.putc", kRefused}, {"serial.getc", kRefused}, {"serial.sent", kAny},
    {"vga.putc", kRefused}, {"vga.position", kRefused},
    {"faulty.demo", kSlow}, {"faulty.fault", kRefused}, {"faulty.echo", kRefused}, {"faulty.state", kRefused},
    {"faulty.set_state", kRefused}, {"faulty.call_null", kRefused}, {"faulty.overrun", kRefused},
    {"kernel.ticks", kRefused}, {"kernel.disk", kRefused}, {"kernel.disk_bytes", kRefused},
};
constexpr const char* kPrograms[] = {"hello", "spinner", "faulter", "echosrv", "disksrv", "ipctest",
                                     "disktest", "ubench", "shell", "fuzz"};

bool eq(const char* a, const char* b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
u32 slen(const char* s) {
    u32 n = 0;
    while (s[n]) n++;
    return n;
}

// What the kernel will read as a NUL-terminated string at p, with cap bytes at most: 0 and the
// string copied to out when it can; else the error it must answer (Fault: unmapped, Range: no NUL).
enum StrResult { kStrOk, kStrFault, kStrRange };
StrResult read_user_string(u32 p, u32 cap, char* out) {
    for (u32 i = 0; i < cap; i++) {
        Span s = classify(p + i, 1);
        if (!s.range_ok || p + i < p) return kStrRange;
        if (!s.readable) return kStrFault;
        out[i] = *reinterpret_cast<const volatile char*>(uptr(p + i));
        if (!out[i]) return kStrOk;
    }
    return kStrRange;
}

// A name in scratch memory, or anywhere: real, mutated, junk, long, unterminated at the edge.
u32 gen_name(Rng& r, bool program) {
    u8* buf = g_layout.scratch + kScratchBytes - 256;  // our own name buffer at the end of scratch
    const char* base = program ? kPrograms[r.below(sizeof kPrograms / sizeof kPrograms[0])]
                               : kExports[r.below(sizeof kExports / sizeof kExports[0])].name;
    u32 n = slen(base);
    switch (r.below(8)) {
    case 0: return gen_pointer(r, false);  // whatever is there
    case 1: {                               // unterminated, running into the unmapped page
        u32 k = r.range(1, 80);
        u8* p = g_layout.edge + kEdgeBytes - k;
        for (u32 i = 0; i < k; i++) p[i] = u8('a' + r.below(26));
        return u32(uptr(p));
    }
    case 2: {  // long
        u32 k = r.range(kNameCap - 2, 200);
        for (u32 i = 0; i < k; i++) buf[i] = u8('a' + r.below(26));
        buf[k] = 0;
        return u32(uptr(buf));
    }
    case 3:  // the real name, mutated by one byte
        for (u32 i = 0; i <= n; i++) buf[i] = u8(base[i]);
        buf[r.below(n)] = u8(r.next());
        return u32(uptr(buf));
    case 4:  // a prefix, or the name with something after it
        for (u32 i = 0; i <= n; i++) buf[i] = u8(base[i]);
        if (r.one_in(2)) buf[r.below(n)] = 0;
        else buf[n] = '.', buf[n + 1] = 'x', buf[n + 2] = 0;
        return u32(uptr(buf));
    default:  // the real name (for programs: only as a spawn the generator then refuses, see below)
        for (u32 i = 0; i <= n; i++) buf[i] = u8(base[i]);
        return u32(uptr(buf));
    }
}

u32 gen_pid(Rng& r) {
    switch (r.below(8)) {
    case 0: return 0;
    case 1: return g.pid;
    case 2: return g.parent_guess;
    case 3: return g.dead_pids[r.below(4)];
    case 4: return g.pid + r.range(1, 1000);
    case 5: return r.pick<u32, 4>({0xFFFFFFFF, 0x80000000, 0xFFFFFF00, 0x7FFFFFFF});
    case 6: return g.echo_pid;
    default: return r.next();
    }
}

// Verify a read-only region the call may have written; a change is a kernel write through a
// read-only page (CR0.WP, issue 9).
u32 g_sums[16];
void verify_ro(const Call& c, u32 r, u32 ptr, u32 len) {
    Span s = classify(ptr, len);
    if (!s.touches_ro) return;
    for (Region reg : kChecked) {
        u32 now = checksum(reg);
        if (now != g_sums[reg]) {
            wrong(c, r, "the kernel wrote into a read-only page", reg);
            printf("fuzz: read-only region %s changed\n", region_name(reg));
            g_sums[reg] = now;
        }
    }
}

// The IpcMsg at p: what the kernel must answer for it (docs/ipc.md): 0 if good, else nonzero.
bool g_built_msg = false;  // the last ipc_call's message holds the index ^ offset pattern

bool msg_ok(u32 p, u32* len_out) {
    if (!classify(p, kMaxKernelWrite).range_ok) return false;
    bool aligned = (p & 3) == 0;  // the kernel refuses a message whose header could cross a page
    Span hdr = classify(p + 8, 4);
    if (!hdr.readable) return false;
    u32 len = *reinterpret_cast<const volatile u32*>(uptr(p + 8));
    *len_out = len;
    if (len > 4096) return false;
    return aligned && classify(p, 12 + 4096).writable;  // a reply of any length must be able to land: the whole IpcMsg
}
}  // namespace

void fuzz_init_sums() {
    for (Region reg : kChecked) g_sums[reg] = checksum(reg);
}
bool fuzz_sums_intact() {
    bool ok = true;
    for (Region reg : kChecked)
        if (checksum(reg) != g_sums[reg]) {
            printf("fuzz: read-only region %s changed during the run\n", region_name(reg));
            ok = false;
        }
    return ok;
}

void fuzz_one(u32 index) {
    Rng r = rng_for(g.opt.seed, index);
    if (!(g.opt.avoid & kAvoidChildren) && r.one_in(400)) return child_action(r, index);
    static const u32 kWeights[][2] = {
        {kWrite, 10}, {kGetpid, 5}, {kMechanism, 2}, {kDriverCall, 14}, {kSpawn, 5}, {kWait, 3}, {kTicks, 2},
        {kDump, 3}, {kAutorun, 7}, {kBenchInfo, 3}, {kIpcCall, 12}, {kMapDisk, 1}, {kDiskRead, 12}, {kKill, 3},
        {kWaitPoll, 3}, {kPollChar, 1}, {0, 6}, {30, 3}, {kIpcCallRegs, 6},
    };
    u32 total = 0;
    for (auto& w : kWeights) total += w[1];
    u32 pick = r.below(total), n = 0;
    for (auto& w : kWeights) {
        if (pick < w[1]) {
            n = w[0];
            break;
        }
        pick -= w[1];
    }
    Call c{index, n, r.next(), r.next(), r.next(), kWaySite, 0, 0x23, 0x23, 0, 0};
    // Per number: the arguments, and what the answer must be.
    enum { kNone, kMustErr, kMustEq, kMustOk } must = kNone;
    u32 want = 0;
    u32 wptr = 0, wlen = 0;  // a range the kernel may write: checked for read-only pages after
    const char* why = "";
    u32 msg_len = 0;
    const Export* ex = nullptr;
    switch (n) {
    case 0: {  // numbers with no system call: -Unsupported
        static const u32 kBad[] = {0, 22, 25, 29, 48, 55, 62, 63, 64, 1000, 0xFFFFFFFF, 0x80000000};
        c.n = r.one_in(4) ? r.next() | 64 : r.pick(kBad);
        if (c.n >= 30 && c.n <= 47) c.n = 0;
        must = kMustErr, why = "an unknown system call number succeeded";
        break;
    }
    case 30:  // the shell's range (src/proc/sys_shell.cpp): random arguments, no fixed answer
        c.n = r.range(30, 47);
        break;
    case kWrite: {
        // Never our own code and strings (the victim pages aside): printed, they could fake a
        // summary line in the log.
        do c.a = gen_pointer(r, false);
        while (region_of(c.a) == kImageRo);
        c.b = gen_length(r, c.a);
        Span s = classify(c.a, c.b);
        // Mapped bytes are printed: keep that short (a line at most) to keep the serial log small.
        if (s.readable && c.b > 64) c.b = r.below(65);
        if (c.b && c.b <= 64 && region_of(c.a + c.b - 1) == kImageRo) c.b = 0;  // not into our strings
        if (!s.readable && s.range_ok && c.b > 64 && region_of(c.a) != kUnmapped && region_of(c.a) != kKernel) {
            // A mapped start and an unmapped end: the kernel prints up to the hole. Start at most
            // 64 bytes before it (the edge of the image, the disk mapping, the stack, the stub page).
            u32 end = (c.a & ~(kPage - 1)) + kPage;
            for (u32 k = 0; k < 32 && region_of(end) != kUnmapped && region_of(end) != kKernel; k++) end += kPage;
            c.a = end - r.range(1, 64);
            if (region_of(c.a) == kImageRo) c.a = end;
        }
        s = classify(c.a, c.b);
        if (!s.range_ok || !s.readable) must = kMustErr, why = "write of a bad range succeeded";
        else must = kMustEq, want = c.b, why = "write of a good range did not return its length";
        break;
    }
    case kGetpid: must = kMustEq, want = g.pid, why = "getpid changed"; break;
    case kMechanism: must = kMustEq, want = g.mech, why = "mechanism changed"; break;
    case kDriverCall: {
        bool real = r.one_in(2);
        if (real) {
            ex = &kExports[r.below(sizeof kExports / sizeof kExports[0])];
            if ((g.opt.avoid & kAvoidExports) && ex->expect == kRefused) ex = &kExports[1];
            if ((g.opt.avoid & kAvoidSpin) && (ex->expect == kSlow || eq(ex->name, "faulty.demo"))) ex = &kExports[1];
            u8* buf = g_layout.scratch + kScratchBytes - 256;
            u32 k = slen(ex->name);
            for (u32 i = 0; i <= k; i++) buf[i] = u8(ex->name[i]);
            c.a = u32(uptr(buf));
            if (eq(ex->name, "faulty.demo")) c.b = r.below(14);  // the kinds faulty knows, and 0, 6, 7, 13 (refused)

        } else {
            c.a = gen_name(r, false);
        }
        char name[kNameCap];
        StrResult sr = read_user_string(c.a, kNameCap, name);
        if (sr != kStrOk) {
            must = kMustErr, why = "driver_call with an unreadable or unterminated name succeeded";
            break;
        }
        ex = nullptr;
        for (const Export& e : kExports)
            if (eq(e.name, name)) ex = &e;
        if (!ex) {
            must = kMustErr, why = "driver_call of a name that is no export succeeded";
            break;
        }
        if ((g.opt.avoid & kAvoidExports) && ex->expect == kRefused) {
            c.a = u32(uptr("null.nop")), ex = &kExports[0];
        }
        if ((g.opt.avoid & kAvoidSpin) && (ex->expect == kSlow || eq(ex->name, "faulty.demo")))
            c.a = u32(uptr("null.nop")), ex = &kExports[0];
        switch (ex->expect) {
        case kEcho: must = kMustEq, want = c.b; break;
        case kSum: must = kMustEq, want = c.b + c.c; break;
        case kZero: must = kMustEq, want = 0; break;
        case kPlus1: must = kMustEq, want = c.b + 1; break;
        case kBlocks: must = kMustEq, want = g.disk_blocks; break;
        case kErrorExpected: must = kMustErr; break;
        case kRefused: must = kMustErr; break;
        default: break;
        }
        why = ex->expect == kRefused ? "a driver export ring 3 must not reach answered" : "driver export gave a wrong answer";
        if (must == kMustEq && is_err(want)) must = kNone;  // an echoed value in the error range is ambiguous
        break;
    }
    case kSpawn: {
        c.a = gen_name(r, true);
        char name[kProgCap];
        StrResult sr = read_user_string(c.a, kProgCap, name);
        if (sr == kStrOk) {
            for (const char* p : kPrograms)
                if (eq(p, name)) {  // a real program is only ever started deliberately (children.cpp)
                    c.a = u32(uptr("no-such-program"));
                    break;
                }
        }
        must = kMustErr, why = "spawn of no program succeeded";
        break;
    }
    case kWait:
    case kWaitPoll:
    case kKill:
        do c.a = gen_pid(r);
        while (c.a == g.echo_pid || c.a == g.server_pid || c.a == g.regs_pid || (n == kKill && c.a == g.pid));
        must = kMustErr, why = "wait/kill of a process that is not our child succeeded";
        break;
    case kTicks: break;
    case kDump:
        c.a = r.one_in(1000) ? r.range(1, 4) : (r.one_in(2) ? r.next() : r.range(5, 8) * (r.one_in(2) ? 1 : 0));
        if (c.a >= 1 && c.a <= 4) must = kMustEq, want = 0, why = "dump failed";
        else must = kMustErr, why = "dump of nothing succeeded";
        break;
    case kAutorun: {
        c.a = gen_pointer(r, true);
        c.b = r.one_in(2) ? r.below(300) : gen_length(r, c.a);
        if ((g.opt.avoid & kAvoidRoWrite) && classify(c.a, c.b).touches_ro) c.a = u32(uptr(g_layout.scratch));
        u32 nbytes = c.b ? (g.autorun_len < c.b - 1 ? g.autorun_len : c.b - 1) : 0;  // copied; the result is the whole length
        Span s = classify(c.a, c.b);
        Span w = classify(c.a, nbytes + 1);
        wptr = c.a, wlen = nbytes + 1;
        if (c.b == 0 || !s.range_ok || !w.writable) must = kMustErr, why = "autorun into a bad or read-only buffer succeeded";
        else must = kMustEq, want = g.autorun_len, why = "autorun gave the wrong length";
        break;
    }
    case kBenchInfo:
        c.a = r.below(9);
        c.b = r.one_in(2) ? r.below(2) : r.below(70);
        if (c.a == 1) must = kMustEq, want = g.getpid_gate, why = "bench_info gate changed";
        else if (c.a == 5 && c.b < 64) must = kMustEq, want = g.gates[c.b], why = "bench_info's gate for a number changed";
        else if (c.a == 5) must = kMustErr, why = "bench_info gave a gate for a number past the table";
        else if (c.a == 2) must = kMustEq, want = g.sep_usable, why = "bench_info SEP changed";
        else if (c.a == 4) must = kMustEq, want = g.tsc, why = "bench_info TSC changed";
        else if (c.a == 6 || c.a == 7) must = kNone;  // the IPC fast-path and C++-path counters
        else if (c.a == 8) must = kMustEq, want = 0, why = "bench_info says bench=trace on a boot without it";
        else if (c.a != 3) must = kMustErr, why = "bench_info of nothing succeeded";
        break;
    case kIpcCall: {
        u32 dest_kind = r.below(6);
        if (dest_kind <= 1 && g.echo_pid) c.a = g.echo_pid;
        else if (dest_kind == 2 && g.server_pid) c.a = g.server_pid;
        else c.a = gen_pid(r);
        if ((g.opt.avoid & kAvoidIpcPeer) && c.a == g.parent_guess) c.a = g.pid;
        if (c.b == 0xDEAD) c.b = 0xDEAE;  // the word that ends echosrv and the server child
        if (c.b >= 0xFFFFFF00u) c.b &= 0x7FFFFFFF;  // a word the server could not tell from an error
        g_built_msg = false;
        if (r.one_in(3)) {
            c.c = gen_pointer(r, true);  // whatever bytes lie there: only length and sender are known
        } else {  // a good message in scratch, with a random length and data
            u32 off = r.below((kScratchBytes - 4108) / 4) * 4;
            u8* m = g_layout.scratch + off;
            u32 len = r.one_in(8) ? r.range(4097, 5000) : (r.one_in(4) ? 0 : r.range(1, 4096));
            *reinterpret_cast<u32*>(m + 8) = len;
            for (u32 i = 0; i < (len < 4096 ? len : 4096); i += 4) *reinterpret_cast<u32*>(m + 12 + i) = index ^ i;
            c.c = u32(uptr(m));
            g_built_msg = true;
        }
        if ((g.opt.avoid & kAvoidRoWrite) && classify(c.c, kMaxKernelWrite).touches_ro) c.c = u32(uptr(g_layout.scratch));
        wptr = c.c, wlen = kMaxKernelWrite;
        bool good = msg_ok(c.c, &msg_len);
        bool live = c.a == g.echo_pid || c.a == g.server_pid || c.a == g.regs_pid;
        if (!good) must = kMustErr, why = "ipc_call with a bad or read-only message succeeded";
        else if (c.a == g.echo_pid) must = kMustEq, want = c.b, why = "echosrv did not echo the word";
        else if (!live) must = kMustErr, why = "ipc_call to a process that is no server of ours succeeded";
        break;
    }
    case kIpcCallRegs: {  // register-only IPC: one word in ESI, no buffer (the kernel's fast path)
        u32 dest_kind = r.below(5);
        if (dest_kind <= 1 && g.regs_pid) c.a = g.regs_pid;  // echosrv 1: the fast path both ways
        else if (dest_kind == 2 && g.echo_pid) c.a = g.echo_pid;  // a buffer server: a length-0 message
        else c.a = gen_pid(r);
        if ((g.opt.avoid & kAvoidIpcPeer) && c.a == g.parent_guess) c.a = g.pid;
        if (c.b == 0xDEAD) c.b = 0xDEAE;
        if (c.b >= 0xFFFFFF00u) c.b &= 0x7FFFFFFF;
        bool live = c.a == g.echo_pid || c.a == g.server_pid || c.a == g.regs_pid;
        if (c.a == g.echo_pid || c.a == g.regs_pid) must = kMustEq, want = c.b, why = "an echo server did not echo a register word";
        else if (!live) must = kMustErr, why = "ipc_call_regs to a process that is no server of ours succeeded";
        break;
    }
    case kMapDisk: must = kMustErr, why = "map_disk a second time succeeded"; break;
    case kDiskRead: {
        c.a = r.one_in(4) ? r.pick<u32, 6>({g.disk_blocks, g.disk_blocks + 1, 0xFFFFFFFF, 0x800000, 0x7FFFFF, 0x80000000})
                          : r.below(g.disk_blocks ? g.disk_blocks : 1);
        c.b = r.one_in(3) ? u32(uptr(g_layout.scratch)) + r.below(kScratchBytes) : gen_pointer(r, true);
        if ((g.opt.avoid & kAvoidRoWrite) && classify(c.b, 512).touches_ro) c.b = u32(uptr(g_layout.scratch));
        wptr = c.b, wlen = 512;
        Span s = classify(c.b, 512);
        if (c.a >= g.disk_blocks || !s.writable) must = kMustErr, why = "disk_read of a bad block or into a bad buffer succeeded";
        else must = kMustEq, want = 0, why = "disk_read of a good block failed";
        break;
    }
    case kPollChar: break;
    default: break;
    }
    c.way = choose_way(r, c.n);
    c.flags = choose_flags(r, false);
    choose_segments(r, c);
    Entry e;
    u32 res = run_call(c, e);
    // The answer.
    if (must == kMustErr && !is_err(res)) wrong(c, res, why);
    if (must == kMustEq && res != want) wrong(c, res, why, want);
    if (wlen) verify_ro(c, res, wptr, wlen);
    switch (c.n) {
    case kWrite:
        if ((res == c.b && c.b) || res == 0u - 6) printf("\n");  // end whatever was printed
        break;
    case kDriverCall:
        if (ex && eq(ex->name, "serial.putc") && !is_err(res)) printf("\n");
        break;
    case kTicks:
        if (res < g.last_ticks) wrong(c, res, "ticks went backwards", g.last_ticks);
        g.last_ticks = res;
        break;
    case kAutorun:
        if (res == want && must == kMustEq) {
            const char* p = reinterpret_cast<const char*>(uptr(c.a));
            u32 copied = res < c.b ? res : c.b - 1;
            for (u32 i = 0; i < copied; i++)
                if (p[i] != g.autorun[i]) {
                    wrong(c, res, "autorun copied the wrong bytes", i);
                    break;
                }
            if (p[copied] != 0) wrong(c, res, "autorun did not terminate the copy", copied);
        }
        break;
    case kDiskRead:
        if (must == kMustEq && res == 0) {
            const u8* got = reinterpret_cast<const u8*>(uptr(c.b));
            const u8* disk = reinterpret_cast<const u8*>(uptr(kDiskAt + c.a * 512));
            for (u32 i = 0; i < 512; i++)
                if (got[i] != disk[i]) {
                    wrong(c, res, "disk_read returned other bytes than the disk holds", i);
                    break;
                }
        }
        break;
    case kIpcCall:
        if (c.a == g.echo_pid && must == kMustEq && res == c.b) {
            const u8* m = reinterpret_cast<const u8*>(uptr(c.c));
            u32 got_len = *reinterpret_cast<const u32*>(m + 8), sender = *reinterpret_cast<const u32*>(m);
            if (got_len != msg_len || sender != g.echo_pid) wrong(c, res, "echosrv's reply has the wrong length or sender", got_len);
            for (u32 i = 0; g_built_msg && i + 4 <= msg_len; i += 4)
                if (*reinterpret_cast<const u32*>(m + 12 + i) != (index ^ i)) {
                    wrong(c, res, "echosrv's reply has other data than was sent", i);
                    break;
                }
        }
        break;
    case kPollChar:
        if (res > 255) wrong(c, res, "poll_char returned no character");
        break;
    default: break;
    }
}
}  // namespace fuzz
