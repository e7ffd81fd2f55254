#include "src/drv/audience.hpp"
#include "src/drv/gate_layout.hpp"

namespace drv {
namespace {
drvabi::Audience g_audience[kMaxExportIds];
u32 g_refused[kMaxExportIds];

bool is_irq_handler(Str name) {  // "<driver>.irq<digits>"
    for (u32 i = 0; i + 4 < name.n; i++)
        if (name.p[i] == '.' && name.sub(i + 1, 3).eq("irq")) {
            if (i + 4 >= name.n) return false;
            for (u32 j = i + 4; j < name.n; j++)
                if (name.p[j] < '0' || name.p[j] > '9') return false;
            return true;
        }
    return false;
}
}  // namespace

drvabi::Audience effective_audience(Str name, u32 declared) {
    if (is_irq_handler(name)) return drvabi::kForKernel;
    return declared >= drvabi::kForKernel && declared <= drvabi::kForPrograms ? drvabi::Audience(declared) : drvabi::kForKernel;
}

void set_audience(u32 id, drvabi::Audience a) {
    if (id >= kMaxExportIds) return;
    g_audience[id] = a;
    g_refused[id] = 0;
}
drvabi::Audience audience(u32 id) { return id < kMaxExportIds ? g_audience[id] : drvabi::kForKernel; }

bool allowed(u32 id, drvabi::Audience caller) {
    if (id >= kMaxExportIds) return false;
    if (caller <= g_audience[id]) return true;
    g_refused[id]++;
    return false;
}
u32 refused(u32 id) { return id < kMaxExportIds ? g_refused[id] : 0; }

const char* audience_name(drvabi::Audience a) {
    switch (a) {
    case drvabi::kForKernel: return "kernel";
    case drvabi::kForDrivers: return "drivers";
    case drvabi::kForPrograms: return "programs";
    }
    return "?";
}
}  // namespace drv
