// The fuzzer's entry into the kernel (enter.asm): one system call with chosen registers, EFLAGS
// and data segment registers, by one of the ways in, and what the CPU state was after it.
#pragma once
#include "src/lib/types.hpp"

namespace fuzz {
enum How : u32 { kNear = 0, kFar = 1, kInt = 2, kSysenter = 3 };

struct Entry {
    u32 eax, ebx, esi, edi;  // in: number (kInt, kSysenter) and arguments; out: as returned
    u32 ebp, esp;            // out
    u32 eflags;              // in: popped just before the call; out: pushed just after
    u32 ds, es, fs, gs;      // in: loaded before the call; out: read back after
    u32 target;              // near: address to call; far: offset
    u32 target_sel;          // far: selector
    u32 how;
};
static_assert(__builtin_offsetof(Entry, ebp) == 16 && __builtin_offsetof(Entry, eflags) == 24 &&
              __builtin_offsetof(Entry, ds) == 28 && __builtin_offsetof(Entry, gs) == 40 &&
              __builtin_offsetof(Entry, target) == 44 && __builtin_offsetof(Entry, how) == 52,
              "enter.asm's offsets");

// EFLAGS bits ([intel/vol1] 3.4.3).
enum Flag : u32 {
    kCF = 1u << 0, kReserved1 = 1u << 1, kPF = 1u << 2, kAF = 1u << 4, kZF = 1u << 6, kSF = 1u << 7,
    kTF = 1u << 8, kIF = 1u << 9, kDF = 1u << 10, kOF = 1u << 11, kIOPL = 3u << 12, kNT = 1u << 14,
    kRF = 1u << 16, kVM = 1u << 17, kAC = 1u << 18, kID = 1u << 21,
};
}  // namespace fuzz

extern "C" void fuzz_enter(fuzz::Entry* e);
extern "C" u32 fuzz_expected_esp();
extern "C" u8 fuzz_sites[];            // 8 bytes per site: the 7-byte site and a RET
extern "C" const u32 fuzz_site_numbers[];
extern "C" const u32 fuzz_site_count;
extern "C" u8 fuzz_victim_code[4096];  // a page of our code nothing runs: a read-only target
