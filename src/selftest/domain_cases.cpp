// Self-test: GDT domains (src/drv/domains.hpp; docs/drivers.md, "Ring 1 + domains") beyond the
// crayon matrix's column: what a transition leaves in the segment registers, the copies agreeing
// with the table, and nested calls, calls back and IRQs during a call coming back to the
// kernel's GDT.
#include "drivers/lib/abi.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/isolation.hpp"
#include "src/drv/registry.hpp"
#include "src/drv/stubs.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {
constexpr u32 kSegmentsAtEntry = 13, kLoadFsGs = 14, kDone = 0xC0105ED;  // drivers/crayon/crayon.cpp

bool on_main_gdt() {
    x86::TablePtr g = x86::sgdt();
    return gh_gdt_current == &gh_gdtr_main && g.base == gh_gdtr_main.base && g.limit == gh_gdtr_main.limit;
}

u32 crayon_run(drv::Driver& crayon, u32 kind) {
    gdt::set_present(crayon.cs, true);
    u32 r = drv::call("crayon.run", kind);
    gdt::set_present(crayon.cs, false);
    return r;
}

u16 fs() {
    u16 v;
    asm volatile("mov %%fs, %0" : "=r"(v));
    return v;
}
u16 gs() {
    u16 v;
    asm volatile("mov %%gs, %0" : "=r"(v));
    return v;
}
void load_fs_gs(u16 a, u16 b) { asm volatile("mov %0, %%fs; mov %1, %%gs" ::"r"(u32(a)), "r"(u32(b)) : "memory"); }

// The kernel holds another driver's data selector in FS and the user data selector in GS (both
// loadable at CPL 0, both loadable at CPL 1) and calls crayon. In ring 1 they reach crayon as they are: a descriptor the
// caller's world loaded, cached in the register, whatever crayon's own GDT says. In a domain the
// stub clears them before crayon's GDT is loaded, and the way back clears what crayon loaded.
void transitions_clear_fs_gs(Case& c) {
    drv::Driver* crayon = drv::by_name("crayon");
    drv::Driver* null = drv::by_name("null");
    if (!crayon || !null || crayon->state != drv::State::Up) return c.skip("the crayon and null drivers are not loaded");
    drvabi::Mode was = drv::isolation(drv::index_of(*crayon)).effective;
    drvabi::Mode null_was = drv::isolation(drv::index_of(*null)).effective;
    u32 flags = x86::eflags();
    // null in ring 1: its DS has DPL 1 (a DPL-0 selector would be nulled by the CPU on the way
    // out to CPL 1 anyway).
    if (!drv::change_mode(*null, drvabi::kRing1).ok()) return c.fail("null could not be put in ring 1");
    if (!drv::change_mode(*crayon, drvabi::kRing1).ok()) return c.fail("crayon could not be put in ring 1");
    load_fs_gs(null->ds, gdt::kUserDS);
    u32 seen1 = crayon_run(*crayon, kSegmentsAtEntry);
    load_fs_gs(0, 0);
    ST_CHECK(c, seen1 == (u32(null->ds) | u32(gdt::kUserDS) << 16));  // ring 1: they got through
    if (!drv::change_mode(*crayon, drvabi::kRing1Domains).ok()) return c.fail("crayon could not be put in a domain");
    load_fs_gs(null->ds, gdt::kUserDS);
    u32 seen = crayon_run(*crayon, kSegmentsAtEntry);
    u16 fs_after = fs(), gs_after = gs();
    load_fs_gs(0, 0);
    ST_CHECK(c, seen == 0);                                // cleared on the way in
    ST_CHECK(c, fs_after == 0 && gs_after == 0);           // and on the way out
    ST_CHECK(c, crayon_run(*crayon, kLoadFsGs) == kDone);  // crayon's own DS in FS and GS...
    ST_CHECK(c, fs() == 0 && gs() == 0);                   // ...does not come back with the return
    ST_CHECK(c, on_main_gdt());
    x86::set_eflags(flags);
    ST_CHECK(c, drv::change_mode(*crayon, was).ok() && drv::change_mode(*null, null_was).ok());
}

// A driver in a domain that far-calls the ring-1 return gate (a stray call: its thunk uses the
// domains' one) returns to its caller early, as through its own way back: TSS.esp0 and the
// caller's GDT come back (before gh_ring1_back_checked, the domain frame's GDT image became
// TSS.esp0: the campaign's seed 51). crayon.run(11, gate) far-calls any gate it is handed.
void stray_ring1_return_from_a_domain(Case& c) {
    drv::Driver* crayon = drv::by_name("crayon");
    if (!crayon || crayon->state != drv::State::Up) return c.skip("the crayon driver is not loaded");
    drvabi::Mode was = drv::isolation(drv::index_of(*crayon)).effective;
    if (!drv::change_mode(*crayon, drvabi::kRing1Domains).ok()) return c.fail("crayon could not be put in a domain");
    u32 esp0 = tss::main_tss.esp0, faults = crayon->faults;
    gdt::set_present(crayon->cs, true);
    u32 r = drv::call("crayon.run", 11, drv::ring1_return_gate(), 0x57A1);
    gdt::set_present(crayon->cs, false);
    ST_CHECK(c, r == 0x57A1);  // back early: EAX as crayon left it for the far call
    ST_CHECK(c, tss::main_tss.esp0 == esp0 && on_main_gdt() && crayon->faults == faults);
    ST_CHECK(c, drv::change_mode(*crayon, was).ok());
}

// Every copy holds, for every entry in use, what the policy says (src/drv/domains.cpp), and the
// kernel's table is untouched by the domains (the copies are separate).
void copies_follow_the_table(Case& c) {
    drv::Driver* null = drv::by_name("null");
    drv::Driver* faulty = drv::by_name("faulty");
    if (!null || !faulty) return c.skip("the null and faulty drivers are not loaded");
    drvabi::Mode nw = drv::isolation(drv::index_of(*null)).effective, fw = drv::isolation(drv::index_of(*faulty)).effective;
    ST_CHECK(c, drv::change_mode(*null, drvabi::kRing1Domains).ok() && drv::change_mode(*faulty, drvabi::kRing1Domains).ok());
    u32 ni = drv::index_of(*null), fi = drv::index_of(*faulty);
    const drv::GdtrImage* g = drv::domain_gdtr(ni);
    ST_CHECK(c, g != nullptr && drv::domain_gdtr(fi) != nullptr);
    if (c.failed()) return;
    const u64* copy = reinterpret_cast<const u64*>(uptr(g->base));
    u32 wrong = 0;
    for (u16 i = 0; i < gdt::kMaxEntries; i++) wrong += copy[i] != drv::domain_view(ni, i);
    ST_CHECK(c, wrong == 0);
    constexpr u64 kP = u64(1) << 47;
    ST_CHECK(c, copy[gdt::index_of(null->ds)] & kP);           // its own: present
    ST_CHECK(c, !(copy[gdt::index_of(faulty->ds)] & kP));      // another domain's: not
    ST_CHECK(c, !(copy[gdt::index_of(faulty->cs)] & kP));
    ST_CHECK(c, !(copy[gdt::kUserDataIndex] & kP));            // the user segments: not
    ST_CHECK(c, copy[gdt::kKernelCodeIndex] & kP);             // the kernel's: present
    ST_CHECK(c, gdt::get(gdt::index_of(faulty->ds)) & kP);     // the kernel's table: all present
    // The ways back: a domain's gate only in the copies; the ring-1 one everywhere (a plain
    // ring-1 driver called by kernel code running on a copy returns through it).
    u16 dret = gdt::index_of(drv::domain_return_gate()), rret = gdt::index_of(drv::ring1_return_gate());
    ST_CHECK(c, (copy[dret] & kP) && !(gdt::get(dret) & kP));
    ST_CHECK(c, (copy[rret] & kP) && (gdt::get(rret) & kP));
    // A new entry reaches the copies at once (the write hook), and leaves them with its release.
    auto probe = gdt::alloc("faulty", gdt::get(gdt::index_of(faulty->ds)));
    ST_CHECK(c, probe.ok());
    if (probe.ok()) {
        ST_CHECK(c, copy[gdt::index_of(probe.value())] == drv::domain_view(ni, gdt::index_of(probe.value())));
        ST_CHECK(c, !(copy[gdt::index_of(probe.value())] & kP));  // owned by faulty: hidden from null
        ST_CHECK(c, gdt::release(probe.value()).ok());
        ST_CHECK(c, copy[gdt::index_of(probe.value())] == 0);
    }
    ST_CHECK(c, drv::change_mode(*null, nw).ok() && drv::change_mode(*faulty, fw).ok());
}

// null -> faulty -> null (a nested call back into the first domain), null -> faulty, and IRQ 0
// into null while it runs (null.spin): each comes back to the kernel's GDT.
void nested_calls_and_irqs_come_back(Case& c) {
    drv::Driver* null = drv::by_name("null");
    drv::Driver* faulty = drv::by_name("faulty");
    if (!null || !faulty) return c.skip("the null and faulty drivers are not loaded");
    if (!(x86::eflags() & (1u << 9))) return c.fail("the self-test runs with IF = 0: no IRQ 0 could come");
    drvabi::Mode nw = drv::isolation(drv::index_of(*null)).effective, fw = drv::isolation(drv::index_of(*faulty)).effective;
    ST_CHECK(c, drv::change_mode(*null, drvabi::kRing1Domains).ok() && drv::change_mode(*faulty, drvabi::kRing1Domains).ok());
    ST_CHECK(c, drv::call("null.via_gate", 41) == 41 && on_main_gdt());
    ST_CHECK(c, drv::call("null.nested", 42) == 43 && on_main_gdt());
    ST_CHECK(c, drv::call("null.via_patched", 44) == 44 && on_main_gdt());
    ST_CHECK(c, drv::call("null.spin", 2) >= 2 && on_main_gdt());
    ST_CHECK(c, drv::change_mode(*null, nw).ok() && drv::change_mode(*faulty, fw).ok());
}
}  // namespace

void suite_domains(Runner& r) {
    r.run("domains: a transition clears FS and GS both ways (no descriptor cached across it)", transitions_clear_fs_gs);
    r.run("domains: every copy follows the kernel's table, other domains and the user segments not present",
          copies_follow_the_table);
    r.run("domains: nested calls, a call back and IRQs during a call come back to the kernel's GDT",
          nested_calls_and_irqs_come_back);
    r.run("domains: a stray far call through the ring-1 return gate returns with the caller's GDT and esp0",
          stray_ring1_return_from_a_domain);
}
}  // namespace selftest
