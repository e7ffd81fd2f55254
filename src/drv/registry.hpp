// Loaded drivers, their selectors and gates, and the gate directory (docs/drivers.md).
// Driver 0 is the kernel itself: its services ("kernel.*") are exports like any other, reached
// through call gates, running on the thread's kernel stack.
#pragma once
#include "src/boot/multiboot.hpp"
#include "src/drv/gate_directory.hpp"
#include "src/drv/gate_layout.hpp"
#include "src/drv/image.hpp"
#include "src/lib/result.hpp"

namespace drv {

enum class State : u8 { Empty, Up, Failed };

struct Driver {
    char name[kMaxNameLen + 1];
    const char* file;          // the module's name, for messages
    State state;
    Image image;               // the pristine image (module memory, never written)
    const u8* file_bytes;
    u32 file_size;
    u32 code_base, code_bytes; // where the code segment lives (linear = physical)
    u32 data_base, data_bytes;
    u16 cs, ds;
    u32 first_export, export_count;  // export ids [first, first + count)
    u32 import_export[kMaxImports];  // export id each import resolved to
    u16 import_gate[kMaxImports];    // its own call gate for each import, DPL = its ring (0: none yet)
    u32 restarts, faults;
    bool initializing;         // its init is running: a fault now leaves it down (no reload loop)
};

// Kernel services become exports of driver 0; then every module ending in ".drv" is validated
// and loaded; imports are resolved once all are loaded; init functions run last.
void init(const mb::Info& info);

u32 count();                       // including the kernel (index 0)
u32 code_limit(const Driver& d);   // its code segment's size: the code, then a thunk per export and init
Driver& get(u32 index);
Driver* by_cs(u16 cs);             // the driver whose code selector this is
Driver* by_name(Str name);
u32 index_of(const Driver& d);
bool owns_selector(const Driver& d, u16 sel);  // its code, data, export and import gates

// The gate directory.
const GateEntry* find_gate(Str name);
u32 gate_count();
const GateEntry& gate_at(u32 i);

// Kernel -> export by name (through its call gate): the result, or an error result.
u32 call(const char* name, u32 a = 0, u32 b = 0, u32 c = 0);

// Reload a driver from its pristine image into the same selectors and memory.
Result<void> reload(Driver& d, bool count_restart = true);
// Unload: release its selectors, gates and memory. Refused (Busy) while a call into it is in
// flight or another loaded driver imports from it (its far-pointer slots hold our gates).
Result<void> unload(Driver& d);
// Load an unloaded driver again from its module: new memory and selectors, its exports back in
// the gate directory, imports linked, IRQs routed, init run (the shell's `load`).
Result<void> load_again(Driver& d);

// Patch an RDOS-style site (9A <import index> <null selector>) at `eip` in driver `d`'s code into
// a direct far call to the import's entry stub. False when the bytes are not such a site.
bool patch_call_site(Driver& d, u32 eip);
u32 patched_sites();

// Up, and not already in a call on this thread (so not re-entered from its own fault report).
bool callable(u32 driver);
inline u32 gh_exports_driver(u32 export_id) { return gh_exports[export_id].driver; }

void print();  // dump=drivers
}  // namespace drv
