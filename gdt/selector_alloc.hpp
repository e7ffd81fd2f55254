// GDT entry allocator: an O(1) free list over a fixed table, with an owner name per entry.
// Pure logic: the kernel instance lives in .bss (gdt/gdt.cpp), host tests use small capacities.
// No constructor on purpose: a zeroed object is valid (and refuses everything) until init(), so
// the kernel's instance needs no static constructor.
#pragma once
#include "src/lib/result.hpp"

template <u16 N>
class SelectorAlloc {
public:
    static_assert(N >= 2 && N <= 8192, "the GDT holds at most 8192 descriptors ([intel/vol3] §3.5.1)");
    static constexpr u16 kCapacity = N;

    // Entries [0, fixed) are permanent, owned by fixed_owners[i] ("kernel" when the array or an
    // element is nullptr); the rest start free.
    void init(u16 fixed, const char* const* fixed_owners = nullptr) {
        fixed_ = fixed < N ? fixed : N;
        used_ = fixed_;
        for (u16 i = 0; i < fixed_; i++) {
            const char* who = fixed_owners ? fixed_owners[i] : nullptr;
            owner_[i] = who ? who : "kernel";
        }
        // Free list in ascending order, so allocation order is predictable in listings and tests.
        free_head_ = fixed_ < N ? fixed_ : kNone;
        for (u16 i = fixed_; i < N; i++) {
            owner_[i] = nullptr;
            next_[i] = (i + 1 < N) ? u16(i + 1) : kNone;
        }
        ready_ = true;
    }

    // One entry from the head of the free list.
    Result<u16> alloc(const char* owner) {
        if (!ready_ || !owner) return Err::Invalid;
        if (free_head_ == kNone) return Err::NoMemory;
        u16 i = free_head_;
        free_head_ = next_[i];
        owner_[i] = owner;
        used_++;
        return i;
    }

    // `count` adjacent entries, lowest first fit; returns the first index. O(N): for the rare
    // caller that needs neighbours (e.g. code and data selectors 8 bytes apart).
    Result<u16> alloc_range(const char* owner, u16 count) {
        if (!ready_ || !owner || count == 0) return Err::Invalid;
        u32 run = 0, start = 0;
        for (u32 i = fixed_; i < N && run < count; i++) {
            if (owner_[i]) {
                run = 0;
                continue;
            }
            if (run++ == 0) start = i;
        }
        if (run < count) return Err::NoMemory;
        // Unlink the run from the free list in one pass.
        u16* link = &free_head_;
        while (*link != kNone) {
            if (*link >= start && *link < start + count) *link = next_[*link];
            else link = &next_[*link];
        }
        for (u32 i = start; i < start + count; i++) owner_[i] = owner;
        used_ += count;
        return u16(start);
    }

    Result<void> free(u16 i) {
        if (!ready_) return Err::Invalid;
        if (i >= N) return Err::Range;
        if (i < fixed_) return Err::Invalid;   // the fixed entries are permanent
        if (!owner_[i]) return Err::NotFound;  // double free: refused, the list stays intact
        owner_[i] = nullptr;
        next_[i] = free_head_;
        free_head_ = i;
        used_--;
        return {};
    }

    // The owner's name, or nullptr when free, out of range or before init().
    const char* owner(u16 i) const { return ready_ && i < N ? owner_[i] : nullptr; }
    u32 used() const { return used_; }
    u32 free_count() const { return ready_ ? N - used_ : 0; }
    u16 fixed() const { return fixed_; }

    // Iteration over the used entries in index order:
    //   for (u32 i = a.next_used(0); i < N; i = a.next_used(i + 1)) ...
    // Returns N when there is none at or after `from`.
    u32 next_used(u32 from) const {
        if (!ready_) return N;
        for (u32 i = from; i < N; i++)
            if (owner_[i]) return i;
        return N;
    }

private:
    static constexpr u16 kNone = 0xFFFF;  // not an index: N <= 8192
    const char* owner_[N];
    u16 next_[N];
    u16 free_head_;
    u16 fixed_;
    u32 used_;
    bool ready_;
};

// Zero-initialised storage must be enough: no static constructor in the kernel.
static_assert(__is_trivially_constructible(SelectorAlloc<8>), "SelectorAlloc must live in .bss without a constructor");
