// Fault fixups: a faulting instruction listed in .extable resumes at its fixup instead of
// panicking. The last fixed-up fault is kept for the caller to inspect.
#pragma once
#include "src/lib/types.hpp"

struct TrapFrame;

namespace fixup {
struct Record {
    u32 vector, error, eip, cs;
    u32 count;  // fixed-up faults since boot
};

// If the frame's EIP has a fixup: record the fault, point EIP at the fixup, return true.
bool apply(TrapFrame& f);
const Record& last();
u32 find(u32 eip);  // fixup EIP for a faulting EIP, 0 if none
}  // namespace fixup
