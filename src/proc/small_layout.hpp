// Small address spaces (Liedtke, SOSP '95; docs/ipc.md "Three ways to a service"): the layout
// and the encodings, pure and host-tested (test/unit/test_small_layout.cpp).
//
// A region of kSlots slots of 4 MiB at kRegionBase, below the kernel and mapped in every page
// directory (the kernel's and each process's) through the same page tables, so a switch to a
// small server loads segment registers, not CR3. Each slot is one page table (one PDE). The
// region's PDEs are supervisor-only (U = 0): a ring-3 program cannot touch it whatever its
// segments say, which matters because SYSEXIT hands it flat 4 GiB CS/SS caches (DESIGN, "Small
// address spaces"). Small servers therefore run at ring 2 — supervisor for paging — confined only
// by their segments: code and data descriptors of DPL 2 whose base is the slot and whose limit
// is the slot's last byte. Within its segments a server sees offsets [0, 4 MiB): the image at
// 0x1000 (linked there, user/lib/small.ld: the segment base puts it in whichever slot it gets,
// so there is no relocation), the RAM-disk mapping at kDiskAt, the stack below kStackTop.
#pragma once
#include "gdt/descriptor.hpp"
#include "src/lib/types.hpp"
#include "src/proc/syscall_mech.hpp"

namespace small {
inline constexpr u32 kRegionBase = 0xB0000000;
inline constexpr u32 kSlotBytes = 4u << 20;    // one page table per slot
inline constexpr u32 kSlots = 8;
inline constexpr u32 kRegionBytes = kSlots * kSlotBytes;  // 32 MiB: 0xB0000000-0xB1FFFFFF
inline constexpr u32 kFirstPde = kRegionBase >> 22;
inline constexpr u8 kRing = 2;
inline constexpr u32 kImageLow = 0x1000;      // offset 0 stays unmapped: null pointers fault
inline constexpr u32 kDiskAt = 0x00200000;    // map_disk in a small space (at most kDiskMax)
inline constexpr u32 kDiskMax = 1u << 20;
inline constexpr u32 kImageTop = kDiskAt;     // the image lies in [kImageLow, kDiskAt)
inline constexpr u32 kStackTop = kSlotBytes;  // ESP starts at the slot's end (offset 4 MiB)
inline constexpr u32 kStackBytes = 16u << 10;
// The program-header type that marks an image as a small server (PT_LOOS range; "Gh").
inline constexpr u32 kPtSmallSpace = 0x67480001;

constexpr u32 slot_base(u32 slot) { return kRegionBase + slot * kSlotBytes; }
constexpr bool in_region(u32 linear) { return linear >= kRegionBase && linear - kRegionBase < kRegionBytes; }
// [off, off + len) inside a slot, without wrapping: the software twin of the segment limit.
constexpr bool range_ok(u32 off, u32 len) { return len <= kSlotBytes && off <= kSlotBytes - len; }

// Accessed bit set in advance: the CPU would otherwise write the descriptor when a selector is
// first loaded ([intel/vol3] §3.4.5.1). Present clear: a slot's descriptors are present only
// while its server runs, so no other small server (ring 2 may load any DPL-2/3 selector) can
// load them.
constexpr u64 kAccessedBit = u64(desc::kAccessed) << desc::kTypeShift;
constexpr u64 kPresentBit = u64(1) << desc::kPShift;
constexpr u64 code_descriptor(u32 slot) {
    return (desc::segment(slot_base(slot), kSlotBytes - 1, desc::Kind::CodeRX, kRing) | kAccessedBit) & ~kPresentBit;
}
constexpr u64 data_descriptor(u32 slot) {
    return (desc::segment(slot_base(slot), kSlotBytes - 1, desc::Kind::DataRW, kRing) | kAccessedBit) & ~kPresentBit;
}

// The mechanism a process's system-call sites are patched to: SYSEXIT would return a small
// server with flat ring-3 CS/SS, so its sites get call gates (RETF restores its own CS/SS);
// INT 0x80 (IRET) is kept when the boot forces it.
constexpr proc::Mech site_mechanism(proc::Mech boot, bool small_space) {
    return small_space && boot == proc::Mech::Sysenter ? proc::Mech::Gate : boot;
}

static_assert(kRegionBase % kSlotBytes == 0 && kRegionBase + kRegionBytes <= 0xBF000000, "below user stacks and the kernel");
static_assert(kStackTop - kStackBytes > kDiskAt + kDiskMax, "stack above the disk mapping");
}  // namespace small
