#include "seg/fixup.hpp"
#include "src/trap/frame.hpp"

namespace {
struct Entry {
    u32 fault_eip, fixup_eip;
};
fixup::Record g_last;
}  // namespace

extern "C" const Entry __extable_start[], __extable_end[];

namespace fixup {

u32 find(u32 eip) {
    for (const Entry* e = __extable_start; e < __extable_end; e++)
        if (e->fault_eip == eip) return e->fixup_eip;
    return 0;
}

bool apply(TrapFrame& f) {
    u32 to = find(f.eip);
    if (!to) return false;
    g_last = {f.vector, f.error, f.eip, f.cs & 0xFFFF, g_last.count + 1};
    f.eip = to;
    return true;
}

const Record& last() { return g_last; }

}  // namespace fixup
