#include "src/drv/stubs.hpp"
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/stub_fill.hpp"
#include "src/lib/result.hpp"
#include "src/panic.hpp"

extern "C" {
extern const u8 gh_stub_template[], gh_stub1_template[], gh_stubd_template[];
extern const u32 gh_stub_template_bytes, gh_stub_back_offset, gh_stub_patch_count;
extern const u32 gh_stub1_template_bytes, gh_stub1_patch_count, gh_stub_slot_bytes;
extern const u32 gh_stubd_template_bytes, gh_stubd_patch_count;
extern const drv::StubPatch gh_stub_patches[], gh_stub1_patches[], gh_stubd_patches[];
void gh_domain_back();
}

namespace drv {
namespace {
u16 g_ring1_return_gate = 0;  // the DPL-1 call gate every ring-1 thunk returns through
u16 g_domain_return_gate = 0; // ... and every thunk of a driver in a GDT domain (gh_domain_back)

u8* stub(u32 id) { return gh_stub_area + id * kStubBytes; }

void write_stub(u32 id) {
    const ExportRt& e = gh_exports[id];
    DriverRt& rt = gh_drivers[e.driver];
    u32 stacks = u32(uptr(&gh_driver_stacks[e.driver][0]));
    u32 limit = rt.slot_count * u32(sizeof(CallRecord));
    bool ok;
    if (rt.ring == 0) {
        const StubValue v[] = {{kPhId, id}, {kPhStacks, stacks}, {kPhLimit, limit}, {kPhDs, u32(uptr(&rt.ds))},
                               {kPhThunk, e.thunk}, {kPhCs, rt.cs}};
        ok = fill_stub(stub(id), gh_stub_template, gh_stub_template_bytes, gh_stub_patches, gh_stub_patch_count, v,
                       sizeof v / sizeof v[0]);
    } else {
        u32 ports = isolation(e.driver).ports.count ? e.driver : kNoDriver;
        const GdtrImage* gdtr = domain_gdtr(e.driver);
        const StubValue v[] = {{kPh1Id, id},         {kPh1Stacks, stacks},       {kPh1StacksSs, stacks + 4},
                               {kPh1Limit, limit},   {kPh1Ds, u32(uptr(&rt.ds))}, {kPh1Thunk, e.thunk},
                               {kPh1Cs, rt.cs},      {kPh1Ports, ports},          {kPhdGdtr, u32(uptr(gdtr))}};
        if (gdtr)
            ok = fill_stub(stub(id), gh_stubd_template, gh_stubd_template_bytes, gh_stubd_patches, gh_stubd_patch_count,
                           v, sizeof v / sizeof v[0]);
        else
            ok = fill_stub(stub(id), gh_stub1_template, gh_stub1_template_bytes, gh_stub1_patches, gh_stub1_patch_count,
                           v, sizeof v / sizeof v[0] - 1);
    }
    if (!ok) panic("gate: a stub template and its patch table disagree (src/drv/stub_template*.inc)");
}

void write_thunk(const Driver& d, u32 id) {
    const ExportRt& e = gh_exports[id];
    u8* at = reinterpret_cast<u8*>(uptr(d.code_base + e.thunk));
    if (gh_drivers[e.driver].ring == 0)
        encode_thunk(at, e.thunk, e.code, gdt::kKernelCS, u32(uptr(stub(id))) + gh_stub_back_offset);
    else
        encode_thunk1(at, e.thunk, e.code, u16((is_domain(e.driver) ? g_domain_return_gate : g_ring1_return_gate) | 1));
}

void up_one(const Driver& d, u32 id) {
    write_thunk(d, id);
    write_stub(id);
}
}  // namespace

Result<void> init_stubs() {
    if (gh_stub_slot_bytes != kStubBytes) panic("gate: STUB_BYTES (stub_template.inc) is not kStubBytes (stub_fill.hpp)");
    g_ring1_return_gate = TRY(gdt::alloc("ring1-return", desc::call_gate(gdt::kKernelCS, u32(uptr(&gh_ring1_back)), 1)));
    // Present only in the domains' copies (src/drv/domains.cpp): no plain ring-1 driver on the
    // kernel's table can call it. Both ways back find the esp0 at the same place, and a domain's
    // stray call through the ring-1 gate leaves its GDT loaded, which the next segment load shows
    // (a contained fault in the way back). Before, the campaign's seed 51 set TSS.esp0 to
    // &gh_gdtr_main through such a call.
    constexpr u64 kPresent = u64(1) << desc::kPShift;
    g_domain_return_gate =
        TRY(gdt::alloc("domain-return", desc::call_gate(gdt::kKernelCS, u32(uptr(&gh_domain_back)), 1) & ~kPresent));
    return {};
}
u16 ring1_return_gate() { return g_ring1_return_gate; }
u16 domain_return_gate() { return g_domain_return_gate; }

void set_entry(u32 id) {
    bool kernel = gh_exports[id].driver == kKernelDriver;
    gh_entry_stubs[id] = kernel ? gh_kernel_stubs[id] : u32(uptr(stub(id)));
    if (kernel) return;
    u32 flags = x86::eflags();
    x86::cli();
    encode_refuse(stub(id), drvabi::error_result(u32(Err::Unsupported)));  // until it is up
    x86::set_eflags(flags);
}

// Stubs and thunks are rewritten with IF = 0: an IRQ whose handler is an export of this driver
// would otherwise run a half-written stub (found by the ring-1 campaign slice, seed 8, injection
// 20: null.irq0's stub ran with a placeholder still in it while the campaign reloaded null: #PF).
void stubs_up(const Driver& d, u32 extra) {
    u32 flags = x86::eflags();
    x86::cli();
    for (u32 id = d.first_export; id < d.first_export + d.export_count; id++) up_one(d, id);
    if (extra < kMaxExportIds) up_one(d, extra);
    x86::set_eflags(flags);
}

void stubs_down(const Driver& d) {
    u32 flags = x86::eflags();
    x86::cli();
    for (u32 id = d.first_export; id < d.first_export + d.export_count; id++)
        encode_refuse(stub(id), drvabi::error_result(u32(Err::Unsupported)));
    x86::set_eflags(flags);
}

bool in_flight(u32 di) {
    for (u32 i = 0; i < gh_calls.depth(); i++)
        if (is_call(i) && driver_of(i) == di) return true;
    return false;
}
}  // namespace drv

// For the ring-1 stubs' slow path (cdecl from assembly).
extern "C" u32 gh_switch_io_ports(u32 driver) { return drv::switch_io_ports(driver); }
