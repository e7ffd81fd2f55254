// Reboot and power-off for the shell on real hardware (docs/syscalls.md, "Shell services").
#pragma once
#include "src/lib/types.hpp"

namespace power {
// The 8042 keyboard controller's pulse-reset command (0xFE to port 0x64); if the machine is
// still running after it (no controller), a triple fault: an empty IDT and an exception.
[[noreturn]] void reboot();
// "gatehouse: poweroff ok", then the emulators' exit ports (unless acpi_only), then ACPI S5 where
// the tables exist, then a halt with the message that it is safe to turn the computer off.
[[noreturn]] void power_off(bool acpi_only);
void print_acpi();  // what the tables say (the shell's `acpi`)
}  // namespace power
