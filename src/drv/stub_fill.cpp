#include "src/drv/stub_fill.hpp"

namespace drv {

bool fill_stub(u8* out, const u8* tmpl, u32 bytes, const StubPatch* patches, u32 count, const StubValue* values,
               u32 nvalues) {
    if (bytes > kStubBytes) return false;
    for (u32 i = 0; i < bytes; i++) out[i] = tmpl[i];
    for (u32 i = 0; i < count; i++) {
        const StubPatch& p = patches[i];
        const StubValue* v = nullptr;
        for (u32 k = 0; k < nvalues && !v; k++)
            if (values[k].placeholder == p.placeholder) v = &values[k];
        if (!v) return false;
        u32 width = p.placeholder < 0x10000 ? 2 : 4;
        if (p.offset > bytes || bytes - p.offset < width) return false;
        u32 have = 0;
        for (u32 k = 0; k < width; k++) have |= u32(tmpl[p.offset + k]) << (8 * k);
        if (have != p.placeholder) return false;
        for (u32 k = 0; k < width; k++) out[p.offset + k] = u8(v->value >> (8 * k));
    }
    return true;
}
}  // namespace drv
