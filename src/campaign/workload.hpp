// The campaign's workload: for each driver, calls with answers the kernel can check (an echo
// returns its argument, a RAM-disk block equals the pristine disk bytes, a counter moves by one).
// It runs after each injection on the injected driver (with the IRQ-driven exports made to run
// too: one PIT tick is waited for) and, once the driver is restored, on it again and on every
// other driver.
#pragma once
#include "src/lib/types.hpp"

namespace drv {
struct Driver;
}

namespace campaign {

inline constexpr u32 kMaxExercised = 12;

// One driver the campaign injects into: its workload and the exports that workload calls (where
// stub faults are written; an IRQ export runs from the PIT interrupt with IF = 0).
struct Target {
    drv::Driver* driver;
    const char* name;
    u32 exercised_code[kMaxExercised];  // code offsets
    bool exercised_irq[kMaxExercised];
    const char* exercised_name[kMaxExercised];
    u32 exercised;
    bool (*work)(u32 salt, bool wait_irq);
};

// Resolves the gates and the drivers the workload needs; false (with a message) when something
// is missing: no kernel buffer alias, no disk copy.
bool workload_init();
// The targets found among the loaded drivers (null, faulty, ramdisk, vga, serial, pit, kbd).
u32 targets(Target** out);
// The RAM disk's image against the copy taken by workload_init (true without a disk), and back.
bool disk_intact();
void restore_disk();

}  // namespace campaign
