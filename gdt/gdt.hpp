// The GDT: fixed low entries (gdt/layout.hpp) plus run-time entries, each with an owner.
#pragma once
#include "gdt/layout.hpp"
#include "src/lib/result.hpp"

namespace gdt {

void init();  // build the fixed entries, load GDTR, reload every segment register

u64 get(u16 index);
// The descriptor the encoders produce for a fixed entry (what the live GDT must hold).
u64 expected_fixed(u16 index);

// Allocate an entry for `owner`, write `descriptor` into it, return its selector (RPL 0).
Result<u16> alloc(const char* owner, u64 descriptor);
// Two adjacent entries (the second's selector is the first's + 8) for one owner; the first's
// selector. A small space's code and data pair: the IPC fast path reaches both access bytes
// from one pointer (src/proc/ipc_fast.asm).
Result<u16> alloc_pair(const char* owner, u64 first, u64 second);
// Clear and free a run-time entry; fixed entries, free entries and bad selectors are refused.
Result<void> release(u16 selector);
// Rewrite a fixed entry's descriptor (TSS setup).
void set_fixed(u16 index, u64 descriptor);
// Set or clear a code/data entry's present bit (small-space domains, src/proc/small_space.cpp).
void set_present(u16 selector, bool present);
// The access byte (P, DPL, type) of a descriptor: set_present's byte, for the IPC fast path's
// domain switch (src/proc/ipc_fast.asm), which does the same one-byte stores. nullptr for null or
// out-of-range selectors.
u8* access_byte(u16 selector);
const char* owner(u16 selector);  // nullptr when free
// Called with the index after every write above (the GDT domains' copies follow the table,
// src/drv/domains.cpp); written() for a caller that changed an access byte itself.
void set_write_hook(void (*hook)(u16 index));
void written(u16 selector);
u32 used();

// The listing documented in docs/serial.md ("gdt:" lines), compared against Bochs' info gdt.
void print();
// The listing's header and counts by kind: what every boot shows (the listing is dump=gdt).
void print_summary();

}  // namespace gdt
