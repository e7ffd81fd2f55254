#include "src/drv/domains.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"
#include "src/drv/gate_layout.hpp"
#include "src/drv/registry.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"

drv::GdtrImage gh_gdtr_main;
drv::GdtrImage* gh_gdt_current = &gh_gdtr_main;

namespace drv {
namespace {
constexpr u32 kTableBytes = gdt::kMaxEntries * 8;
constexpr u64 kPresent = u64(1) << desc::kPShift;
constexpr u64 kAccessed = u64(1) << desc::kTypeShift;  // type bit 0 of a code/data descriptor
constexpr u64 kCodeData = u64(1) << desc::kSShift;

u64* g_copy[kMaxDrivers];  // driver i's copy, or nullptr
GdtrImage g_image[kMaxDrivers];
u32 g_domains = 0;

u64 shown(u64 d) { return d & kCodeData ? d | kAccessed : d; }
u64 hidden(u64 d) { return d & ~kPresent; }

void on_write(u16 index) {
    if (!g_domains) return;
    for (u32 i = 1; i < kMaxDrivers; i++)
        if (g_copy[i]) g_copy[i][index] = domain_view(i, index);
}

// The highest entry in use, plus one: the copies are compared and hashed up to here.
u16 entries_in_use() {
    u16 hi = gdt::kMaxEntries;
    while (hi > gdt::kFixedEntries && !gdt::owner(gdt::selector(u16(hi - 1), 0))) hi--;
    return hi;
}
}  // namespace

u64 domain_view(u32 di, u16 index) {
    u64 d = gdt::get(index);
    if (!d) return 0;
    if (index < gdt::kFixedEntries)  // the kernel's own and the TSSes as they are; the user segments hidden
        return index == gdt::kUserCodeIndex || index == gdt::kUserDataIndex ? hidden(d) : shown(d);
    const char* owner = gdt::owner(gdt::selector(index, 0));
    if (!owner) return 0;
    u32 dpl = u32(d >> desc::kDplShift) & 3;
    if (dpl == 0) return shown(d);   // ring 1 cannot load it; the kernel and its public gates need it
    if (dpl >= 2) return hidden(d);  // small servers (ring 2) and user segments (ring 3)
    // The domains' return gate is not present in the kernel's table (no plain ring-1 driver can
    // call it there), present here; the ring-1 one leads here to a way back that asks which kind
    // of frame it has (a domain's stray far call through it: gate.asm, gh_ring1_back_checked).
    if (Str(owner).eq("domain-return")) return d | kPresent;
    if (Str(owner).eq("ring1-return")) return desc::call_gate(gdt::kKernelCS, u32(uptr(&gh_ring1_back_checked)), 1);
    const Driver* o = by_name(Str(owner));
    if (!o) return shown(d);         // an alias made for nobody by name
    u32 oi = index_of(*o);
    return oi == di || !is_domain(oi) ? shown(d) : hidden(d);
}

void init_domains() {
    x86::TablePtr g = x86::sgdt();
    gh_gdtr_main = {g.limit, g.base};
    gh_gdt_current = &gh_gdtr_main;
    gdt::set_write_hook(on_write);
}

Result<void> enter_domains(u32 di) {
    if (di == 0 || di >= kMaxDrivers) return Err::Invalid;
    if (!g_copy[di]) {
        u32 phys = TRY(frames::alloc_run(kTableBytes));
        g_copy[di] = mm::p2v<u64>(phys);
        x86::zero_dwords(g_copy[di], kTableBytes / 4);  // past the entries in use it stays zero:
        g_image[di] = {u16(kTableBytes - 1), u32(uptr(g_copy[di]))};  // the hook writes every change
        g_domains++;
    }
    resync_domains();
    return {};
}

void leave_domains(u32 di) {
    if (di == 0 || di >= kMaxDrivers || !g_copy[di]) return;
    frames::free_run(mm::v2p(g_copy[di]), kTableBytes);
    g_copy[di] = nullptr;
    g_domains--;
    resync_domains();
}

bool is_domain(u32 di) { return di < kMaxDrivers && g_copy[di]; }
const GdtrImage* domain_gdtr(u32 di) { return is_domain(di) ? &g_image[di] : nullptr; }
u32 domain_count() { return g_domains; }

namespace {
u32 loaded_domain() {
    u32 base = x86::sgdt().base;
    for (u32 i = 1; i < kMaxDrivers; i++)
        if (g_copy[i] && g_image[i].base == base) return i;
    return 0;
}
}  // namespace
GdtrImage* loaded_gdt_image() {
    u32 i = loaded_domain();
    return i ? &g_image[i] : &gh_gdtr_main;
}
const char* domain_loaded_now() {
    u32 i = loaded_domain();
    return i ? get(i).name : nullptr;
}
u64 domain_view_now(u16 index) {
    u32 i = loaded_domain();
    return i && index < gdt::kMaxEntries ? g_copy[i][index] : gdt::get(index);
}
bool is_gdt_image(const GdtrImage* g) {
    if (g == &gh_gdtr_main) return true;
    for (u32 i = 1; i < kMaxDrivers; i++)
        if (g_copy[i] && g == &g_image[i]) return true;
    return false;
}

// Up to the highest entry in use: above it every copy is zero, as the table is (a new copy is
// zeroed, and the hook writes each entry that is allocated or released).
void resync_domains() {
    u16 hi = entries_in_use();
    for (u32 i = 1; i < kMaxDrivers; i++) {
        if (!g_copy[i]) continue;
        for (u16 k = 0; k < hi; k++) g_copy[i][k] = domain_view(i, k);
    }
}

u32 domains_hash(u32 h, const Driver* exclude, u32 (*fnv)(u32, const void*, u32)) {
    u16 hi = entries_in_use();
    for (u32 i = 1; i < kMaxDrivers; i++) {
        if (!g_copy[i] || (exclude && index_of(*exclude) == i)) continue;
        for (u16 k = 0; k < hi; k++) {
            if (exclude && owns_selector(*exclude, gdt::selector(k, 0))) continue;
            u64 e = desc::without_cpu_bits(g_copy[i][k]);
            h = fnv(h, &e, sizeof e);
        }
    }
    return h;
}
}  // namespace drv
