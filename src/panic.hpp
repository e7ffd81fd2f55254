// Fatal errors and the end of a run. Both print the verdict line the runner reads
// (docs/serial.md) and power off: QEMU's exit device, Bochs' 0x8900 port, else halt.
#pragma once

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void poweroff(bool ok);
// halt=1 on the command line: real hardware keeps the final screen instead of powering off.
void set_halt_instead_of_poweroff(bool halt);
// Called by panic() after its message, before the verdict: a long run says what it was doing
// (the fault-injection campaign names the injection). nullptr: none.
void set_panic_note(void (*note)());

#define KASSERT(cond)                                                              \
    do {                                                                           \
        if (!(cond)) panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
    } while (0)
