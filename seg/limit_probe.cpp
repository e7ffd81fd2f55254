#include "seg/limit_probe.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/fixup.hpp"
#include "seg/guarded.hpp"
#include "src/console.hpp"

namespace limits {
namespace {
bool g_enforced = false;
alignas(16) u8 g_probe_area[32];
}  // namespace

void probe() {
    auto sel = gdt::alloc("limit-probe", desc::segment(u32(uptr(g_probe_area)), 15, desc::Kind::DataRW, 0));
    if (!sel.ok()) {
        kprintf("limits: probe impossible (%s); assuming not enforced\n", err_name(sel.error()));
        return;
    }
    u32 v = 0;
    kprintf("limits: probing: a dword read at offset 16 of a 16-byte segment (a #GP is expected)\n");
    g_enforced = guarded_read32(sel.value(), 16, &v) != 0 && fixup::last().vector == 13;
    (void)gdt::release(sel.value());
    if (g_enforced)
        kprintf("limits: enforced (the read past the limit raised #GP)\n");
    else
        kprintf("limits: not enforced (the read past the limit went through: isolation cannot be shown "
                "on this CPU or emulator)\n");
}

bool enforced() { return g_enforced; }
}  // namespace limits
