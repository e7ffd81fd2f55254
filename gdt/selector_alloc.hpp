// GDT entry allocator: an O(1) free list over a fixed table, with an owner name per entry.
// Pure logic: the kernel instance lives in .bss (gdt/gdt.cpp), host tests use small capacities.
#pragma once
#include "src/lib/result.hpp"

template <u16 N>
class SelectorAlloc {
public:
    static_assert(N >= 2 && N <= 8192, "the GDT holds at most 8192 descriptors ([intel/vol3] §3.5.1)");

    // Entries [0, fixed) are permanent with the given owners; the rest start free.
    void init(u16 fixed, const char* const* fixed_owners) {
        fixed_ = fixed < N ? fixed : N;
        used_ = fixed_;
        for (u16 i = 0; i < fixed_; i++) owner_[i] = fixed_owners[i];
        // Free list in ascending order, so allocation order is predictable in listings and tests.
        free_head_ = fixed_ < N ? fixed_ : kNone;
        for (u16 i = fixed_; i < N; i++) {
            owner_[i] = nullptr;
            next_[i] = (i + 1 < N) ? u16(i + 1) : kNone;
        }
    }

    Result<u16> alloc(const char* owner) {
        if (free_head_ == kNone) return Err::NoMemory;
        if (!owner) return Err::Invalid;
        u16 i = free_head_;
        free_head_ = next_[i];
        owner_[i] = owner;
        used_++;
        return i;
    }

    Result<void> free(u16 i) {
        if (i >= N) return Err::Range;
        if (i < fixed_) return Err::Invalid;       // the fixed entries are permanent
        if (!owner_[i]) return Err::NotFound;      // double free: refused, the list stays intact
        owner_[i] = nullptr;
        next_[i] = free_head_;
        free_head_ = i;
        used_--;
        return {};
    }

    const char* owner(u16 i) const { return i < N ? owner_[i] : nullptr; }
    u32 used() const { return used_; }
    u16 fixed() const { return fixed_; }

private:
    static constexpr u16 kNone = 0xFFFF;
    const char* owner_[N];
    u16 next_[N];
    u16 free_head_;
    u16 fixed_;
    u32 used_;
};
