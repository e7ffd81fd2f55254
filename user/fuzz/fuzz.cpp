// fuzz: a ring-3 system-call fuzzer, trinity/syzkaller style (docs/reliability.md, "System-call
// fuzzing"). `run fuzz <seed> [n=<calls>] [avoid=a,b] [only=<i>] [from=<i>] [trace]`: the shell
// passes the seed; the options are read back from the kernel's autorun= text (the only command
// line a program can see). Ends with one FUZZ,... summary line (docs/serial.md) and exit code 0
// when no answer was wrong and the read-only pages are unchanged, else 1.
#include "user/fuzz/fuzz.hpp"
#include "user/fuzz/layout.hpp"
#include "user/fuzz/selectors.hpp"
#include "user/lib/io.hpp"

namespace fuzz {
void fuzz_init_sums();
bool fuzz_sums_intact();

namespace {
bool is_space(char c) { return c == ' '; }
bool starts(const char* s, const char* p) {
    while (*p)
        if (*s++ != *p++) return false;
    return true;
}
u32 parse_num(const char* s) {
    u32 v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + u32(*s++ - '0');
    return v;
}
bool word_eq(const char* s, u32 n, const char* w) {
    for (u32 i = 0; i < n; i++)
        if (!w[i] || s[i] != w[i]) return false;
    return !w[n];
}

}  // namespace

// "run fuzz <seed> opt opt;..." in autorun=: the options of the first such command. Children
// read them too, so avoid= holds for them as well.
void parse_options(u32 seed) {
    Options& o = g.opt;
    o = Options{};  // the defaults: user programs run no static constructors (user/lib/user.ld)
    o.seed = seed;
    const char* s = g.autorun;
    while (*s && !starts(s, "run fuzz ")) {
        while (*s && *s != ';') s++;
        if (*s) s++;
    }
    if (!*s) return;
    s += 9;
    while (*s && !is_space(*s) && *s != ';') s++;  // the seed: the shell passed it already
    while (*s && *s != ';') {
        while (is_space(*s)) s++;
        const char* w = s;
        while (*s && !is_space(*s) && *s != ';') s++;
        u32 n = u32(s - w);
        if (!n) continue;
        if (starts(w, "n=")) o.calls = parse_num(w + 2);
        else if (starts(w, "only=")) o.only = parse_num(w + 5);
        else if (starts(w, "from=")) o.from = parse_num(w + 5);
        else if (starts(w, "progress=")) o.progress = parse_num(w + 9);
        else if (word_eq(w, n, "trace")) o.trace = true;
        else if (starts(w, "avoid=")) {
            const char* a = w + 6;
            while (a < s) {
                const char* b = a;
                while (b < s && *b != ',') b++;
                bool known = false;
                for (const AvoidName& an : kAvoidNames)
                    if (word_eq(a, u32(b - a), an.name)) o.avoid |= an.bit, known = true;
                if (!known) printf("fuzz: avoid=: unknown name; known: df nt ac tf seg rowrite ipcpeer exports spin children gate sysenter int\n");
                a = b + 1;
            }
        } else {
            printf("fuzz: unknown option (n= only= from= progress= avoid= trace)\n");
        }
    }
}

namespace {
void add_unique(u16* v, u32* n, u16 sel) {
    for (u32 i = 0; i < *n; i++)
        if (v[i] == sel) return;
    if (*n < 64) v[(*n)++] = sel;
}
}  // namespace

// What this process and this boot are: pid, mechanism, gates, selectors, the disk, autorun=.
void probe_world() {
    layout_init();
    g.pid = sys_getpid();
    g.mech = sys_mechanism();
    g.parent_guess = 1;
    g.getpid_gate = sys_bench_info(sys::kInfoGetpidGate);
    if (!is_err(g.getpid_gate) && g.getpid_gate) g.gates[3] = u16(g.getpid_gate);
    for (u32 n = 0; n < 64; n++) {  // every number's DPL-3 call gate, whatever the sites were patched to
        u32 gate = sys_bench_info(sys::kInfoGateFor, n);
        if (!is_err(gate) && gate) g.gates[n] = u16(gate);
    }
    g.sep_usable = sys_bench_info(sys::kInfoSepUsable);
    g.tsc = sys_bench_info(sys::kInfoTsc);
    u32 bytes = sys_map_disk();
    g_layout.disk_bytes = is_err(bytes) ? 0 : bytes;
    g.disk_blocks = g_layout.disk_bytes / 512;
    u32 n = sys_autorun(g.autorun, sizeof g.autorun);
    g.autorun_len = is_err(n) ? 0 : n;
    if (is_err(n)) g.autorun[0] = 0;
    g.last_ticks = sys_ticks();
    // Selectors: every GDT index up to 255 (and a few beyond the table), as VERR and LAR see them.
    for (u16 rpl = 0; rpl < 4; rpl++) add_unique(g.loadable, &g.n_loadable, rpl);  // null: always loadable
    for (u32 idx = 1; idx < 256; idx++) {
        u16 sel = u16(idx << 3 | 3);
        u32 ar = lar(sel);
        if (verr(sel) && ar_present(ar)) {
            add_unique(g.loadable, &g.n_loadable, sel);
            add_unique(g.loadable, &g.n_loadable, u16(idx << 3));  // RPL 0: still loadable at CPL 3
        } else if (ar == 0 || !verr(sel)) {
            if (g.n_unloadable < 48 || idx < 8) add_unique(g.unloadable, &g.n_unloadable, sel);
        }
        if (!(ar && ar_is_call_gate32(ar) && ar_dpl(ar) == 3) && idx != 3)  // not a syscall gate, not our code
            add_unique(g.not_gates, &g.n_not_gates, sel);
    }
    add_unique(g.unloadable, &g.n_unloadable, 0xFFFB);  // past the GDT's limit
    add_unique(g.unloadable, &g.n_unloadable, 0x0004);  // an LDT selector: there is no LDT
    add_unique(g.not_gates, &g.n_not_gates, 0xFFFB);
}
}  // namespace fuzz

using namespace fuzz;

extern "C" int main(u32 arg) {
    if ((arg & 0xF0000000u) == kChildTag) child_main(arg);
    probe_world();
    parse_options(arg);
    char avoid[160];
    u32 an = 0;
    for (const AvoidName& a : kAvoidNames)
        if (g.opt.avoid & a.bit) {
            for (const char* p = a.name; *p && an < sizeof avoid - 2; p++) avoid[an++] = *p;
            avoid[an++] = '+';
        }
    if (an) an--;
    else for (const char* p = "none"; *p; p++) avoid[an++] = *p;
    avoid[an] = 0;
    printf("fuzz: seed %u, %u calls from %u, mechanism %u, pid %u, avoid=%s\n", g.opt.seed, g.opt.calls, g.opt.from, g.mech,
           g.pid, avoid);
    printf("fuzz: image %08x..%08x, disk %u blocks at %08x, %u loadable and %u unloadable selectors, getpid gate %04x\n",
           0x400000u, g_layout.image_end, g.disk_blocks, kDiskAt, g.n_loadable, g.n_unloadable, g.getpid_gate);
    // The layout the checks rely on, checked: the page after the image is unmapped, the last is not.
    if (sys_driver_call(reinterpret_cast<const char*>(uptr(g_layout.image_end)), 0, 0) != 0u - 6 ||
        sys_driver_call(reinterpret_cast<const char*>(uptr(g_layout.image_end - 4096)), 0, 0) == 0u - 6) {
        printf("fuzz: the image does not end where the fuzzer thinks (%08x): stopping\n", g_layout.image_end);
        return 2;
    }
    fuzz_init_sums();
    start_server_child();
    u32 t0 = sys_ticks();
    u32 first = g.opt.only != 0xFFFFFFFF ? g.opt.only : g.opt.from;
    u32 last = g.opt.only != 0xFFFFFFFF ? g.opt.only + 1 : g.opt.from + g.opt.calls;
    for (u32 i = first; i < last; i++) {
        fuzz_one(i);
        if (g.opt.progress && (i + 1) % g.opt.progress == 0)
            printf("fuzz: progress %u calls, %u wrong, %u ticks\n", i + 1, g.wrong, sys_ticks() - t0);
    }
    u32 ticks = sys_ticks() - t0;
    stop_long_lived();
    if (sys_getpid() != g.pid) g.wrong++, printf("fuzz: WRONG getpid changed by the end\n");
    bool intact = fuzz_sums_intact();
    if (!intact) g.wrong++;
    static const char* const kCodes[] = {"?", "Invalid", "Range", "NoMemory", "NotFound", "Busy", "Fault",
                                         "Unsupported", "Denied", "Timeout"};
    char codes[200];
    u32 cn = 0;
    for (u32 i = 1; i < 16; i++) {
        if (!g.by_code[i]) continue;
        char part[32];
        const char* nm = i < 10 ? kCodes[i] : "other";
        u32 k = 0;
        for (const char* p = nm; *p; p++) part[k++] = *p;
        part[k++] = ':';
        char num[12];
        u32 nd = 0, v = g.by_code[i];
        do num[nd++] = char('0' + v % 10), v /= 10;
        while (v);
        while (nd) part[k++] = num[--nd];
        if (cn) codes[cn++] = '/';
        for (u32 j = 0; j < k && cn < sizeof codes - 1; j++) codes[cn++] = part[j];
    }
    codes[cn] = 0;
    static const char* const kMech[] = {"?", "sysenter", "gate", "int"};
    printf("FUZZ,seed=%u,calls=%u,ok=%u,errors=%u,errors_by_code=%s,wrong=%u,children=%u,kills=%u,mech=%s,"
           "via=sysenter:%u/gate:%u/int:%u,ways=site:%u/int:%u/gate:%u/stub:%u/sysenter:%u,ro_intact=%s,avoid=%s,ticks=%u\n",
           g.opt.seed, g.calls, g.ok, g.errors, cn ? codes : "none", g.wrong, g.children, g.kills,
           g.mech < 4 ? kMech[g.mech] : "?", g.by_entry[1], g.by_entry[2], g.by_entry[3], g.by_way[kWaySite],
           g.by_way[kWayInt], g.by_way[kWayGate], g.by_way[kWayStub], g.by_way[kWaySysenter], intact ? "yes" : "no",
           avoid, ticks);
    return g.wrong ? 1 : 0;
}
