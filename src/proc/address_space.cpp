#include "src/proc/address_space.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"
#include "src/mm/paging.hpp"
#include "gdt/tss.hpp"
#include "src/arch/x86.hpp"
#include "src/proc/small_layout.hpp"

extern "C" u32 boot_page_directory[1024];

namespace proc {
namespace {
constexpr u32 kShared = kPteShared;
constexpr u32 kOwnCode = kPteOwnCode;
constexpr bool region_pde(u32 i) { return i >= small::kFirstPde && i < small::kFirstPde + small::kSlots; }

constexpr u32 kKernelPde = mm::kKernelBase >> 22;
u32* table_of(u32 entry) { return mm::p2v<u32>(entry & 0xFFFFF000); }

Result<u32> zeroed_frame() {
    u32 f = TRY(frames::alloc());
    u32* p = mm::p2v<u32>(f);
    for (u32 i = 0; i < 1024; i++) p[i] = 0;
    return f;
}
}  // namespace

Result<void> AddressSpace::create() {
    pd_phys_ = TRY(zeroed_frame());
    u32* pd = mm::p2v<u32>(pd_phys_);
    for (u32 i = kKernelPde; i < 1024; i++) pd[i] = boot_page_directory[i];
    for (u32 i = small::kFirstPde; i < small::kFirstPde + small::kSlots; i++) pd[i] = boot_page_directory[i];
    return {};
}

void AddressSpace::destroy() {
    if (!pd_phys_) return;
    if (x86::cr3() == pd_phys_) {
        tss::main_tss.cr3 = paging::kernel_directory_phys();
        x86::set_cr3(paging::kernel_directory_phys());
    }
    u32* pd = mm::p2v<u32>(pd_phys_);
    for (u32 i = 0; i < kKernelPde; i++) {
        if (!(pd[i] & paging::kPresent) || region_pde(i)) continue;  // the region is not ours
        u32* pt = table_of(pd[i]);
        for (u32 j = 0; j < 1024; j++)
            if ((pt[j] & paging::kPresent) && !(pt[j] & kShared)) (void)frames::free(pt[j] & 0xFFFFF000);
        (void)frames::free(pd[i] & 0xFFFFF000);
    }
    (void)frames::free(pd_phys_);
    pd_phys_ = 0;
}

Result<u32> AddressSpace::map_new(u32 vaddr, bool writable, bool code) {
    if ((vaddr & 0xFFF) || vaddr >= mm::kKernelBase || small::in_region(vaddr)) return Err::Range;
    u32* pd = mm::p2v<u32>(pd_phys_);
    u32& pde = pd[vaddr >> 22];
    if (!(pde & paging::kPresent)) pde = TRY(zeroed_frame()) | paging::kUser | paging::kWritable | paging::kPresent;
    u32& pte = table_of(pde)[(vaddr >> 12) & 0x3FF];
    if (pte & paging::kPresent) return Err::Invalid;  // already mapped
    u32 frame = TRY(zeroed_frame());
    pte = frame | paging::kUser | paging::kPresent | (writable ? u32(paging::kWritable) : 0u) | (code ? kOwnCode : 0u);
    return frame;
}

Result<void> AddressSpace::map_shared(u32 vaddr, u32 phys, bool writable) {
    if ((vaddr & 0xFFF) || (phys & 0xFFF) || vaddr >= mm::kKernelBase || small::in_region(vaddr)) return Err::Range;
    u32* pd = mm::p2v<u32>(pd_phys_);
    u32& pde = pd[vaddr >> 22];
    if (!(pde & paging::kPresent)) pde = TRY(zeroed_frame()) | paging::kUser | paging::kWritable | paging::kPresent;
    u32& pte = table_of(pde)[(vaddr >> 12) & 0x3FF];
    if (pte & paging::kPresent) return Err::Invalid;
    pte = phys | kShared | paging::kUser | paging::kPresent | (writable ? u32(paging::kWritable) : 0u);
    return {};
}

Result<u32> AddressSpace::pte(u32 vaddr) const {
    if (vaddr >= mm::kKernelBase || small::in_region(vaddr)) return Err::Range;  // not the program's
    const u32* pd = mm::p2v<u32>(pd_phys_);
    u32 pde = pd[vaddr >> 22];
    if (!(pde & paging::kPresent)) return Err::NotFound;
    u32 e = table_of(pde)[(vaddr >> 12) & 0x3FF];
    if (!(e & paging::kPresent)) return Err::NotFound;
    return e;
}

Result<u32> AddressSpace::translate(u32 vaddr) const {
    u32 e = TRY(pte(vaddr));
    return (e & 0xFFFFF000) | (vaddr & 0xFFF);
}

Result<u32> AddressSpace::translate_for_write(u32 vaddr) const {
    u32 e = TRY(pte(vaddr));
    if (!(e & paging::kWritable)) return Err::Fault;
    return (e & 0xFFFFF000) | (vaddr & 0xFFF);
}

Result<u32> AddressSpace::translate_for_patch(u32 vaddr) const {
    u32 e = TRY(pte(vaddr));
    if (!(e & kOwnCode) || (e & kShared)) return Err::Fault;
    return (e & 0xFFFFF000) | (vaddr & 0xFFF);
}
}  // namespace proc
