// The checksummed set (DESIGN, "What nothing else changes means"): kernel text and rodata, the
// drivers' code and rodata, the GDT, the IDT and the TSSes' configuration with the I/O bitmap. One FNV-1a hash per
// part, so a change says which part moved. The containment self-test compares snapshots taken
// around one fault (leaving out the faulty driver); the fault-injection campaign compares every
// snapshot with the one taken before its first injection (leaving out nothing: every injected
// driver has been restored by then).
#pragma once
#include "src/lib/types.hpp"

namespace drv {
struct Driver;

struct Snapshot {
    u32 kernel, gdt, idt, tss, others;  // others: the drivers' code and rodata
    u32 esp0, iomap;                    // parts of tss, to say which changed (esp0 as it is)
    bool operator==(const Snapshot&) const = default;
};

// `exclude`: a driver whose code, rodata and GDT entries are left out (nullptr: none).
Snapshot snapshot(const Driver* exclude);
// The names of the parts that differ, e.g. "gdt,others" (a static buffer), or "" when none.
const char* snapshot_diff(const Snapshot& a, const Snapshot& b);
}  // namespace drv
