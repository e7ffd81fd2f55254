// User program validation: a static ELF32 executable whose loadable segments lie in user space.
// Pure (host-tested); a malformed program is refused with a reason and never run.
#pragma once
#include "src/lib/types.hpp"

namespace proc {
inline constexpr u32 kUserLow = 0x00001000;    // page 0 stays unmapped: null pointers fault
inline constexpr u32 kUserTop = 0xBF000000;    // below the stack area and the 3 GiB limit
inline constexpr u32 kMaxProgramBytes = 16u << 20;
inline constexpr u32 kMaxSegments = 8;

struct UserSegment {
    u32 vaddr, memsz, filesz, offset;
    bool writable, executable;
};
struct UserImage {
    u32 entry;
    u32 count;
    bool small_space;  // a program header of type small::kPtSmallSpace: load it into a small space
    UserSegment seg[kMaxSegments];
};

bool parse_user_image(const u8* file, u32 size, UserImage* out, const char** why);
}  // namespace proc
