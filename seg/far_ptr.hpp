// FarPtr<T>: selector + offset, the way buffers cross segments (DESIGN, "Far pointers"). The layout
// is the CPU's m16:32 far pointer (offset, then selector), so `lcall *ptr` / `lfs` can use it.
// Handing a callee the caller's whole data segment exposes all of it: the kernel gives drivers a
// narrow alias descriptor covering just the buffer (seg/alias.hpp).
#pragma once
#include "src/lib/types.hpp"

template <class T>
struct FarPtr {
    u32 offset;
    u16 selector;
    u16 pad;

    constexpr FarPtr() : offset(0), selector(0), pad(0) {}
    constexpr FarPtr(u16 sel, u32 off) : offset(off), selector(sel), pad(0) {}
    constexpr bool null() const { return (selector & ~3) == 0; }
    constexpr FarPtr operator+(u32 n) const { return FarPtr(selector, offset + n * sizeof(T)); }
};
static_assert(sizeof(FarPtr<u8>) == 8);

// Does [offset, offset + len) fit a segment whose byte limit is `limit`? No wraparound; len 0 fits.
constexpr bool far_range_ok(u32 offset, u32 len, u32 limit) {
    if (len == 0) return offset <= limit || offset == limit + 1;
    return offset <= limit && len - 1 <= limit - offset;
}
static_assert(far_range_ok(0, 512, 511) && !far_range_ok(0, 513, 511) && !far_range_ok(1, 512, 511));
static_assert(!far_range_ok(0xFFFFFFFF, 2, 0xFFFFFFFF) && far_range_ok(0xFFFFFFFE, 2, 0xFFFFFFFF));
