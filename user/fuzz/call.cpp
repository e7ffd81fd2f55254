// Making one fuzzed call: the way in, EFLAGS and segment registers at the call, and the checks
// every call gets whatever its number (docs/syscalls.md, "The ABI"): ESP, EBP, EBX, ESI, EDI and
// the segment registers come back as they were; IF is on, IOPL 0, and no TF/NT/AC/DF appears
// that the program did not set.
#include "user/fuzz/fuzz.hpp"
#include "user/fuzz/layout.hpp"
#include "user/lib/io.hpp"

namespace fuzz {
World g;

bool is_err(u32 r) { return r >= 0xFFFFFF00u; }

namespace {
u32 site_index(u32 n) {
    for (u32 i = 0; i < fuzz_site_count; i++)
        if (fuzz_site_numbers[i] == n) return i;
    return 0xFFFFFFFF;
}
u8* site_of(u32 n) {
    u32 i = site_index(n);
    return i == 0xFFFFFFFF ? nullptr : fuzz_sites + 8 * i;
}
// After a site has run once it holds the boot's patch (docs/syscalls.md): a far call names the
// number's call gate, which we may then call ourselves.
void learn_gate(u32 n) {
    if (n >= 64 || g.gates[n]) return;
    const u8* s = site_of(n);
    if (s && s[0] == 0x9A) {
        u16 sel = u16(s[5] | (s[6] << 8));
        if (sel != 3) g.gates[n] = sel;
    }
}
}  // namespace

Way choose_way(Rng& r, u32 n) {
    for (;;) {
        Way w = Way(r.below(kWays));
        switch (w) {
        case kWaySite:
            if (site_of(n)) return w;
            break;
        case kWayInt:
            if (!(g.opt.avoid & kAvoidInt)) return w;
            break;
        case kWayGate:
            if (!(g.opt.avoid & kAvoidGate) && n < 64 && g.gates[n]) return w;
            break;
        case kWayStub:
        case kWaySysenter:  // the kernel programs the SYSENTER MSRs whenever SEP is usable
            if (!(g.opt.avoid & kAvoidSysenter) && g.sep_usable == 1 && n < 64) return w;
            break;
        default: break;
        }
        if (!site_of(n) && (g.opt.avoid & kAvoidInt) && !(n < 64 && g.gates[n])) return kWayInt;  // nothing else reaches n
    }
}

u32 choose_flags(Rng& r, bool allow_tf) {
    u32 f = kReserved1 | kIF;
    f |= r.next() & (kCF | kPF | kAF | kZF | kSF | kOF);  // arithmetic flags: anything
    if (r.one_in(4)) f |= kIOPL & r.next();                // POPF at CPL 3 ignores IOPL and IF
    if (r.one_in(8)) f |= kID;
    if (r.one_in(3) && !(g.opt.avoid & kAvoidDF)) f |= kDF;
    if (r.one_in(6) && !(g.opt.avoid & kAvoidNT)) f |= kNT;
    if (r.one_in(6) && !(g.opt.avoid & kAvoidAC)) f |= kAC;
    if (allow_tf && r.one_in(2)) f |= kTF;
    return f;
}

bool choose_segments(Rng& r, Call& c) {
    c.ds = c.es = 0x23;
    c.fs = c.gs = 0;
    if ((g.opt.avoid & kAvoidSeg) || !g.n_loadable || !r.one_in(2)) return false;
    u16* regs[] = {&c.ds, &c.es, &c.fs, &c.gs};
    for (u16* s : regs)
        if (r.one_in(2)) *s = g.loadable[r.below(g.n_loadable)];
    return true;
}

void describe(const Call& c) {
    printf("fuzz: call %u n=%u a=%08x b=%08x c=%08x via %s flags=%05x ds=%04x es=%04x fs=%04x gs=%04x\n", c.index, c.n,
           c.a, c.b, c.c, kWayNames[c.way], c.flags, c.ds, c.es, c.fs, c.gs);
}

void wrong(const Call& c, u32 result, const char* why, u32 detail) {
    g.wrong++;
    if (g.wrong <= 40) {
        printf("fuzz: WRONG seed=%u call=%u: %s (result %08x, detail %08x)\n", g.opt.seed, c.index, why, result, detail);
        describe(c);
    } else if (g.wrong == 41) {
        printf("fuzz: more wrong results; only counted from here\n");
    }
}

u32 run_call(const Call& c, Entry& e) {
    if (g.opt.trace) describe(c);
    e = Entry{};
    e.eax = c.n;
    e.ebx = c.a;
    e.esi = c.b;
    e.edi = c.c;
    e.eflags = c.flags;
    e.ds = c.ds;
    e.es = c.es;
    e.fs = c.fs;
    e.gs = c.gs;
    u32 entry = 3;
    switch (c.way) {
    case kWaySite:
        e.how = kNear;
        e.target = u32(uptr(site_of(c.n)));
        entry = g.mech;
        break;
    case kWayInt: e.how = kInt; break;
    case kWayGate:
        e.how = kFar;
        e.target = 0;
        e.target_sel = g.gates[c.n] | 3;
        entry = 2;
        break;
    case kWayStub:
        e.how = kNear;
        e.target = kStubPage + c.n * kStubBytes;
        entry = 1;
        break;
    case kWaySysenter:
        e.how = kSysenter;
        entry = 1;
        break;
    default: break;
    }
    Entry in = e;
    fuzz_enter(&e);
    g.calls++;
    g.by_way[c.way]++;
    g.by_entry[entry]++;
    if (c.way == kWaySite) learn_gate(c.n);
    u32 r = e.eax;
    if (is_err(r)) {
        g.errors++;
        u32 code = 0u - r;
        g.by_code[code < 16 ? code : 15]++;
    } else {
        g.ok++;
    }
    // The ABI: what a system call leaves alone.
    if (e.esp != fuzz_expected_esp()) wrong(c, r, "ESP changed", e.esp);
    if (e.ebp != u32(uptr(&e))) wrong(c, r, "EBP changed", e.ebp);
    if (e.ebx != in.ebx || e.esi != in.esi || e.edi != in.edi) wrong(c, r, "EBX/ESI/EDI changed", e.ebx);
    // A null selector may come back as another null one: IRET and RETF to CPL 3 null a data
    // segment register whose (hidden) DPL is below 3, and a null selector's is 0 ([intel/vol2]
    // IRET, RET: "SegmentSelector <- 0"; QEMU does so for DS and ES).
    auto same = [](u32 got, u32 was) { return (got & 0xFFFF) == was || (((got | was) & 0xFFFC) == 0); };
    if (!same(e.ds, in.ds) || !same(e.es, in.es) || !same(e.fs, in.fs) || !same(e.gs, in.gs))
        wrong(c, r, "a segment register changed (after: ds es fs gs in the detail's bytes, low 8 bits each)",
              (e.ds & 0xFF) << 24 | (e.es & 0xFF) << 16 | (e.fs & 0xFF) << 8 | (e.gs & 0xFF));
    u32 f = e.eflags;
    if (!(f & kIF)) wrong(c, r, "returned with IF = 0", f);
    if (f & (kIOPL | kVM)) wrong(c, r, "returned with IOPL or VM set", f);
    if (f & ~c.flags & (kTF | kNT | kAC | kDF)) wrong(c, r, "returned with TF/NT/AC/DF the program did not set", f);
    return r;
}
}  // namespace fuzz
