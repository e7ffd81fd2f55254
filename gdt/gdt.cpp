#include "gdt/gdt.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/selector_alloc.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"

extern "C" void reload_segments();
// The table itself, by a C name: the IPC fast path's domain switch (src/proc/ipc_fast.asm)
// stores into the flat user descriptors' access bytes by address, as set_present does.
extern "C" u64 gh_gdt_table[gdt::kMaxEntries];
alignas(8) u64 gh_gdt_table[gdt::kMaxEntries];

namespace gdt {
namespace {
u64 (&g_table)[kMaxEntries] = gh_gdt_table;
SelectorAlloc<kMaxEntries> g_alloc;
void (*g_write_hook)(u16 index) = nullptr;
void wrote(u16 index) {
    if (g_write_hook) g_write_hook(index);
}

const char* const kFixedOwners[kFixedEntries] = {
    "null", "kernel", "kernel", "user", "user", "kernel-tss", "df-tss",
};
}  // namespace

u64 expected_fixed(u16 index) {
    using desc::Kind;
    switch (index) {
    case kKernelCodeIndex: return desc::segment(0, 0xFFFFFFFF, Kind::CodeRX, 0);
    case kKernelDataIndex: return desc::segment(0, 0xFFFFFFFF, Kind::DataRW, 0);
    case kUserCodeIndex: return desc::segment(0, kUserLimit, Kind::CodeRX, 3);
    case kUserDataIndex: return desc::segment(0, kUserLimit, Kind::DataRW, 3);
    case kTssIndex: return desc::tss_descriptor(u32(uptr(&tss::main_task)), tss::kMainLimit);
    case kDfTssIndex: return desc::tss_descriptor(u32(uptr(&tss::df_tss)), tss::kDfLimit);
    default: return 0;
    }
}

void init() {
    g_alloc.init(kFixedEntries, kFixedOwners);
    for (u16 i = 0; i < kFixedEntries; i++) g_table[i] = 0;
    for (u16 i = kKernelCodeIndex; i <= kUserDataIndex; i++) g_table[i] = expected_fixed(i);
    // The limit covers all 8192 entries: a selector past the allocated ones hits a zero (not
    // present) descriptor and faults with its own index, which the decoder can name.
    x86::lgdt({u16(sizeof(g_table) - 1), u32(uptr(g_table))});
    reload_segments();
}

u64 get(u16 index) { return index < kMaxEntries ? g_table[index] : 0; }

void set_fixed(u16 index, u64 descriptor) {
    if (index >= kFixedEntries) return;
    g_table[index] = descriptor;
    wrote(index);
}

void set_write_hook(void (*hook)(u16 index)) { g_write_hook = hook; }
void written(u16 sel) {
    if (index_of(sel) < kMaxEntries) wrote(index_of(sel));
}

Result<u16> alloc(const char* owner, u64 descriptor) {
    u16 index = TRY(g_alloc.alloc(owner));
    g_table[index] = descriptor;
    wrote(index);
    return selector(index, 0);
}

Result<u16> alloc_pair(const char* owner, u64 first, u64 second) {
    u16 index = TRY(g_alloc.alloc_range(owner, 2));
    g_table[index] = first;
    g_table[index + 1] = second;
    wrote(index);
    wrote(u16(index + 1));
    return selector(index, 0);
}

Result<void> release(u16 sel) {
    u16 index = index_of(sel);
    if (index < kFixedEntries || index >= kMaxEntries) return Err::Range;
    TRY(g_alloc.free(index));
    g_table[index] = 0;
    wrote(index);
    return {};
}

void set_present(u16 sel, bool present) {
    u16 index = index_of(sel);
    if (index == kNullIndex || index >= kMaxEntries) return;
    // Only the access byte changes: one byte store, never a torn descriptor ([intel/vol3] §3.4.5).
    u8* access = reinterpret_cast<u8*>(&g_table[index]) + 5;
    *access = present ? u8(*access | 0x80) : u8(*access & 0x7F);
    wrote(index);
}

u8* access_byte(u16 sel) {
    u16 index = index_of(sel);
    if (index == kNullIndex || index >= kMaxEntries) return nullptr;
    return reinterpret_cast<u8*>(&g_table[index]) + 5;
}

const char* owner(u16 sel) {
    u16 index = index_of(sel);
    return index < kMaxEntries ? g_alloc.owner(index) : nullptr;
}

u32 used() { return g_alloc.used(); }

void print_summary() {
    kprintf("gdt: %u of %u entries in use, base=%p\n", used(), u32(kMaxEntries), g_table);
    u32 segments = 0, tss = 0, gates = 0, other = 0;
    for (u16 i = 1; i < kMaxEntries; i++) {
        if (!g_alloc.owner(i)) continue;
        desc::Decoded d = desc::decode(g_table[i]);
        if (d.s) segments++;
        else if (d.type == u8(desc::SysType::CallGate32) || d.type == u8(desc::SysType::TaskGate)) gates++;
        else if (d.type == 0x9 || d.type == 0xB) tss++;
        else other++;
    }
    kprintf("gdt: %u code/data segments, %u TSS, %u gates, %u other (each entry: dump=gdt, or gdt in the shell)\n",
            segments, tss, gates, other);
}

void print() {
    kprintf("gdt: %u of %u entries in use, base=%p\n", used(), u32(kMaxEntries), g_table);
    for (u16 i = 1; i < kMaxEntries; i++) {
        const char* who = g_alloc.owner(i);
        if (!who) continue;
        desc::Decoded d = desc::decode(g_table[i]);
        bool gate = !d.s && (d.type == u8(desc::SysType::CallGate32) || d.type == u8(desc::SysType::TaskGate));
        kprintf("gdt: 0x%04x base=0x%08x limit=0x%08x %s dpl=%u p=%u %s owner=%s", u32(selector(i, 0)),
                gate ? 0 : d.base, gate ? 0 : d.limit, desc::kind_name(d), u32(d.dpl), u32(d.present),
                d.s ? (d.db ? "32bit" : "16bit") : "-", who);
        if (gate) kprintf(" target=0x%04x:0x%08x", u32(d.gate_selector), d.gate_offset);
        kprintf("\n");
    }
}

}  // namespace gdt
