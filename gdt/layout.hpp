// The fixed low GDT entries. Their order is the one SYSENTER/SYSEXIT require: with
// IA32_SYSENTER_CS = 0x08, the CPU takes SS = CS+8, user CS = CS+16, user SS = CS+24
// ([intel/vol2] SYSENTER, SYSEXIT). Everything above kFixedEntries is allocated at run time.
#pragma once
#include "src/lib/types.hpp"

namespace gdt {

constexpr u16 selector(u16 index, u8 rpl) { return u16(index << 3) | (rpl & 3); }
constexpr u16 index_of(u16 sel) { return sel >> 3; }

enum Fixed : u16 {
    kNullIndex = 0,
    kKernelCodeIndex = 1,
    kKernelDataIndex = 2,
    kUserCodeIndex = 3,
    kUserDataIndex = 4,
    kTssIndex = 5,
    kDfTssIndex = 6,
    kFixedEntries = 7,
};

inline constexpr u16 kKernelCS = selector(kKernelCodeIndex, 0);
inline constexpr u16 kKernelDS = selector(kKernelDataIndex, 0);
inline constexpr u16 kUserCS = selector(kUserCodeIndex, 3);
inline constexpr u16 kUserDS = selector(kUserDataIndex, 3);
inline constexpr u16 kTss = selector(kTssIndex, 0);
inline constexpr u16 kDfTss = selector(kDfTssIndex, 0);

// The GDT can hold 8192 descriptors: a 13-bit index ([intel/vol3] §3.5.1).
inline constexpr u16 kMaxEntries = 8192;

// User segments end below the kernel's part of the linear address space (3 GiB and up).
inline constexpr u32 kUserLimit = 0xBFFFFFFF;

static_assert(kKernelCS == 0x08, "SYSENTER_CS is 0x08");
static_assert(kKernelDS == kKernelCS + 8, "SYSENTER: SS = CS + 8");
static_assert((kUserCS & ~3) == kKernelCS + 16, "SYSEXIT: user CS = SYSENTER_CS + 16");
static_assert((kUserDS & ~3) == kKernelCS + 24, "SYSEXIT: user SS = SYSENTER_CS + 24");

}  // namespace gdt
