// The kernel's own 16550 UART driver for COM1: the fallback console that works before and
// without any loaded driver, and the channel the test runner reads.
#pragma once
#include "src/lib/types.hpp"

namespace serial {
bool init();        // false when no UART answers at COM1
bool present();
void put(char c);
}  // namespace serial
