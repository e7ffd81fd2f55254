// Self-test: faults raised on purpose are reported, decoded and come back through their fixups.
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/fixup.hpp"
#include "seg/guarded.hpp"
#include "seg/limit_probe.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {

void gp_on_free_selector(Case& c) {
    // An unused GDT slot holds a zero descriptor: loading it raises #GP naming that selector.
    auto probe = gdt::alloc("selftest", 0);
    ST_CHECK(c, probe.ok());
    u16 sel = probe.value();
    ST_CHECK(c, gdt::release(sel).ok());
    u32 before = fixup::last().count;
    ST_CHECK(c, guarded_load_gs(sel) == -1);
    ST_CHECK(c, fixup::last().count == before + 1);
    ST_CHECK(c, fixup::last().vector == 13);
    ST_CHECK(c, fixup::last().error == sel);
}

void de_on_divide_by_zero(Case& c) {
    u32 q = 0;
    ST_CHECK(c, guarded_div(10, 3, &q) == 0 && q == 3);
    ST_CHECK(c, guarded_div(1, 0, &q) == -1);
    ST_CHECK(c, fixup::last().vector == 0);
}

void ud_on_ud2(Case& c) {
    ST_CHECK(c, guarded_ud() == -1);
    ST_CHECK(c, fixup::last().vector == 6);
}

// A 16-byte data segment: reads inside succeed; the first byte past the limit faults (#GP(0)).
void read_and_write_past_limit(Case& c) {
    if (!limits::enforced()) return c.skip("limits not enforced here");
    alignas(16) static u8 area[32];
    auto sel = gdt::alloc("selftest", desc::segment(u32(uptr(area)), 15, desc::Kind::DataRW, 0));
    ST_CHECK(c, sel.ok());
    u32 v = 0;
    bool ok = guarded_write32(sel.value(), 12, 0xC0FFEE11) == 0 && guarded_read32(sel.value(), 12, &v) == 0 &&
              v == 0xC0FFEE11;
    bool read_faults = guarded_read32(sel.value(), 13, &v) == -1 && fixup::last().vector == 13 &&
                       fixup::last().error == 0;
    bool write_faults = guarded_write32(sel.value(), 16, 1) == -1 && fixup::last().vector == 13;
    bool untouched = area[16] == 0;
    (void)gdt::release(sel.value());
    ST_CHECK(c, ok);
    ST_CHECK(c, read_faults);
    ST_CHECK(c, write_faults);
    ST_CHECK(c, untouched);
}

void write_through_read_only_segment(Case& c) {
    if (!limits::enforced()) return c.skip("segment types not enforced here");
    alignas(16) static u8 area[16];
    auto sel = gdt::alloc("selftest", desc::segment(u32(uptr(area)), 15, desc::Kind::DataRO, 0));
    ST_CHECK(c, sel.ok());
    u32 v = 0;
    bool read_ok = guarded_read32(sel.value(), 0, &v) == 0;
    bool write_faults = guarded_write32(sel.value(), 0, 0x12345678) == -1 && fixup::last().vector == 13;
    (void)gdt::release(sel.value());
    ST_CHECK(c, read_ok);
    ST_CHECK(c, write_faults);
    ST_CHECK(c, area[0] == 0);
}

}  // namespace

void suite_traps(Runner& r) {
    r.run("traps: #GP loading a free selector is reported and returns", gp_on_free_selector);
    r.run("traps: #DE is reported and returns", de_on_divide_by_zero);
    r.run("traps: #UD is reported and returns", ud_on_ud2);
    r.run("limits: access past a data segment's limit faults", read_and_write_past_limit);
    r.run("limits: a write through a read-only segment faults", write_through_read_only_segment);
}

}  // namespace selftest
