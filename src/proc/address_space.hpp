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
    Result<u32> map_new(u32 vaddr, bool writable);
    // Map an existing physical page (not owned: destroy() leaves it alone), e.g. the disk image.
    Result<void> map_shared(u32 vaddr, u32 phys, bool writable);
    // The physical address behind a user address, or an error when it is not mapped.
    Result<u32> translate(u32 vaddr) const;
    u32 directory() const { return pd_phys_; }

private:
    u32 pd_phys_ = 0;
};
}  // namespace proc
