// The kernel's side of the entry stubs (docs/drivers.md, "Gates and stubs"): each driver export
// gets a copy of src/drv/stub_template.inc with its values, and a thunk in the driver's code;
// kernel services keep the static stubs of src/drv/gate.asm. A driver that is down has its stubs
// turned into an immediate refusal, so no call pays for a test of "up".
#pragma once
#include "src/drv/gate_layout.hpp"
#include "src/lib/result.hpp"

namespace drv {
struct Driver;

// The DPL-1 call gate the thunks of ring-1 drivers return through (at boot, before any driver).
Result<void> init_stubs();
u16 ring1_return_gate();
u16 domain_return_gate();  // the thunks of drivers in GDT domains return through it (gh_domain_back)
// Point gh_entry_stubs[id] at the export's stub (the static one for kernel services).
void set_entry(u32 id);
// Write the stub of every export of `d` (and of `extra`, its init's spare id, when not
// kMaxExportIds) and their thunks in its code: callable. Or turn the stubs into refusals.
void stubs_up(const Driver& d, u32 extra = kMaxExportIds);
void stubs_down(const Driver& d);
// Whether record i is a call (not a record a trap stepped over), and the driver a call entered.
inline bool is_call(u32 i) { return !(gh_call_guards[i / 32] >> (i % 32) & 1); }
inline u32 record_driver(const CallRecord& r) { return gh_exports[r.export_id].driver; }
// The driver record i entered; kKernelDriver for a stepped-over record (it belongs to no driver).
inline u32 driver_of(u32 i) { return is_call(i) ? record_driver(gh_calls.rec[i]) : kKernelDriver; }
// True while a call into driver `di` is in flight.
bool in_flight(u32 di);
}  // namespace drv
