// Export audiences (docs/drivers.md, "Who may call an export"): each export says whether only the
// kernel, also drivers, or also user programs may call it; refused calls are counted per export.
#pragma once
#include "drivers/lib/abi.hpp"
#include "src/lib/str.hpp"

namespace drv {
// The audience an export named `name` gets from its declaration: IRQ handlers
// ("<driver>.irq<N>") are the kernel's whatever they declare.
drvabi::Audience effective_audience(Str name, u32 declared);
void set_audience(u32 export_id, drvabi::Audience a);
drvabi::Audience audience(u32 export_id);
// May a caller of this level call the export? A refusal is counted.
bool allowed(u32 export_id, drvabi::Audience caller);
u32 refused(u32 export_id);
const char* audience_name(drvabi::Audience a);
}  // namespace drv
