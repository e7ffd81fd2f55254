// Driver symbols: a fault report names the function at an EIP from the driver's own ELF symbol
// table, read (bounds-checked) from the pristine image; nothing of it is loaded into the driver.
#pragma once
#include "src/lib/types.hpp"

namespace drv {
struct Driver;
// The function containing code offset `eip`; nullptr when unknown. *offset = eip - its start.
const char* symbolize(const Driver& d, u32 eip, u32* offset);
}  // namespace drv
