// A process's address space: its own page directory, the kernel's half ([3 GiB, 4 GiB)) shared
// with every other, user pages below 3 GiB mapped with the U bit.
#pragma once
#include "src/lib/result.hpp"

namespace proc {
// PTE bits 9 and 10 are free for software ([intel/vol3] table 4-6): bit 9 "this frame is not
// ours to free", bit 10 "the program's own image page: the call-site patcher may write it".
inline constexpr u32 kPteShared = 1u << 9;
inline constexpr u32 kPteOwnCode = 1u << 10;

class AddressSpace {
public:
    // A fresh directory: empty user half, the kernel's half and the small-space region's page
    // tables (shared, never freed here) copied from the kernel's directory.
    Result<void> create();
    // Frees the user pages, the page tables and the directory (first leaving it, if it is the one
    // loaded: a small server runs on whichever directory was current, so another thread's
    // directory can be in CR3 when its owner is killed).
    void destroy();
    // Map one zeroed user page at `vaddr` (page aligned, below 3 GiB, outside the small-space
    // region); returns its physical frame.
    // `code`: the program's own (private) image page, which the call-site patcher may rewrite.
    Result<u32> map_new(u32 vaddr, bool writable, bool code = false);
    // Map an existing physical page (not owned: destroy() leaves it alone), e.g. the disk image.
    Result<void> map_shared(u32 vaddr, u32 phys, bool writable);
    // The physical address behind a user address, or an error when it is not mapped.
    Result<u32> translate(u32 vaddr) const;
    // The same for a kernel write on the program's behalf: Fault unless the page is writable
    // (CR0.WP makes the CPU refuse such writes through user mappings; a write through the direct
    // map after this walk would bypass that, so the walk checks the bit itself).
    Result<u32> translate_for_write(u32 vaddr) const;
    // The same for the call-site patcher: only the program's own image pages, never a shared
    // page (the RAM disk) or the SYSENTER stub page.
    Result<u32> translate_for_patch(u32 vaddr) const;
    u32 directory() const { return pd_phys_; }

private:
    Result<u32> pte(u32 vaddr) const;  // the present PTE behind a user address
    u32 pd_phys_ = 0;
};
}  // namespace proc
