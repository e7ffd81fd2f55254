#include "src/drv/irq_route.hpp"
#include "src/arch/x86.hpp"
#include "src/dev/pic.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/gate_layout.hpp"

extern "C" u32 gh_call_gate(u32 gate_selector, u32 a, u32 b, u32 c);

namespace drv {
namespace {
constexpr u32 kMaxIrqRepeats = 16;

struct IrqRoute {
    u16 gates[4];
    u32 exports[4];
    u32 count;
    bool again;  // it came again while its ring-1 handlers ran with IF = 1
};
IrqRoute g_irq[16];
u32 g_repeats = 0, g_dropped = 0;

bool runs_in_ring1(u32 export_id) { return gh_drivers[gh_exports[export_id].driver].ring != 0; }
}  // namespace

void route_irq_export(Str name, u32 export_id, u16 gate) {
    usize dot = name.find('.');
    Str fn = name.sub(dot + 1);
    if (!gate || !fn.starts_with("irq")) return;
    auto n = parse_u32(fn.sub(3));
    if (!n.ok() || n.value() > 15 || g_irq[n.value()].count == 4) return;
    IrqRoute& r = g_irq[n.value()];
    r.exports[r.count] = export_id;
    r.gates[r.count++] = gate;
    pic::unmask(u8(n.value()));
}

void unroute_gate(u16 gate) {
    for (IrqRoute& r : g_irq)
        for (u32 k = 0; k < r.count;)
            if (r.gates[k] == gate) {
                r.count--;
                r.gates[k] = r.gates[r.count];
                r.exports[k] = r.exports[r.count];
            } else {
                k++;
            }
}

void dispatch_irq(u8 irq) {
    if (irq >= 16) return;
    IrqRoute& r = g_irq[irq];
    if (irq_handled_below(irq)) {  // its ring-1 handlers run (IF = 1) in an outer frame
        r.again = true;
        return;
    }
    for (u32 round = 0;; round++) {
        r.again = false;  // also clears one an aborted outer run left behind
        for (u32 i = 0; i < r.count; i++) {
            if (!runs_in_ring1(r.exports[i])) {
                (void)gh_call_gate(r.gates[i], irq, 0, 0);
                continue;
            }
            irq_acknowledge();
            x86::sti();
            (void)gh_call_gate(r.gates[i], irq, 0, 0);
            x86::cli();
        }
        if (!r.again) return;
        if (round + 1 == kMaxIrqRepeats) {
            g_dropped++;
            return;
        }
        g_repeats++;
    }
}

u32 irq_repeats() { return g_repeats; }
u32 irq_dropped() { return g_dropped; }
}  // namespace drv
