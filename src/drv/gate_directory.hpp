// The gate directory: export names ("driver.function") to export ids and call-gate selectors.
// Imports are resolved by name here; a name is taken once; removed entries are never found again.
// Pure, so the host tests can pin it.
#pragma once
#include "src/drv/image.hpp"

namespace drv {

struct GateEntry {
    Str name;       // points into the exporting image or kernel rodata
    u32 export_id;
    u16 gate;       // call-gate selector (DPL 0); 0 once removed
};

template <u32 N>
class GateDirectory {
public:
    // The next entry's export id is its index: entry stubs are numbered the same way.
    Result<u32> add(Str name, u16 gate) {
        if (!valid_symbol_name(name)) return Err::Invalid;
        if (find(name)) return Err::Invalid;  // taken
        if (count_ == N) return Err::NoMemory;
        entries_[count_] = {name, count_, gate};
        return count_++;
    }
    const GateEntry* find(Str name) const {
        for (u32 i = 0; i < count_; i++)
            if (entries_[i].gate && entries_[i].name.eq(name)) return &entries_[i];
        return nullptr;
    }
    // The id the next add() returns (used for a transient entry such as an init call).
    u32 next_id() const { return count_; }
    void remove(u32 id) {
        if (id < count_) entries_[id].gate = 0;
    }
    u32 count() const { return count_; }
    const GateEntry& at(u32 id) const { return entries_[id]; }

private:
    GateEntry entries_[N];
    u32 count_ = 0;
};

}  // namespace drv
