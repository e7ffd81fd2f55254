// Each driver's isolation (issue 11; docs/drivers.md, "Modes and ports"): the mode its image asks
// for, the command line's override (drvring=), the mode it runs in, and its declared I/O ports as
// a TSS I/O bitmap port set. Ring 0, ring 1 and ring 1 + GDT domains (src/drv/domains.hpp). The ring-1 stubs switch the bitmap to the callee's ports
// and back (src/drv/stub_template1.inc); ring-0 drivers never consult it (CPL 0 <= IOPL 0).
#pragma once
#include "drivers/lib/abi.hpp"
#include "gdt/iopb.hpp"
#include "src/boot/cmdline.hpp"
#include "src/lib/result.hpp"

namespace drv {
struct Driver;

struct Isolation {
    drvabi::Mode requested;  // the image's field
    drvabi::Mode effective;  // the override, else requested: what it will run in once built
    bool overridden;         // effective comes from drvring=
    iopb::PortSet ports;     // its declared ports (validated by parse_image)
};

// The command line's overrides (kmain, before drv::init): kept for every driver loaded later.
void set_mode_options(const Options& o);
// After drv::init: a per-driver override naming no loaded driver is reported ("drvring: ...").
void report_unused_overrides();
// Hook from the loader: record the driver's modes and port set.
void setup_isolation(const Driver& d);
const Isolation& isolation(u32 driver);
// The mode a driver really runs in (a domain without memory for its GDT copy runs in ring 1).
// Fixed at load and by change_mode: its descriptors' DPL follow it (cpl_of).
drvabi::Mode running_mode(u32 driver);
constexpr u8 cpl_of(drvabi::Mode m) { return m == drvabi::kRing0 ? 0 : 1; }

// Run a loaded driver in another mode from now on: its two descriptors get that ring's DPL (the
// same selectors), and it is reloaded from its pristine image (src/drv/mode_change.cpp). Refused
// (Busy) while a call into it is in flight; Invalid for the kernel or a driver that is not up.
Result<void> change_mode(Driver& d, drvabi::Mode m);
void set_effective_mode(u32 driver, drvabi::Mode m);  // the record only (change_mode's first step)

const char* mode_name(drvabi::Mode m);  // "ring 0", "ring 1", "ring 1 + domains"
// "driver:   mode ..." and "driver:   ports ..." lines for the listings (dump=drivers, the shell).
void print_isolation(const Driver& d);

// Open `driver`'s ports in the main TSS's bitmap (closing whatever driver's were open), or close
// all with kNoDriver. Returns the bitmap bytes written: only those whose value changes.
inline constexpr u32 kNoDriver = 0xFFFFFFFF;
u32 switch_io_ports(u32 driver);
u32 io_ports_open_for();  // whose ports are open, or kNoDriver
}  // namespace drv
