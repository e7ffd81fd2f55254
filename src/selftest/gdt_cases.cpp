// Self-test: the GDT, TSS and IDT the CPU actually uses equal what the encoders produce.
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/selftest/selftest.hpp"
#include "src/trap/idt.hpp"

namespace selftest {
namespace {

void loaded_gdt_matches_encoders(Case& c) {
    x86::TablePtr p = x86::sgdt();
    ST_CHECK(c, p.limit == gdt::kMaxEntries * 8 - 1);
    auto* live = reinterpret_cast<const u64*>(uptr(p.base));
    ST_CHECK(c, live[0] == 0);
    for (u16 i = 1; i < gdt::kFixedEntries; i++) {
        u64 want = gdt::expected_fixed(i);
        if (desc::without_cpu_bits(live[i]) != want) {
            c.fail("GDT[%u] = %016llx, encoders say %016llx", u32(i), live[i], want);
            return;
        }
    }
}

// LSL and LAR give the CPU's own reading of each fixed descriptor.
void cpu_view_of_fixed_selectors(Case& c) {
    const u16 sels[] = {gdt::kKernelCS, gdt::kKernelDS, gdt::kUserCS, gdt::kUserDS, gdt::kTss, gdt::kDfTss};
    for (u16 sel : sels) {
        u32 limit = 0, access = 0;
        ST_CHECK(c, x86::lsl(sel, &limit));
        ST_CHECK(c, x86::lar(sel, &access));
        desc::Decoded d = desc::decode(gdt::expected_fixed(gdt::index_of(sel)));
        if (limit != d.limit) {
            c.fail("LSL(0x%04x) = %08x, descriptor limit %08x", u32(sel), limit, d.limit);
            return;
        }
        u32 dpl = (access >> 13) & 3;
        if (dpl != d.dpl || !((access >> 15) & 1)) {
            c.fail("LAR(0x%04x) = %08x: dpl %u, want %u, present", u32(sel), access, dpl, u32(d.dpl));
            return;
        }
    }
    ST_CHECK(c, x86::cs() == gdt::kKernelCS);
    ST_CHECK(c, x86::ds() == gdt::kKernelDS && x86::ss() == gdt::kKernelDS && x86::es() == gdt::kKernelDS);
    ST_CHECK(c, x86::str() == gdt::kTss);
}

void tss_layout_and_idt(Case& c) {
    ST_CHECK(c, tss::main_tss.ss0 == gdt::kKernelDS);
    ST_CHECK(c, tss::df_tss.cs == gdt::kKernelCS && tss::df_tss.esp != 0);
    x86::TablePtr p = x86::sidt();
    ST_CHECK(c, p.limit == idt::kEntries * 8 - 1);
    desc::Decoded df = desc::decode(idt::get(8));
    ST_CHECK(c, !df.s && df.type == u8(desc::SysType::TaskGate) && df.present);
    ST_CHECK(c, df.gate_selector == gdt::kDfTss);
    desc::Decoded gp = desc::decode(idt::get(13));
    ST_CHECK(c, gp.type == u8(desc::SysType::IntGate32) && gp.gate_selector == gdt::kKernelCS);
}

void allocator_owners_and_release(Case& c) {
    u32 before = gdt::used();
    auto a = gdt::alloc("selftest-a", desc::segment(0x1000, 0xFFF, desc::Kind::DataRW, 0));
    auto b = gdt::alloc("selftest-b", desc::segment(0x2000, 0xFFF, desc::Kind::DataRO, 0));
    ST_CHECK(c, a.ok() && b.ok() && a.value() != b.value());
    ST_CHECK(c, gdt::index_of(a.value()) >= gdt::kFixedEntries);
    ST_CHECK(c, gdt::used() == before + 2);
    const char* owner = gdt::owner(b.value());
    ST_CHECK(c, owner && owner[9] == 'b');
    u32 limit = 0;
    ST_CHECK(c, x86::lsl(a.value(), &limit) && limit == 0xFFF);  // the CPU sees the new entry
    ST_CHECK(c, gdt::release(a.value()).ok());
    ST_CHECK(c, gdt::release(b.value()).ok());
    ST_CHECK(c, !gdt::release(b.value()).ok());            // double free refused
    ST_CHECK(c, !gdt::release(gdt::kKernelCS).ok());       // fixed entries refused
    ST_CHECK(c, gdt::owner(a.value()) == nullptr && gdt::used() == before);
    ST_CHECK(c, !x86::lsl(a.value(), &limit));             // a freed entry is no longer visible
}

}  // namespace

void suite_gdt(Runner& r) {
    r.run("gdt: loaded GDT equals the encoders' output", loaded_gdt_matches_encoders);
    r.run("gdt: LSL/LAR/STR agree with the fixed descriptors", cpu_view_of_fixed_selectors);
    r.run("gdt: TSSes and IDT (#DF is a task gate)", tss_layout_and_idt);
    r.run("gdt: run-time entries have owners and are released", allocator_owners_and_release);
}

}  // namespace selftest
