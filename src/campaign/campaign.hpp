// The driver fault-injection campaign (campaign=N on the command line; docs/reliability.md,
// "Driver fault injection"): N injections, each into one driver with one fault, followed by a
// workload that uses the driver and its neighbours, and the checks that the fault was contained.
// Prints a table per fault type and machine-readable CAMPAIGN lines (docs/serial.md).
#pragma once
#include "src/boot/cmdline.hpp"

namespace campaign {
// True when every detected fault was contained, nothing leaked and the checksummed set held.
bool run(const Options& o);
}  // namespace campaign
