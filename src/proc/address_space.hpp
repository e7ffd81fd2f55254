// A process's address space: its own page directory, the kernel's half ([3 GiB, 4 GiB)) shared
// with every other, user pages below 3 GiB mapped with the U bit.
#pragma once
#include "src/lib/result.hpp"

namespace proc {
class AddressSpace {
public:
    Result<void> create();  // a fresh directory: empty user half, the kernel's half copied
    void destroy();         // frees the user pages, the page tables and the directory
    // Map one zeroed user page at `vaddr` (page aligned, below 3 GiB); returns its physical frame.
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
