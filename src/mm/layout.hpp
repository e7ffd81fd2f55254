// The kernel's part of the linear address space. User space is [0, 3 GiB) (the user segments'
// limit, gdt/layout.hpp); the kernel lives at 3 GiB and up, mapped in every address space: the
// first kDirectMapBytes of physical memory at kKernelBase ("direct map"). Physical memory above
// that is used through temporary mappings (DESIGN, "User space and system calls").
#pragma once
#include "src/lib/types.hpp"

namespace mm {
inline constexpr u32 kKernelBase = 0xC0000000;
inline constexpr u32 kDirectMapBytes = 0x38000000;  // 896 MiB: up to 0xF8000000
inline constexpr u32 kPageSize = 4096;
inline constexpr u32 kBigPageSize = 4u << 20;       // a PSE page ([intel/vol3] §4.3)

constexpr bool in_direct_map(u32 phys) { return phys < kDirectMapBytes; }
inline void* p2v(u32 phys) { return reinterpret_cast<void*>(uptr(phys + kKernelBase)); }
template <class T>
T* p2v(u32 phys) { return static_cast<T*>(p2v(phys)); }
inline u32 v2p(const void* virt) { return u32(uptr(virt)) - kKernelBase; }

static_assert(kKernelBase % kBigPageSize == 0 && kDirectMapBytes % kBigPageSize == 0);
}  // namespace mm
