// crash=<kind>: deliberate failures so the boot tests can check that the runner and the kernel's
// reports handle each way a run can go wrong (docs/cmdline.md).
#pragma once
#include "src/boot/cmdline.hpp"

[[noreturn]] void crash(Crash kind);
