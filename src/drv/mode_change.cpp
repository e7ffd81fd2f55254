// Changing the ring a loaded driver runs in (docs/drivers.md, "Ring 1"): for the crayon matrix's
// columns and the benchmark's per-mode rows on one boot, and the shell.
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/stubs.hpp"

namespace drv {

Result<void> change_mode(Driver& d, drvabi::Mode m) {
    u32 di = index_of(d);
    if (di == 0 || d.state != State::Up || m >= drvabi::kModes) return Err::Invalid;
    u32 flags = x86::eflags();
    x86::cli();
    if (in_flight(di)) {
        x86::set_eflags(flags);
        return Err::Busy;
    }
    set_effective_mode(di, m);
    if (m == drvabi::kRing1Domains) (void)enter_domains(di);  // without memory: ring 1 (running_mode)
    else leave_domains(di);
    u8 dpl = cpl_of(running_mode(di));
    const u16 sels[] = {d.cs, d.ds};
    for (u16 sel : sels) {  // DPL is bits 5-6 of the access byte ([intel/vol3] §3.4.5)
        u8* access = gdt::access_byte(sel);
        *access = u8((*access & ~0x60) | (dpl << 5));
        gdt::written(sel);
    }
    // Its code again from the pristine image (patched call sites take the new ring's form on
    // their next run), its stubs and thunks from the new ring's template. Not a restart.
    Result<void> r = reload(d, false);
    x86::set_eflags(flags);
    return r;
}

}  // namespace drv
