// A driver's imports: each through a call gate of its own (DPL = its ring), and the RDOS call
// sites that name them (docs/drivers.md, "Imports").
#pragma once
#include "src/drv/registry.hpp"

namespace drv {
// Resolve every import by name, give it the importer's own gate (kept across reloads; its DPL
// follows the ring) and write that into the import's far-pointer slot. False (and said) when one
// does not resolve, is for the kernel only, or the GDT is full.
bool link_imports(Driver& d);
void release_import_gates(Driver& d);  // unload
void print_imports(const Driver& d);   // dump=drivers, the shell's `drivers`
Str find_export_name(u32 export_id);   // the gate directory's name for it (registry.cpp)
}  // namespace drv
