// Decoded exception reports (docs/serial.md, "trap:" lines): vector and name, CS:EIP and the
// symbol there, the error code decoded down to the selector's owner.
#pragma once
#include "src/lib/types.hpp"

struct TrapFrame;
void trap_report(const TrapFrame& f, u32 resume_eip);

// Single-step traps from a TF that a program set (ignored; src/trap/trap.cpp).
u32 trap_single_steps_ignored();
