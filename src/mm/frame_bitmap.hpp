// Physical frame bitmap over the 4 GiB a 32-bit physical address reaches (1 bit per 4 KiB frame).
// Pure logic: the kernel instance lives in .bss, host tests use the same class.
#pragma once
#include "src/lib/result.hpp"

class FrameBitmap {
public:
    static constexpr u32 kFrames = 1u << 20;  // 4 GiB / 4 KiB

    // Everything starts used; the memory map then frees what is usable.
    void init() {
        for (u32& w : used_) w = ~0u;
        for (u32& w : handed_out_) w = 0;
        free_ = 0;
        hint_ = 0;
    }
    // [first, last] inclusive frame numbers.
    void set_free(u32 first, u32 last) { set_range(first, last, false); }
    void set_used(u32 first, u32 last) { set_range(first, last, true); }

    Result<u32> alloc() {  // returns a frame number
        for (u32 n = 0; n < kWords; n++) {
            u32 w = (hint_ + n) % kWords;
            if (used_[w] == ~0u) continue;
            u32 bit = 0;
            while (used_[w] & (1u << bit)) bit++;
            used_[w] |= 1u << bit;
            handed_out_[w] |= 1u << bit;
            free_--;
            hint_ = w;
            return w * 32 + bit;
        }
        return Err::NoMemory;
    }
    // `count` contiguous frames (drivers need physically contiguous segments: no paging yet).
    Result<u32> alloc_run(u32 count) {
        if (count == 0 || count > free_) return Err::NoMemory;
        u32 run = 0;
        for (u32 f = 0; f < kFrames; f++) {
            if ((f & 31) == 0 && used_[f / 32] == ~0u) {  // skip full words
                run = 0;
                f += 31;
                continue;
            }
            run = is_used(f) ? 0 : run + 1;
            if (run == count) {
                u32 first = f + 1 - count;
                for (u32 g = first; g <= f; g++) {
                    used_[g / 32] |= 1u << (g % 32);
                    handed_out_[g / 32] |= 1u << (g % 32);
                }
                free_ -= count;
                return first;
            }
        }
        return Err::NoMemory;
    }
    Result<void> free(u32 frame) {
        if (frame >= kFrames) return Err::Range;
        u32 bit = 1u << (frame % 32);
        // Only frames alloc() handed out come back: a double free or a reserved frame is refused.
        if (!(handed_out_[frame / 32] & bit)) return Err::Invalid;
        handed_out_[frame / 32] &= ~bit;
        used_[frame / 32] &= ~bit;
        free_++;
        return {};
    }
    bool is_used(u32 frame) const { return frame >= kFrames || (used_[frame / 32] >> (frame % 32)) & 1; }
    u32 free_count() const { return free_; }

private:
    static constexpr u32 kWords = kFrames / 32;
    void set_range(u32 first, u32 last, bool used) {
        if (last >= kFrames) last = kFrames - 1;
        for (u32 f = first; f <= last && f >= first; f++) {
            bool was = is_used(f);
            if (was == used) continue;
            if (used) used_[f / 32] |= 1u << (f % 32), free_--;
            else used_[f / 32] &= ~(1u << (f % 32)), free_++;
        }
    }
    u32 used_[kWords];        // reserved or handed out
    u32 handed_out_[kWords];  // handed out by alloc()
    u32 free_;
    u32 hint_;
};
