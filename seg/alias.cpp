#include "seg/alias.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"

namespace seg {

Result<FarPtr<u8>> make_alias(u32 linear, u32 len, bool writable, const char* owner) {
    if (len == 0 || len - 1 > 0xFFFFFFFF - linear) return Err::Range;
    // Byte granularity up to 1 MiB keeps the limit exact; larger buffers round down to pages.
    // DPL 1: a ring-1 driver the alias is handed to must be able to load it (ring 3 cannot).
    u16 sel = TRY(gdt::alloc(owner, desc::segment(linear, len - 1, writable ? desc::Kind::DataRW : desc::Kind::DataRO, 1)));
    return FarPtr<u8>(sel, 0);
}

Result<void> drop_alias(FarPtr<u8> p) { return gdt::release(p.selector); }

ScopedAlias::ScopedAlias(const void* buf, u32 len, bool writable, const char* owner) {
    auto r = make_alias(u32(uptr(buf)), len, writable, owner);
    ok_ = r.ok();
    if (ok_) ptr_ = r.value();
}

ScopedAlias::~ScopedAlias() {
    if (ok_) (void)drop_alias(ptr_);
}

}  // namespace seg
