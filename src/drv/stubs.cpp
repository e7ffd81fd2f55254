#include "src/drv/stubs.hpp"
#include "drivers/lib/abi.hpp"
#include "gdt/gdt.hpp"
#include "src/console.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/stub_fill.hpp"
#include "src/lib/result.hpp"
#include "src/panic.hpp"

extern "C" {
extern const u8 gh_stub_template[];
extern const u32 gh_stub_template_bytes, gh_stub_back_offset, gh_stub_patch_count;
extern const drv::StubPatch gh_stub_patches[];
extern u8 gh_stub_area[];
}

namespace drv {
namespace {
u8* stub(u32 id) { return gh_stub_area + id * kStubBytes; }

void write_stub(u32 id) {
    const ExportRt& e = gh_exports[id];
    DriverRt& rt = gh_drivers[e.driver];
    StubValues v{id, u32(uptr(&gh_driver_stacks[e.driver][0])), rt.slot_count * u32(sizeof(CallRecord)),
                 u32(uptr(&rt.ds)), e.thunk, u16(rt.cs)};
    if (!fill_stub(stub(id), gh_stub_template, gh_stub_template_bytes, gh_stub_patches, gh_stub_patch_count, v))
        panic("gate: the stub template and its patch table disagree (src/drv/stub_template.inc)");
}

void write_thunk(const Driver& d, u32 id) {
    const ExportRt& e = gh_exports[id];
    encode_thunk(reinterpret_cast<u8*>(uptr(d.code_base + e.thunk)), e.thunk, e.code, gdt::kKernelCS,
                 u32(uptr(stub(id))) + gh_stub_back_offset);
}

void up_one(const Driver& d, u32 id) {
    write_thunk(d, id);
    write_stub(id);
}
}  // namespace

void set_entry(u32 id) {
    bool kernel = gh_exports[id].driver == kKernelDriver;
    gh_entry_stubs[id] = kernel ? gh_kernel_stubs[id] : u32(uptr(stub(id)));
    if (!kernel) encode_refuse(stub(id), drvabi::error_result(u32(Err::Unsupported)));  // until it is up
}

void stubs_up(const Driver& d, u32 extra) {
    for (u32 id = d.first_export; id < d.first_export + d.export_count; id++) up_one(d, id);
    if (extra < kMaxExportIds) up_one(d, extra);
}

void stubs_down(const Driver& d) {
    for (u32 id = d.first_export; id < d.first_export + d.export_count; id++)
        encode_refuse(stub(id), drvabi::error_result(u32(Err::Unsupported)));
}

bool in_flight(u32 di) {
    for (u32 i = 0; i < gh_calls.depth(); i++)
        if (is_call(i) && driver_of(i) == di) return true;
    return false;
}
}  // namespace drv
