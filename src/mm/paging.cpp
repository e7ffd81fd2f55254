#include "src/mm/paging.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"
#include "src/panic.hpp"

extern "C" u32 boot_page_directory[1024];

namespace paging {
void init_temp_window();
namespace {
u32 g_mapped = 0;
constexpr u32 kKernelPde = mm::kKernelBase >> 22;  // 768
constexpr u32 kCr4Pse = 1u << 4, kCr4Pge = 1u << 7;
}  // namespace

// The direct map covers exactly the RAM there is, the ACPI tables' regions included (whole 4 KiB
// pages; frames::ram_top): a last, partial 4 MiB
// stretch gets a page table whose entries past the end are not present, so the kernel cannot
// touch memory that is not there (with MEM=5 it used to map 8 MiB).
void init(u32 ram_top, bool pse, bool pge) {
    u32 top = ram_top < mm::kDirectMapBytes ? ram_top : mm::kDirectMapBytes;
    top = (top + mm::kPageSize - 1) & ~(mm::kPageSize - 1);
    u32* pd = boot_page_directory;  // the kernel's directory from now on
    if (pse) x86::set_cr4(x86::cr4() | kCr4Pse);
    for (u32 phys = 0; phys < top; phys += mm::kBigPageSize) {
        u32 slot = kKernelPde + (phys >> 22);
        bool whole = top - phys >= mm::kBigPageSize;
        if (pse && (whole || phys == 0)) {  // below 4 MiB of RAM GRUB could not have loaded us
            pd[slot] = pde_big(phys, pge);
            continue;
        }
        if (phys == 0) continue;  // the boot page table already maps the first 4 MiB
        // A page table must be reachable to be filled: take frames that are already mapped (the
        // allocator hands out the lowest free frames, just above the kernel).
        auto table = frames::alloc();
        if (!table.ok() || table.value() + mm::kPageSize > phys)
            panic("paging: no mapped frame for the page table of %08x", phys);
        u32* pt = mm::p2v<u32>(table.value());
        for (u32 i = 0; i < 1024; i++) {
            u32 frame = phys + i * mm::kPageSize;
            pt[i] = frame < top ? pte(frame, pge) : 0;
        }
        pd[slot] = table.value() | kWritable | kPresent;
    }
    if (!pse) {  // the boot page table's entries become global too
        u32* boot_pt = mm::p2v<u32>(pd[kKernelPde] & 0xFFFFF000);
        for (u32 i = 0; i < 1024 && pge; i++) boot_pt[i] |= kGlobal;
    }
    pd[0] = 0;  // user space starts empty: no more identity mapping
    x86::set_cr3(mm::v2p(pd));
    if (pge) x86::set_cr4(x86::cr4() | kCr4Pge);
    g_mapped = top;
    init_temp_window();
    kprintf("paging: %u KiB of RAM mapped at %08x with %s%s\n", top >> 10, mm::kKernelBase,
            pse ? "4 MiB pages (PSE)" : "4 KiB page tables (no PSE)", pge ? ", global (PGE)" : "");
}

// The temporary mapping window: the last 4 MiB of the address space (above the direct map,
// below nothing), one page table made at init so that every process directory shares it.
namespace {
constexpr u32 kTempWindow = 0xFFC00000;
u32* g_temp_pt = nullptr;
}  // namespace

void init_temp_window() {
    auto table = frames::alloc();
    if (!table.ok() || table.value() + mm::kPageSize > g_mapped) panic("paging: no mapped frame for the temporary window");
    g_temp_pt = mm::p2v<u32>(table.value());
    for (u32 i = 0; i < 1024; i++) g_temp_pt[i] = 0;
    boot_page_directory[kTempWindow >> 22] = table.value() | kWritable | kPresent;
}

void read_phys(void* dst, u32 phys, u32 n) {
    auto* out = static_cast<u8*>(dst);
    while (n) {
        u32 chunk = mm::kPageSize - (phys & 0xFFF);
        if (chunk > n) chunk = n;
        if (u64(phys) + chunk <= g_mapped) {
            const u8* src = mm::p2v<const u8>(phys);
            for (u32 i = 0; i < chunk; i++) out[i] = src[i];
        } else {
            u32 flags = x86::eflags();
            x86::cli();
            g_temp_pt[0] = (phys & 0xFFFFF000) | kPresent;  // read-only, supervisor
            x86::invlpg(kTempWindow);
            const u8* src = reinterpret_cast<const u8*>(uptr(kTempWindow + (phys & 0xFFF)));
            for (u32 i = 0; i < chunk; i++) out[i] = src[i];
            g_temp_pt[0] = 0;
            x86::invlpg(kTempWindow);
            x86::set_eflags(flags);
        }
        out += chunk;
        phys += chunk;
        n -= chunk;
    }
}

u32 kernel_directory_phys() { return mm::v2p(boot_page_directory); }
u32 mapped_bytes() { return g_mapped; }
}  // namespace paging
