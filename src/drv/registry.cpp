#include "src/drv/registry.hpp"
#include "src/drv/audience.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/contain.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/call_site.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/imports.hpp"
#include "src/drv/irq_route.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/kernel_services.hpp"
#include "src/drv/stub_fill.hpp"
#include "src/drv/stubs.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"
#include "src/proc/process.hpp"

// The state the gate stubs share (src/drv/gate_layout.hpp).
drv::Calls gh_calls;
u32 gh_call_guards[(drv::kMaxRecords + 31) / 32];
drv::DriverRt gh_drivers[drv::kMaxDrivers];
drv::StackEntry gh_driver_stacks[drv::kMaxDrivers][drv::kMaxSlots];
drv::ExportRt gh_exports[drv::kMaxExportIds];
u32 gh_entry_stubs[drv::kMaxExportIds];

namespace drv {
namespace {
Driver g_drivers[kMaxDrivers];
u32 g_count = 0;
GateDirectory<kMaxExportIds> g_dir;

constexpr u32 page_round(u32 n) { return (n + 0xFFF) & ~0xFFFu; }


void copy_name(char* dst, Str s) {
    u32 n = s.n < kMaxNameLen ? u32(s.n) : kMaxNameLen;
    for (u32 i = 0; i < n; i++) dst[i] = s.p[i];
    dst[n] = '\0';
}

// One export: an id, its entry stub, a DPL-0 call gate to the stub, a directory entry. A driver's
// export k has thunk k after the driver's code (src/drv/stub_fill.hpp); its stub is written when
// the driver comes up (set_runtime).
Result<u32> add_export(u32 driver, Str name, u32 code, drvabi::Audience who) {
    u32 id = g_dir.next_id();
    if (id == kMaxExportIds || g_dir.find(name)) return Err::Invalid;
    const Driver& d = g_drivers[driver];
    gh_exports[id] = {driver, code, driver == kKernelDriver ? 0 : thunk_offset(d.image.code_size, id - d.first_export), 0};
    set_entry(id);
    // DPL 0: the kernel's and ring-0 drivers' way in. A ring-1 driver reaches only the exports it
    // imports, each through a gate of its own (link_imports): this one is #GP at CPL 1.
    u16 gate = TRY(gdt::alloc(g_drivers[driver].name, desc::call_gate(gdt::kKernelCS, gh_entry_stubs[id], 0)));
    auto added = g_dir.add(name, gate);
    if (!added.ok()) {
        (void)gdt::release(gate);
        return added.error();
    }
    set_audience(id, who);
    return id;
}

// A driver asking for a GDT domain gets its copy once it is counted (by_name finds it: the
// copies tell its descriptors from others' by owner); without memory for one it runs in ring 1.
void setup_domain(Driver& d) {
    if (isolation(index_of(d)).effective != drvabi::kRing1Domains) return;
    if (!enter_domains(index_of(d)).ok()) kprintf("drivers: %s: no memory for its GDT domain; it runs in ring 1\n", d.file);
}

void report(const char* file, const char* why) { kprintf("drivers: %s: %s; skipped\n", file, why); }

// Copy the pristine image into the driver's memory: code, zeroed stacks and bss, data.
// Dword-wise where it can (the module's bytes need not be aligned; the segments are pages).
void copy_bytes(u8* dst, const u8* src, u32 n) {
    x86::copy_dwords(dst, src, n / 4);
    for (u32 i = n & ~3u; i < n; i++) dst[i] = src[i];
}
void place(Driver& d) {
    auto* code = reinterpret_cast<u8*>(uptr(d.code_base));
    auto* data = reinterpret_cast<u8*>(uptr(d.data_base));
    copy_bytes(code, d.image.code, d.image.code_size);
    x86::zero_dwords(data, d.data_bytes / 4);  // data_bytes: whole pages
    copy_bytes(data + d.image.data_offset, d.image.data, d.image.data_filesz);
}

// The stubs' view of the driver and its stack table; its stubs written (up) or refusing.
void set_runtime(Driver& d, bool up, u32 extra_id = kMaxExportIds) {
    u32 di = index_of(d);
    DriverRt& rt = gh_drivers[di];
    rt.ring = cpl_of(running_mode(di));
    rt.domain = is_domain(di);
    rt.cs = d.cs | rt.ring;
    rt.ds = u16(d.ds | rt.ring);
    rt.slot_bytes = d.image.header.stack_slot_bytes;
    rt.slot_count = d.image.header.stack_slots;
    for (u32 i = 0; i < kMaxSlots; i++)
        gh_driver_stacks[di][i] = {i < rt.slot_count ? (i + 1) * rt.slot_bytes : 0, rt.ds, 0, {0, 0}};
    rt.up = up;
    if (up) stubs_up(d, extra_id);
    else stubs_down(d);
}

Result<void> run_init(Driver& d) {
    if (!d.image.header.init) return {};
    // A temporary export id would need a gate; init runs through the first export's machinery
    // instead: point a spare id at it.
    u32 id = g_dir.next_id();
    if (id == kMaxExportIds) return Err::NoMemory;
    gh_exports[id] = {index_of(d), d.image.header.init, thunk_offset(d.image.code_size, d.image.export_count()), 0};
    set_entry(id);
    stubs_up(d, id);
    u16 gate = TRY(gdt::alloc(d.name, desc::call_gate(gdt::kKernelCS, gh_entry_stubs[id], 0)));
    d.initializing = true;
    u32 r = gh_call_gate(gate, 0, 0, 0);
    d.initializing = false;
    (void)gdt::release(gate);
    return drvabi::is_error(r) ? Result<void>(Err::Fault) : Result<void>();
}

// Memory, selectors, the placed image and the exports for driver slot `index`; nullptr, or why not.
const char* allocate(Driver& d, u32 index) {
    const Image& image = d.image;
    const char* file = d.file;
    auto code = frames::alloc_run(d.code_bytes);
    auto data = frames::alloc_run(d.data_bytes);
    if (!code.ok() || !data.ok()) {
        if (code.ok()) frames::free_run(code.value(), d.code_bytes);
        if (data.ok()) frames::free_run(data.value(), d.data_bytes);
        return "no contiguous memory for its segments";
    }
    d.code_base = u32(uptr(mm::p2v(code.value())));  // segment bases are linear: the direct map
    d.data_base = u32(uptr(mm::p2v(data.value())));
    // Code: base = the code, limit = its end (the code, then a thunk per export and one for
    // init); data: stacks at offset 0, then data and bss.
    // DPL: the ring it runs in (docs/drivers.md, "Ring 1").
    u8 dpl = cpl_of(running_mode(index));
    auto cs = gdt::alloc(d.name, desc::segment(d.code_base, code_limit(d) - 1, desc::Kind::CodeRX, dpl));
    auto ds = gdt::alloc(d.name, desc::segment(d.data_base, image.data_limit(), desc::Kind::DataRW, dpl));
    if (!cs.ok() || !ds.ok()) {
        if (cs.ok()) (void)gdt::release(cs.value());
        if (ds.ok()) (void)gdt::release(ds.value());
        frames::free_run(code.value(), d.code_bytes);
        frames::free_run(data.value(), d.data_bytes);
        return "GDT full";
    }
    d.cs = cs.value();
    d.ds = ds.value();
    place(d);
    d.first_export = g_dir.next_id();
    d.export_count = 0;
    for (u32 i = 0; i < image.export_count(); i++) {
        drvabi::Export e = image.export_at(i);
        Str name;
        image.string_at(e.name, &name);
        if (!add_export(index, name, e.code, effective_audience(name, e.audience)).ok()) {
            kprintf("drivers: %s: export '%.*s' not registered (duplicate or table full)\n", file, int(name.n), name.p);
            continue;
        }
        d.export_count++;
    }
    return nullptr;
}

// Validate, allocate memory and selectors, place the image, register the exports.
void load_one(const char* file, const u8* bytes, u32 size) {
    if (g_count == kMaxDrivers) return report(file, "too many drivers");
    Image image;
    const char* why = nullptr;
    if (!parse_image(bytes, size, &image, &why)) return report(file, why);
    if (by_name(image.name)) return report(file, "a driver of that name is already loaded");

    Driver& d = g_drivers[g_count];
    d = Driver{};
    copy_name(d.name, image.name);
    d.file = file;
    d.image = image;
    d.file_bytes = bytes;
    d.file_size = size;
    d.code_bytes = page_round(code_limit(d));
    d.data_bytes = page_round(image.data_offset + image.data_memsz);
    setup_isolation(d);  // before allocate: the mode decides the descriptors' DPL
    if (const char* why = allocate(d, g_count)) return report(file, why);
    d.state = State::Failed;  // up once its imports resolve
    g_count++;
    setup_domain(d);
}

void route_irqs(u32 from = 0) {
    for (u32 id = from; id < g_dir.count(); id++) route_irq_export(g_dir.at(id).name, g_dir.at(id).export_id, g_dir.at(id).gate);
}

}  // namespace

bool callable(u32 driver) {
    if (driver >= g_count || !gh_drivers[driver].up) return false;
    return !in_flight(driver);
}

u32 count() { return g_count; }
u32 code_limit(const Driver& d) { return code_extent(d.image.code_size, d.image.export_count() + 1); }
Driver& get(u32 index) { return g_drivers[index]; }
u32 index_of(const Driver& d) { return u32(&d - g_drivers); }

Driver* by_cs(u16 cs) {
    for (u32 i = 1; i < g_count; i++)
        if (g_drivers[i].state != State::Empty && g_drivers[i].cs == (cs & ~3)) return &g_drivers[i];
    return nullptr;
}

Driver* by_name(Str name) {
    for (u32 i = 0; i < g_count; i++)
        if (Str(g_drivers[i].name).eq(name)) return &g_drivers[i];
    return nullptr;
}

bool owns_selector(const Driver& d, u16 sel) {
    sel &= ~3;
    if (sel == d.cs || sel == d.ds) return true;
    for (u32 i = d.first_export; i < d.first_export + d.export_count; i++)
        if (g_dir.at(i).gate == sel) return true;
    for (u16 gate : d.import_gate)
        if (gate && gate == sel) return true;
    return false;
}

const GateEntry* find_gate(Str name) { return g_dir.find(name); }
u32 gate_count() { return g_dir.count(); }
const GateEntry& gate_at(u32 i) { return g_dir.at(i); }

u32 call(const char* name, u32 a, u32 b, u32 c) {
    const GateEntry* g = find_gate(name);
    if (!g) return drvabi::error_result(u32(Err::NotFound));
    return gh_call_gate(g->gate, a, b, c);
}

void init(const mb::Info& info) {
    init_domains();
    if (!init_stubs().ok()) kprintf("drivers: no GDT entry for the ring-1 return gate; ring-1 drivers cannot return\n");
    // Driver 0: the kernel. Flat segments, services on the thread's kernel stack.
    Driver& k = g_drivers[0];
    copy_name(k.name, "kernel");
    k.file = "kernel";
    k.state = State::Up;
    k.cs = gdt::kKernelCS;
    k.ds = gdt::kKernelDS;
    g_count = 1;
    gh_drivers[0] = DriverRt{};
    gh_drivers[0].cs = gdt::kKernelCS;
    gh_drivers[0].ds = gdt::kKernelDS;
    gh_drivers[0].up = 1;
    k.first_export = 0;
    for (u32 i = 0; i < kKernelServiceCount; i++)
        if (add_export(0, kKernelServices[i].name, u32(uptr(reinterpret_cast<void*>(kKernelServices[i].fn))),
                       drvabi::kForDrivers).ok())
            k.export_count++;

    if (info.flags & mb::kMods) {
        auto* mods = mm::p2v<const mb::Module>(info.mods_addr);
        constexpr u32 kMaxModules = mb::kMaxModules;  // each of them reserved (boot_info.cpp)
        if (info.mods_count > kMaxModules)
            kprintf("drivers: %u boot modules; only the first %u are looked at\n", info.mods_count, kMaxModules);
        for (u32 i = 0; i < info.mods_count && i < kMaxModules; i++) {
            const char* file = mods[i].string && mm::in_direct_map(mods[i].string) ? mm::p2v<const char>(mods[i].string) : "?";
            Str f(file);
            if (f.eq("disk.img")) {
                set_disk_module(u32(uptr(mm::p2v(mods[i].start))), mods[i].end - mods[i].start);
                continue;
            }
            if (f.n > 4 && f.sub(f.n - 4).eq(".elf") && mods[i].end >= mods[i].start && mm::in_direct_map(mods[i].end)) {
                proc::register_module(file, mm::p2v<const u8>(mods[i].start), mods[i].end - mods[i].start);
                continue;
            }
            if (f.n < 4 || !f.sub(f.n - 4).eq(".drv")) continue;
            if (mods[i].end < mods[i].start) {
                report(file, "module ends before it starts");
                continue;
            }
            if (!mm::in_direct_map(mods[i].end)) {
                report(file, "module above the direct map");
                continue;
            }
            load_one(file, mm::p2v<const u8>(mods[i].start), mods[i].end - mods[i].start);
        }
    }
    // Imports may name drivers loaded after the importer: resolve once all are in.
    for (u32 i = 1; i < g_count; i++) {
        Driver& d = g_drivers[i];
        if (!link_imports(d)) {
            report(d.file, "unresolved imports");
            (void)unload(d);
            continue;
        }
        d.state = State::Up;
        set_runtime(d, true);
    }
    for (u32 i = 1; i < g_count; i++) {
        Driver& d = g_drivers[i];
        if (d.state == State::Up && !run_init(d).ok()) {
            kprintf("drivers: %s: init failed; unloaded\n", d.file);
            (void)unload(d);
        }
    }
    route_irqs();
    u32 up = 0;
    for (u32 i = 1; i < g_count; i++) up += g_drivers[i].state == State::Up;
    kprintf("drivers: %u loaded, %u exports in the gate directory\n", up, g_dir.count());
}

namespace {
bool reaches_timer(const Image& img) {
    for (u32 i = 0; i < img.port_count(); i++)
        if (pit::reaches_channel0(img.port_at(i).base, img.port_at(i).count)) return true;
    return false;
}
}  // namespace

Result<void> reload(Driver& d, bool count_restart) {
    if (index_of(d) == 0 || d.state == State::Empty) return Err::Invalid;
    if (reaches_timer(d.image)) pit::program_again();  // the tick's period as the kernel set it (pit.hpp)
    set_runtime(d, false);
    place(d);
    if (!link_imports(d)) return Err::NotFound;
    if (count_restart) d.restarts++;
    d.state = State::Up;
    set_runtime(d, true);
    return run_init(d);
}

Result<void> load_again(Driver& d) {
    if (index_of(d) == 0 || d.state != State::Empty) return Err::Invalid;
    if (allocate(d, index_of(d))) return Err::NoMemory;
    setup_domain(d);
    d.state = State::Failed;
    if (!link_imports(d)) {
        (void)unload(d);
        return Err::NotFound;
    }
    d.state = State::Up;
    set_runtime(d, true);
    route_irqs(d.first_export);
    if (!run_init(d).ok()) {
        (void)unload(d);
        return Err::Fault;
    }
    return {};
}

Result<void> unload(Driver& d) {
    if (index_of(d) == 0 || d.state == State::Empty) return Err::Invalid;
    if (in_flight(index_of(d))) return Err::Busy;  // a call into it is in flight
    for (u32 i = 1; i < g_count; i++) {
        const Driver& other = g_drivers[i];
        if (&other == &d || other.state != State::Up) continue;
        for (u32 k = 0; k < other.image.import_count(); k++)
            if (gh_exports[other.import_export[k]].driver == index_of(d)) return Err::Busy;
    }
    set_runtime(d, false);
    for (u32 i = d.first_export; i < d.first_export + d.export_count; i++) {
        u16 gate = g_dir.at(i).gate;
        unroute_gate(gate);
        (void)gdt::release(gate);
        g_dir.remove(i);
    }
    release_import_gates(d);
    (void)gdt::release(d.cs);
    (void)gdt::release(d.ds);
    leave_domains(index_of(d));
    frames::free_run(mm::v2p(reinterpret_cast<void*>(uptr(d.code_base))), d.code_bytes);
    frames::free_run(mm::v2p(reinterpret_cast<void*>(uptr(d.data_base))), d.data_bytes);
    d.state = State::Empty;
    d.cs = d.ds = 0;
    return {};
}


void print() {
    kprintf("drivers: %u (index 0 is the kernel), %u gates, %u patched call sites\n", g_count, g_dir.count(), patched_sites());
    kprintf("drivers: IRQs that came again while their ring-1 handlers ran: %u (handlers repeated), %u dropped; "
            "watchdog stops %u; the timer found reprogrammed and programmed again %u times, and programmed again at "
            "%u restarts of a driver whose ports reach it\n",
            irq_repeats(), irq_dropped(), watchdog_stops(), pit::repairs(), pit::resets());
    for (u32 i = 0; i < g_count; i++) {
        const Driver& d = g_drivers[i];
        if (d.state == State::Empty) continue;
        kprintf("driver: %s file=%s cs=0x%04x ds=0x%04x code=%08x+%x data=%08x+%x stacks=%ux%u state=%s aborted=%u "
                "restarts=%u faults=%u\n",
                d.name, d.file, u32(d.cs), u32(d.ds), d.code_base, code_limit(d), d.data_base,
                d.image.data_offset + d.image.data_memsz, d.image.header.stack_slots,
                d.image.header.stack_slot_bytes, d.state == State::Up ? "up" : "failed", gh_drivers[i].aborted,
                d.restarts, d.faults);
        print_isolation(d);
        for (u32 e = d.first_export; e < d.first_export + d.export_count; e++)
            if (const GateEntry& g = g_dir.at(e); g.gate)
                kprintf("driver:   gate 0x%04x -> %.*s (entry stub %08x, code offset %x) for %s, %u refused\n", u32(g.gate),
                        int(g.name.n), g.name.p, gh_entry_stubs[e], gh_exports[e].code, audience_name(audience(e)),
                        refused(e));
        print_imports(d);
    }
}

Str find_export_name(u32 export_id) { return g_dir.at(export_id).name; }

}  // namespace drv
