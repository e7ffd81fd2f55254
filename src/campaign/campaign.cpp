#include "src/campaign/campaign.hpp"
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/limit_probe.hpp"
#include "src/arch/cpu_detect.hpp"
#include "src/arch/x86.hpp"
#include "src/campaign/plan.hpp"
#include "src/campaign/workload.hpp"
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/integrity.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/isolation.hpp"
#include "src/mm/frames.hpp"
#include "src/panic.hpp"

namespace campaign {
namespace {
constexpr u32 kProgressEvery = 1024;  // a progress line (with every count) this often
constexpr u32 kWatchdog = 5;          // ticks: 50 ms per endless loop; vga.init (it adopts the screen) needs more than 2

struct Counts {
    u32 injected, detected, contained, silent, wrong, uncontained, corruption;
};
Counts g_counts[kFaults];
u32 g_ring1_targets = 0;  // bit t: target t runs in ring 1 (plan(): it can get cli; jmp $)

// n / d without libgcc's __udivdi3 (DESIGN, "Toolchain"): shift and subtract, once per run.
u32 div64(u64 n, u32 d) {
    u64 q = 0, r = 0;
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) r -= d, q |= u64(1) << i;
    }
    return q > 0xFFFFFFFFu ? 0xFFFFFFFFu : u32(q);
}

Target* g_targets = nullptr;
u32 g_ntargets = 0;
u16 g_free_sel = 0, g_np_sel = 0;
bool g_trace = false;
u32 g_disk_damage = 0;
u32 g_repairs0 = 0;  // pit::repairs() before the first injection

// The injection under way, for the panic note.
bool g_active = false;
Plan g_plan;

// What must be the same after every injection (no slot, frame or call record leaked).
struct Baseline {
    u32 gdt_used, frames_free, kstack;
    u16 cs[drv::kMaxDrivers], ds[drv::kMaxDrivers];
};
Baseline g_base;

u32 faults_total() {
    u32 n = 0;
    for (u32 i = 1; i < drv::count(); i++) n += drv::get(i).faults;
    return n;
}

Baseline baseline() {
    Baseline b{};
    b.gdt_used = gdt::used();
    b.frames_free = frames::free_count();
    for (u32 i = 1; i < drv::count(); i++) {
        b.cs[i] = drv::get(i).cs;
        b.ds[i] = drv::get(i).ds;
    }
    return b;
}

// nullptr when nothing leaked, else what.
const char* leak() {
    if (gh_calls.top != 0) return "call record";
    if (gdt::used() != g_base.gdt_used) return "GDT slot";
    if (frames::free_count() != g_base.frames_free) return "frame";
    for (u32 i = 1; i < drv::count(); i++) {
        const drv::Driver& d = drv::get(i);
        if (d.state != drv::State::Up || !gh_drivers[i].up) return "a driver left down";
        if (d.cs != g_base.cs[i] || d.ds != g_base.ds[i]) return "selectors changed";
    }
    return nullptr;
}

// Unmuted for the campaign's own lines.
void say(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void say(const char* fmt, ...) {
    bool m = console::muted();
    console::set_muted(false);
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    console::set_muted(m);
}

void print_counts_line(const char* tag, u32 next) {
    bool m = console::muted();
    console::set_muted(false);
    kprintf("CAMPAIGN,%s,%u", tag, next);
    for (const Counts& c : g_counts)
        kprintf(",%u:%u:%u:%u:%u:%u:%u", c.injected, c.detected, c.contained, c.silent, c.wrong, c.uncontained,
                c.corruption);
    kprintf("\n");
    console::set_muted(m);
}

void panic_note() {
    if (g_active)
        say("CAMPAIGN,crash,%u,%s,%s,%u\n", g_plan.index, g_targets[g_plan.target].name, fault_name(g_plan.fault),
            g_plan.variant);
    print_counts_line("counts", g_active ? g_plan.index : 0);
}

// Writes with IF = 0: the IRQ exports must never run half-patched code.
void poke(u32 linear, const u8* bytes, u32 n) {
    u32 f = x86::eflags();
    x86::cli();
    for (u32 i = 0; i < n; i++) reinterpret_cast<volatile u8*>(uptr(linear))[i] = bytes[i];
    x86::set_eflags(f);
}

Target& other_than(const Target& t, u32 r) {
    u32 self = u32(&t - g_targets);
    u32 k = r % (g_ntargets - 1);
    return g_targets[k >= self ? k + 1 : k];
}

u16 bad_selector(BadSel kind, const Target& t, u32 r) {
    switch (kind) {
    case BadSel::KernelData: return gdt::kKernelDS;
    case BadSel::KernelCode: return gdt::kKernelCS;
    case BadSel::UserData: return gdt::kUserDS;
    case BadSel::Null: return 0;
    case BadSel::Free: return g_free_sel;
    case BadSel::NotPresent: return g_np_sel;
    case BadSel::Gate: {
        for (u32 k = 0; k < drv::gate_count(); k++)
            if (u16 g = drv::gate_at((r + k) % drv::gate_count()).gate) return g;
        return g_free_sel;
    }
    case BadSel::Tss: return gdt::kTss;
    case BadSel::Ldt: return u16((r & 0xFFF8) | 4);  // TI = 1: there is no LDT
    case BadSel::ForeignData: return other_than(t, r).driver->ds;
    default: return other_than(t, r).driver->cs;
    }
}

// Applies plan p to target t; `detail` says where, for the trace.
void inject(const Plan& p, Target& t, u32* where, u32* detail) {
    drv::Driver& d = *t.driver;
    const u32 code = d.code_base, data = d.data_base;
    *where = *detail = 0;
    switch (p.fault) {
    case Fault::CodeBitFlip:
    case Fault::CodeByteFlip: {
        u32 at = p.r[0] % d.image.code_size;
        u8 v = reinterpret_cast<const u8*>(uptr(code))[at];
        v ^= p.fault == Fault::CodeBitFlip ? u8(1u << (p.r[1] % 8)) : u8(1 + p.r[1] % 255);
        poke(code + at, &v, 1);
        *where = at;
        *detail = v;
        return;
    }
    case Fault::DataBitFlip:
    case Fault::DataByteFlip: {  // header, rodata, data, bss: not the dead stacks below them
        u32 at = d.image.data_offset + p.r[0] % d.image.data_memsz;
        u8 v = reinterpret_cast<const u8*>(uptr(data))[at];
        v ^= p.fault == Fault::DataBitFlip ? u8(1u << (p.r[1] % 8)) : u8(1 + p.r[1] % 255);
        poke(data + at, &v, 1);
        *where = at;
        *detail = v;
        return;
    }
    default: break;
    }
    if (p.fault == Fault::Pointer && p.variant == 3 && d.image.import_count()) {
        // An import's far pointer: one selector bit flipped, or a random selector.
        drvabi::Import im = d.image.import_at(p.r[0] % d.image.import_count());
        u32 slot = data + im.slot + 4;
        u16 sel = *reinterpret_cast<const u16*>(uptr(slot));
        sel = p.r[1] & 1 ? u16(sel ^ (1u << (p.r[2] % 16))) : u16(p.r[2]);
        u8 b[2] = {u8(sel), u8(sel >> 8)};
        poke(slot, b, 2);
        *where = im.slot;
        *detail = sel;
        return;
    }
    Plan q = p;
    if (q.fault == Fault::Pointer && q.variant == 3) q.variant = 0;  // no imports: a wild read instead
    // The stub goes over the first bytes of one export the workload calls. A ring-0 driver's IRQ
    // exports run with IF = 0: an endless loop there is the loop ring 0 cannot stop (not
    // injected), and so is control flow sent to a random place (stack, foreign code), which may
    // end in such a loop (seed 1, injection 51 did: pit.irq0 far-jumped into serial's code and the
    // machine hung). A ring-1 driver's run with IF = 1 (src/drv/irq_route.cpp): any export.
    u32 e = p.r[0] % t.exercised;
    bool ring0 = drv::running_mode(drv::index_of(d)) == drvabi::kRing0;
    if (ring0 && (q.fault == Fault::EndlessLoop || q.fault == Fault::Stack || q.fault == Fault::ForeignCode))
        for (u32 k = 0; k < t.exercised && t.exercised_irq[e]; k++) e = (e + 1) % t.exercised;
    StubContext c{};
    c.code_size = d.image.code_size;
    c.data_limit = d.image.data_limit();
    c.stack_bytes = d.image.data_offset;
    Target& other = other_than(t, p.r[3]);
    c.foreign_cs = other.driver->cs;
    c.foreign_code_size = other.driver->image.code_size;
    BadSel kind = bad_selector_kind(q);
    c.bad_selector = bad_selector(kind, t, p.r[3]);
    c.bad_selector_foreign = kind == BadSel::ForeignData || kind == BadSel::ForeignCode;
    Stub s = build_stub(q, c);
    u32 at = t.exercised_code[e];
    if (at + s.len > c.code_size) at = c.code_size - s.len;
    poke(code + at, s.bytes, s.len);
    *where = at;
    *detail = q.fault == Fault::BadSelector ? c.bad_selector : q.fault == Fault::ForeignCode ? c.foreign_cs : s.len;
}

const char* g_wrong_neighbour = "";  // the first neighbour whose workload failed (the uncontained line)
bool neighbours_serve(const Target& t, u32 salt) {
    bool ok = true;
    g_wrong_neighbour = "";
    for (u32 i = 0; i < g_ntargets; i++)
        if (&g_targets[i] != &t && !g_targets[i].work(salt + i, false)) {
            if (ok) g_wrong_neighbour = g_targets[i].name;
            ok = false;
        }
    return ok;
}

// Where an injection's time goes (TSC ticks: instructions in Bochs), printed at the end.
enum Phase : u32 { kInject, kFirstRun, kRestore, kSecondRun, kNeighbours, kCheck, kPhases };
const char* const kPhaseNames[] = {"inject", "first-run", "restore", "second-run", "neighbours", "check"};
u64 g_phase[kPhases];
u64 g_mark;
bool g_tsc = false;
void phase(Phase p) {
    if (!g_tsc) return;
    u64 now = x86::rdtsc();
    g_phase[p] += now - g_mark;
    g_mark = now;
}

// One injection, start to finish. Returns false when it was not contained.
bool one(u32 seed, u32 index) {
    Plan p = plan(seed, index, g_ntargets, g_ring1_targets);
    Target& t = g_targets[p.target];
    Counts& c = g_counts[u32(p.fault)];
    drv::Driver& d = *t.driver;
    g_plan = p;
    g_active = true;
    c.injected++;
    u32 f0 = faults_total(), r0 = d.restarts, timer0 = pit::repairs();
    u32 where, detail;
    phase(kCheck);
    // The trace line first: once injected, an IRQ export can run the fault while the line prints.
    if (g_trace) say("CAMPAIGN,inject,%u,%s,%s,%u,", index, t.name, fault_name(p.fault), p.variant);
    inject(p, t, &where, &detail);
    phase(kInject);
    if (g_trace) say("%x,%x\n", where, detail);
    bool w1 = t.work(p.r[1], true);
    phase(kFirstRun);
    u32 f1 = faults_total();
    bool detected = f1 != f0;
    // Restore the pristine image when the containment did not (a silent fault, or one it blamed
    // on another driver): the next injection starts clean.
    bool restored = true;
    if (d.restarts == r0) restored = drv::reload(d).ok();
    phase(kRestore);
    bool w2 = restored && t.work(~p.r[1], true);
    phase(kSecondRun);
    bool n = neighbours_serve(t, p.r[2]);
    phase(kNeighbours);
    if ((!w2 || !n) && !disk_intact()) {
        // The RAM disk outlives a restart: a fault that made the ramdisk driver (or code that
        // ran with its segments) write its disk is damage to its own device, like a disk driver
        // writing garbage to a real disk. Counted, undone from the copy, and the checks run again.
        g_disk_damage++;
        say("CAMPAIGN,disk-damaged,%u,%s,%s,%u\n", index, t.name, fault_name(p.fault), p.variant);
        restore_disk();
        w2 = restored && t.work(~p.r[1], true);
        n = neighbours_serve(t, p.r[2]);
    }
    if (pit::repairs() != timer0)  // the timer reprogrammed (by a faulty pit driver) and repaired
        say("CAMPAIGN,timer-damaged,%u,%s,%s,%u\n", index, t.name, fault_name(p.fault), p.variant);
    const char* leaked = leak();
    bool again = faults_total() != f1;  // a fault while checking: the restore did not take
    bool good = w2 && n && !leaked && !again;
    const char* cls;
    if (detected) {
        c.detected++;
        if (good) c.contained++, cls = "contained";
        else c.uncontained++, cls = "uncontained";
    } else {
        c.silent++;
        if (!w1) c.wrong++;
        if (good) cls = w1 ? "silent" : "silent-wrong";
        else c.uncontained++, cls = "not-restored";
    }
    if (!good) {
        drv::LastFault lf = drv::last_contained();
        say("CAMPAIGN,uncontained,%u,%s,%s,%u,%s%s%s%s%s%s (last fault: vector %u at %04x:%08x, %s)\n", index, t.name,
            fault_name(p.fault), p.variant, !restored ? "reload failed " : !w2 ? "driver serves wrong answers " : "",
            n ? "" : "a neighbour serves wrong answers: ", n ? "" : g_wrong_neighbour, leaked ? " " : "",
            leaked ? leaked : "", again ? " fault while checking" : "", u32(lf.vector), u32(lf.cs), lf.eip,
            lf.driver ? lf.driver : "-");
    }
    if (g_trace) say("CAMPAIGN,result,%u,%s,%s\n", index, fault_name(p.fault), cls);
    g_active = false;
    if (leaked) g_base = baseline();  // report each leak once
    return good;
}

struct Window {
    drv::Snapshot ref;
    u32 first, ticks;
};

// The checksummed set, the disk and the clock, against the state before the first injection.
// False (after a report) when something changed; the reference then moves on, so one change is
// reported once.
bool check(Window& w, u32 last, Fault f) {
    bool ok = true;
    drv::Snapshot now = drv::snapshot(nullptr);
    if (!(now == w.ref)) {
        say("CAMPAIGN,corrupt,%u,%u,%s\n", w.first, last, drv::snapshot_diff(w.ref, now));
        g_counts[u32(f)].corruption++;
        w.ref = now;
        ok = false;
    }
    if (!disk_intact()) {
        // The RAM disk belongs to the ramdisk driver: a fault that made it write is its own
        // damage, reported, and undone so the later comparisons mean something.
        say("CAMPAIGN,disk-damaged,%u,%u,window\n", w.first, last);
        g_disk_damage++;
        restore_disk();
    }
    u32 t = pit::ticks();
    if (t == w.ticks) {
        say("CAMPAIGN,corrupt,%u,%u,clock stopped\n", w.first, last);
        g_counts[u32(f)].corruption++;
        ok = false;
    }
    w.ticks = t;
    w.first = last + 1;
    return ok;
}

void print_table(u32 injections, u32 ms, u32 tsc_per) {
    for (u32 f = 0; f < kFaults; f++) {
        const Counts& c = g_counts[f];
        say("CAMPAIGN,fault,%s,%u,%u,%u,%u,%u,%u,%u\n", fault_name(Fault(f)), c.injected, c.detected, c.contained,
            c.silent, c.wrong, c.uncontained, c.corruption);
    }
    Counts all{};
    say("campaign: %-17s %9s %9s %9s %9s %9s %9s %9s\n", "fault", "injected", "detected", "contained", "silent",
        "(wrong)", "uncontnd", "corrupt");
    for (u32 f = 0; f < kFaults; f++) {
        const Counts& c = g_counts[f];
        say("campaign: %-17s %9u %9u %9u %9u %9u %9u %9u\n", fault_name(Fault(f)), c.injected, c.detected,
            c.contained, c.silent, c.wrong, c.uncontained, c.corruption);
        all.injected += c.injected, all.detected += c.detected, all.contained += c.contained;
        all.silent += c.silent, all.wrong += c.wrong, all.uncontained += c.uncontained;
        all.corruption += c.corruption;
    }
    if (g_ring1_targets != (1u << g_ntargets) - 1)
        say("campaign: %-17s only into ring-1 targets: in ring 0 cli; jmp $ needs an NMI source to stop\n",
            fault_name(Fault::EndlessLoopIf0));
    say("campaign: %-17s %9u %9u %9u %9u %9u %9u %9u\n", "total", all.injected, all.detected, all.contained,
        all.silent, all.wrong, all.uncontained, all.corruption);
    say("campaign: kernel crashes and hangs end a boot: tools/campaign.py counts them and resumes\n");
    say("campaign: the RAM disk written by a faulty ramdisk (or code on its segments) and restored: %u times\n",
        g_disk_damage);
    say("campaign: the timer reprogrammed by a faulty pit driver (its own device's ports) and programmed again: %u times\n",
        pit::repairs() - g_repairs0);
    say("campaign: %u injections in %u ms of emulated time%s", injections, ms, tsc_per ? "" : "\n");
    if (tsc_per) say(", %u TSC ticks each (instructions, in Bochs)\n", tsc_per);
}
}  // namespace

bool run(const Options& o) {
    if (!workload_init()) {
        say("campaign: not run: the workload's drivers are not loaded\n");
        return false;
    }
    g_ntargets = targets(&g_targets);
    for (u32 i = 0; i < g_ntargets && i < 32; i++)
        if (drv::running_mode(drv::index_of(*g_targets[i].driver)) != drvabi::kRing0) g_ring1_targets |= 1u << i;
    auto np = gdt::alloc("campaign", desc::segment(0x1000, 0xFFF, desc::Kind::DataRW, 0) & ~(u64(1) << 47));
    for (u16 i = gdt::kMaxEntries - 1; i > gdt::kFixedEntries && !g_free_sel; i--)
        if (!gdt::owner(gdt::selector(i, 0))) g_free_sel = gdt::selector(i, 0);
    if (!np.ok() || !g_free_sel) {
        say("campaign: not run: no GDT room for its selectors\n");
        return false;
    }
    g_np_sel = np.value();
    g_trace = o.campaign_trace;
    drv::set_watchdog_ticks(kWatchdog);
    set_panic_note(panic_note);
    if (!limits::enforced())
        say("campaign: segment limits are NOT enforced here (QEMU): limit faults go unnoticed or trample memory; "
            "run it in Bochs (make campaign)\n");

    // Warm up: every workload once (patched call sites get patched), then the references.
    bool warm = true;
    for (u32 i = 0; i < g_ntargets; i++) warm &= g_targets[i].work(i, true);
    if (!warm) {
        say("campaign: not run: the workload fails before any injection\n");
        return false;
    }
    g_base = baseline();
    g_repairs0 = pit::repairs();
    Window w{drv::snapshot(nullptr), o.campaign_from, pit::ticks()};
    say("CAMPAIGN,begin,%u,%u,%u,%u,%u\n", o.seed, o.campaign_from, o.campaign, o.campaign_check, g_ntargets);
    for (u32 i = 0; i < g_ntargets; i++)
        say("CAMPAIGN,target,%s,cs=0x%04x,ds=0x%04x,code=%u,data=%u,exercised=%u,ring=%u,domain=%u\n", g_targets[i].name,
            u32(g_targets[i].driver->cs), u32(g_targets[i].driver->ds), g_targets[i].driver->image.code_size,
            g_targets[i].driver->image.data_memsz, g_targets[i].exercised,
            u32(drv::cpl_of(drv::running_mode(drv::index_of(*g_targets[i].driver)))),
            u32(drv::is_domain(drv::index_of(*g_targets[i].driver))));

    const bool tsc = cpu::info().tsc;
    const u64 tsc0 = tsc ? x86::rdtsc() : 0;
    g_tsc = tsc;
    g_mark = tsc0;
    const u32 ms0 = pit::ms_since_boot();
    console::set_muted(true);  // the fault reports too (trace: the CAMPAIGN lines say enough)
    bool ok = true;
    u32 done = 0;
    for (u32 i = o.campaign_from; done < o.campaign; i++) {
        ok &= one(o.seed, i);
        done++;
        bool last = done == o.campaign;
        if (done % o.campaign_check == 0 || last) ok &= check(w, i, g_plan.fault);
        if (done % kProgressEvery == 0 && !last) print_counts_line("progress", i + 1);
    }
    console::set_muted(false);
    u32 ms = pit::ms_since_boot() - ms0;
    u32 tsc_per = tsc ? div64(x86::rdtsc() - tsc0, done ? done : 1) : 0;
    set_panic_note(nullptr);
    print_counts_line("counts", o.campaign_from + done);
    say("CAMPAIGN,end,%u,%u,%u,%u,%u\n", o.campaign_from, o.campaign_from + done, done, ms, tsc_per);
    if (tsc) {
        say("CAMPAIGN,phases");
        for (u32 i = 0; i < kPhases; i++) say(",%s=%u", kPhaseNames[i], div64(g_phase[i], done ? done : 1));
        say("\n");
    }
    print_table(done, ms, tsc_per);
    say("campaign: %s\n", ok ? "every detected fault contained, nothing leaked, the checksummed set unchanged"
                             : "FAILED: see the CAMPAIGN,uncontained and CAMPAIGN,corrupt lines");
    return ok;
}

}  // namespace campaign
