// A driver's imports (docs/drivers.md, "Imports"): its own call gate per import, written into the
// import's far-pointer slot, and the RDOS call sites patched on their first run.
#include "src/drv/imports.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/call_site.hpp"
#include "src/console.hpp"
#include "src/drv/audience.hpp"
#include "src/drv/isolation.hpp"

namespace drv {
namespace {
u32 g_patched = 0;
}  // namespace

// Each import gets a call gate of the importer's own (owned by it, DPL = its ring, to the same
// entry stub as the export's public gate), written into its far-pointer slot in the driver's data.
// The public gates have DPL 0, so at CPL 1 a driver can call what it imports and nothing else
// (crayon row 11). Kept across reloads and mode changes (the DPL follows the ring).
bool link_imports(Driver& d) {
    u8 dpl = cpl_of(running_mode(index_of(d)));
    for (u32 i = 0; i < d.image.import_count(); i++) {
        drvabi::Import im = d.image.import_at(i);
        Str name;
        d.image.string_at(im.name, &name);
        const GateEntry* g = find_gate(name);
        if (!g) {
            kprintf("drivers: %s: unresolved import '%.*s'\n", d.file, int(name.n), name.p);
            return false;
        }
        if (!allowed(g->export_id, drvabi::kForDrivers)) {
            kprintf("drivers: %s: import '%.*s' is for the kernel only\n", d.file, int(name.n), name.p);
            return false;
        }
        if (d.import_gate[i] && d.import_export[i] != g->export_id) {
            (void)gdt::release(d.import_gate[i]);
            d.import_gate[i] = 0;
        }
        d.import_export[i] = g->export_id;
        if (!d.import_gate[i]) {
            auto gate = gdt::alloc(d.name, desc::call_gate(gdt::kKernelCS, gh_entry_stubs[g->export_id], dpl));
            if (!gate.ok()) {
                kprintf("drivers: %s: no GDT room for its import gates\n", d.file);
                return false;
            }
            d.import_gate[i] = gate.value();
        }
        u8* access = gdt::access_byte(d.import_gate[i]);  // DPL is bits 5-6 ([intel/vol3] §3.4.5)
        *access = u8((*access & ~0x60) | (dpl << 5));
        gdt::written(d.import_gate[i]);
        auto* slot = reinterpret_cast<drvabi::FarSlot*>(uptr(d.data_base + im.slot));
        *slot = {0, d.import_gate[i], 0};
    }
    return true;
}

void release_import_gates(Driver& d) {
    for (u16& gate : d.import_gate)
        if (gate) {
            (void)gdt::release(gate);
            gate = 0;
        }
}


bool patch_call_site(Driver& d, u32 eip) {
    auto index = callsite::decode_unpatched(reinterpret_cast<const u8*>(uptr(d.code_base)), d.image.code_size, eip);
    if (!index.ok() || index.value() >= d.image.import_count()) return false;
    // IF = 0 here (the #GP handler): see callsite::patch for why the order is safe.
    // Ring 0: a direct far call to the entry stub. Ring 1 cannot far-call ring-0 code without a
    // gate: the site calls its own gate for the import instead (offset ignored).
    u32 id = d.import_export[index.value()];
    if (gh_drivers[index_of(d)].ring == 0)
        callsite::patch(reinterpret_cast<volatile u8*>(uptr(d.code_base + eip)), gh_entry_stubs[id], gdt::kKernelCS);
    else
        callsite::patch(reinterpret_cast<volatile u8*>(uptr(d.code_base + eip)), 0, u16(d.import_gate[index.value()] | 1));
    g_patched++;
    return true;
}
u32 patched_sites() { return g_patched; }

void print_imports(const Driver& d) {
    for (u32 i = 0; i < d.image.import_count(); i++) {
        if (!d.import_gate[i]) continue;
        Str name = find_export_name(d.import_export[i]);
        kprintf("driver:   import %.*s through its own gate 0x%04x (DPL %u)\n", int(name.n), name.p,
                u32(d.import_gate[i]), u32(gdt::get(gdt::index_of(d.import_gate[i])) >> 45 & 3));
    }
}
}  // namespace drv
