#include "src/drv/isolation.hpp"
#include "src/drv/domains.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/drv/registry.hpp"

namespace drv {
namespace {
Isolation g_iso[kMaxDrivers];
Options g_opts;  // only the drvring fields are used
bool g_used[Options::kMaxRingOverrides];
const iopb::PortSet kNoPorts{};

// The listing's spelling (the command line's words, "ring" added to the numbers).
const char* token(drvabi::Mode m) { return m == drvabi::kRing0 ? "ring0" : m == drvabi::kRing1 ? "ring1" : "domains"; }
}  // namespace
}  // namespace drv

u32 gh_io_open = drv::kNoDriver;  // the ring-1 stubs compare and save it (src/drv/stub_template1.inc)

namespace drv {

drvabi::Mode running_mode(u32 driver) {
    if (driver == 0 || driver >= kMaxDrivers) return drvabi::kRing0;
    // A domain whose copy of the GDT could not be made runs in ring 1 (said at load).
    if (g_iso[driver].effective == drvabi::kRing1Domains && !is_domain(driver)) return drvabi::kRing1;
    return g_iso[driver].effective;
}

void set_mode_options(const Options& o) { g_opts = o; }
void set_effective_mode(u32 driver, drvabi::Mode m) {
    if (driver == 0 || driver >= kMaxDrivers) return;
    g_iso[driver].effective = m;
    g_iso[driver].overridden = m != g_iso[driver].requested;
}

void setup_isolation(const Driver& d) {
    Isolation& s = g_iso[index_of(d)];
    s.requested = drvabi::Mode(d.image.header.mode);
    const drvabi::Mode* o = ring_override(g_opts, Str(d.name));
    s.overridden = o != nullptr;
    s.effective = o ? *o : s.requested;
    for (u32 i = 0; i < g_opts.drvring_count; i++)
        if (g_opts.drvring_for[i].driver.eq(Str(d.name))) g_used[i] = true;
    iopb::Range r[iopb::kMaxRanges];
    s.ports = iopb::encode(r, port_ranges(d.image, r));
}

void report_unused_overrides() {
    for (u32 i = 0; i < g_opts.drvring_count; i++)
        if (!g_used[i])
            kprintf("drvring: no driver '%.*s' was loaded; its override is unused\n", int(g_opts.drvring_for[i].driver.n),
                    g_opts.drvring_for[i].driver.p);
}

const Isolation& isolation(u32 driver) { return g_iso[driver < kMaxDrivers ? driver : 0]; }

const char* mode_name(drvabi::Mode m) {
    switch (m) {
    case drvabi::kRing0: return "ring 0";
    case drvabi::kRing1: return "ring 1";
    case drvabi::kRing1Domains: return "ring 1 + domains";
    }
    return "?";
}

void print_isolation(const Driver& d) {
    u32 i = index_of(d);
    if (i == 0) return;  // the kernel: ring 0 by definition, every port
    const Isolation& s = g_iso[i];
    kprintf("driver:   mode requested=%s effective=%s%s running=%s", token(s.requested), token(s.effective),
            s.overridden ? " (drvring=)" : " (image)", token(running_mode(i)));
    if (s.effective != running_mode(i))
        kprintf(": %s requested, running in %s (no memory for its GDT)", mode_name(s.effective),
                mode_name(running_mode(i)));
    if (const GdtrImage* g = domain_gdtr(i)) kprintf(" (its GDT at %08x)", g->base);
    kprintf("\n");
    kprintf("driver:   ports");
    if (d.image.port_count() == 0) kprintf(" none");
    for (u32 k = 0; k < d.image.port_count(); k++) {
        drvabi::PortRange r = d.image.port_at(k);
        if (r.count == 1) kprintf(" 0x%x", u32(r.base));
        else kprintf(" 0x%x-0x%x", u32(r.base), u32(r.base) + r.count - 1);
    }
    kprintf(" (%u bitmap byte%s; %s)\n", s.ports.count, s.ports.count == 1 ? "" : "s",
            gh_io_open == i ? "open in the TSS I/O bitmap now" : "closed in the TSS I/O bitmap");
}

u32 switch_io_ports(u32 driver) {
    if (driver != kNoDriver && driver >= kMaxDrivers) return 0;
    // IF = 0 across the writes: a thread switch in the middle could run ring 3 on a map that still
    // has the old driver's bytes open.
    u32 flags = x86::eflags();
    x86::cli();
    const iopb::PortSet& from = gh_io_open == kNoDriver ? kNoPorts : g_iso[gh_io_open].ports;
    const iopb::PortSet& to = driver == kNoDriver ? kNoPorts : g_iso[driver].ports;
    gh_io_open = driver;
    u32 written = iopb::switch_ports(tss::io_map(), from, to);
    x86::set_eflags(flags);
    return written;
}

u32 io_ports_open_for() { return gh_io_open; }
}  // namespace drv
