// Every driver's header (drivers/lib/abi.hpp), first in its data segment (drivers/lib/driver.ld).
// Only link-time constants: drivers run no constructors.
#include "drivers/lib/driver.hpp"

extern "C" {
extern const char gh_driver_name[];
extern const drvabi::Export gh_exports_start[], gh_exports_end[];
extern const drvabi::Import gh_imports_start[], gh_imports_end[];
extern char gh_trampoline[];
extern const char gh_rodata_end[];
extern const drvabi::PortRange gh_ports_start[], gh_ports_end[];
extern char GH_DRIVER_MODE[];  // an absolute symbol: GH_DRIVER_MODE(m), else 0 (driver.ld)
extern char GH_STACK_SLOTS[], GH_STACK_SLOT_BYTES[];  // linker-script constants, seen as addresses
[[gnu::weak]] GH_FN u32 gh_init(u32, u32, u32);       // a driver defines it to run code at load
}

[[gnu::used, gnu::section(".gh_header")]] const drvabi::Header gh_header = {
    drvabi::kMagic,
    drvabi::kVersion,
    reinterpret_cast<u32>(GH_STACK_SLOTS),
    reinterpret_cast<u32>(GH_STACK_SLOT_BYTES),
    reinterpret_cast<u32>(gh_driver_name),
    reinterpret_cast<u32>(gh_exports_start),
    reinterpret_cast<u32>(gh_exports_end),
    reinterpret_cast<u32>(gh_imports_start),
    reinterpret_cast<u32>(gh_imports_end),
    reinterpret_cast<u32>(gh_trampoline),
    reinterpret_cast<u32>(&gh_init),
    reinterpret_cast<u32>(gh_rodata_end),
    reinterpret_cast<u32>(GH_DRIVER_MODE),
    reinterpret_cast<u32>(gh_ports_start),
    reinterpret_cast<u32>(gh_ports_end),
};
