#include "src/drv/integrity.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "src/drv/domains.hpp"
#include "src/drv/registry.hpp"
#include "src/lib/format.hpp"
#include "src/trap/idt.hpp"

extern "C" char _kernel_start[], _rodata_end[];

namespace drv {
namespace {
constexpr u32 kFnvBasis = 2166136261u;

u32 fnv(u32 h, const void* p, u32 n) {
    const u8* b = static_cast<const u8*>(p);
    for (u32 i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}
}  // namespace

Snapshot snapshot(const Driver* exclude) {
    Snapshot s{};
    s.kernel = fnv(kFnvBasis, _kernel_start, u32(_rodata_end - _kernel_start));
    s.gdt = kFnvBasis;
    for (u16 i = 0; i < gdt::kMaxEntries; i++) {
        if (exclude && owns_selector(*exclude, gdt::selector(i, 0))) continue;
        u64 e = desc::without_cpu_bits(gdt::get(i));
        s.gdt = fnv(s.gdt, &e, sizeof e);
    }
    s.gdt = domains_hash(s.gdt, exclude, fnv);  // the GDT domains' copies (src/drv/domains.hpp)
    s.idt = kFnvBasis;
    for (u32 v = 0; v < idt::kEntries; v++) {
        u64 e = idt::get(u8(v));
        s.idt = fnv(s.idt, &e, sizeof e);
    }
    // The CPU writes register state into the TSSes on every task switch; their configuration
    // (stacks for ring changes, the #DF entry, I/O map) must stay.
    const Tss& m = tss::main_tss;
    const Tss& d = tss::df_tss;
    u32 config[] = {m.esp0, m.ss0, m.iomap_base, d.cs, d.ss, d.ds, d.cr3, d.iomap_base, d.ldt};
    s.tss = fnv(kFnvBasis, config, sizeof config);
    // The I/O bitmap: every port closed at every point a snapshot is taken (no driver runs).
    s.iomap = fnv(kFnvBasis, tss::main_task.iomap, sizeof tss::main_task.iomap + sizeof tss::main_task.iomap_end);
    s.tss = fnv(s.tss, &s.iomap, sizeof s.iomap);
    s.esp0 = m.esp0;
    s.others = kFnvBasis;
    for (u32 i = 1; i < count(); i++) {
        const Driver& dr = get(i);
        if (&dr == exclude || dr.state != State::Up) continue;
        s.others = fnv(s.others, reinterpret_cast<const void*>(uptr(dr.code_base)), dr.image.code_size);
        s.others = fnv(s.others, reinterpret_cast<const void*>(uptr(dr.data_base + dr.image.data_offset)),
                       dr.image.header.rodata_end - dr.image.data_offset);
    }
    return s;
}

const char* snapshot_diff(const Snapshot& a, const Snapshot& b) {
    static char buf[80];
    u32 n = 0;
    auto add = [&](bool differs, const char* name) {
        if (!differs) return;
        if (n) buf[n++] = ',';
        for (const char* p = name; *p; p++) buf[n++] = *p;
    };
    add(a.kernel != b.kernel, "kernel");
    add(a.gdt != b.gdt, "gdt");
    add(a.idt != b.idt, "idt");
    add(a.tss != b.tss && a.esp0 == b.esp0 && a.iomap == b.iomap, "tss");
    add(a.iomap != b.iomap, "tss-iomap");
    if (a.esp0 != b.esp0) {
        if (n) buf[n++] = ',';
        n += format(buf + n, sizeof buf - n, "tss-esp0 %08x->%08x", a.esp0, b.esp0);
    }
    add(a.others != b.others, "drivers");
    buf[n] = '\0';
    return buf;
}
}  // namespace drv
