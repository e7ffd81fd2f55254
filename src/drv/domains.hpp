// GDT domains (issue 11, point 2; docs/drivers.md, "Ring 1 + domains"): walls between drivers.
// A driver in the domains mode runs at CPL 1 like a ring-1 driver, on a GDT of its own: a copy of
// the kernel's table in which the descriptors it must not load are not present — every other
// domain's code, data and import gates and the user segments (DPL 3, and the small servers' DPL 2)
// — so loading one is #NP, contained. The copies follow every write to the table (gdt's write
// hook); their accessed bits are set in advance, so the CPU never writes one. The domain stub
// loads the callee's copy and the way back its caller's (src/drv/stub_template1.inc,
// gh_domain_back); kernel code runs on whichever is loaded, since every descriptor the kernel
// itself loads (its own, the TSSes, the public gates, the drivers outside domains) is present in
// all of them.
#pragma once
#include "src/arch/x86.hpp"
#include "src/lib/result.hpp"

namespace drv {
using GdtrImage = x86::TablePtr;  // LGDT's operand ([intel/vol2] LGDT): limit, then base
}  // namespace drv

extern "C" {
extern drv::GdtrImage gh_gdtr_main;
extern drv::GdtrImage* gh_gdt_current;  // the image loaded now (the stubs save and restore it)
}

namespace drv {
void init_domains();                  // before any driver loads: the kernel's image, the hook
Result<void> enter_domains(u32 di);   // driver di runs in a domain from now on (its copy built)
void leave_domains(u32 di);           // ... no longer (its copy freed)
bool is_domain(u32 di);
const GdtrImage* domain_gdtr(u32 di);  // its copy's image, nullptr for a driver outside domains
u32 domain_count();
bool is_gdt_image(const GdtrImage* g);  // the kernel's, or a domain's
GdtrImage* loaded_gdt_image();           // the image of the table GDTR holds (the kernel's if none)
// The driver whose GDT copy GDTR holds now (nullptr: the kernel's table), and that copy's entry.
const char* domain_loaded_now();
u64 domain_view_now(u16 index);
void resync_domains();                // every copy again (a driver entered or left a domain)
// Every copy hashed without the CPU-written bits, up to the highest entry in use, `exclude`'s
// entries left out (the integrity snapshot, src/drv/integrity.cpp).
u32 domains_hash(u32 h, const struct Driver* exclude, u32 (*fnv)(u32, const void*, u32));
// What driver di's copy holds for table entry `index` (pure but for the table and the drivers).
u64 domain_view(u32 di, u16 index);
}  // namespace drv
