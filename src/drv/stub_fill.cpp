#include "src/drv/stub_fill.hpp"

namespace drv {
namespace {
u32 value_for(u32 placeholder, const StubValues& v) {
    switch (placeholder) {
        case kPhId: return v.id;
        case kPhStacks: return v.stacks_addr;
        case kPhLimit: return v.limit;
        case kPhDs: return v.ds_addr;
        case kPhThunk: return v.thunk;
        default: return v.cs;
    }
}
}  // namespace

bool fill_stub(u8* out, const u8* tmpl, u32 bytes, const StubPatch* patches, u32 count, const StubValues& v) {
    if (bytes > kStubBytes) return false;
    for (u32 i = 0; i < bytes; i++) out[i] = tmpl[i];
    for (u32 i = 0; i < count; i++) {
        const StubPatch& p = patches[i];
        u32 width = p.placeholder == kPhCs ? 2 : 4;
        if (p.placeholder != kPhId && p.placeholder != kPhStacks && p.placeholder != kPhLimit &&
            p.placeholder != kPhDs && p.placeholder != kPhThunk && p.placeholder != kPhCs)
            return false;
        if (p.offset > bytes || bytes - p.offset < width) return false;
        u32 have = 0;
        for (u32 k = 0; k < width; k++) have |= u32(tmpl[p.offset + k]) << (8 * k);
        if (have != p.placeholder) return false;
        u32 put = value_for(p.placeholder, v);
        for (u32 k = 0; k < width; k++) out[p.offset + k] = u8(put >> (8 * k));
    }
    return true;
}
}  // namespace drv
