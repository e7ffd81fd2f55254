// Narrow alias descriptors: a data segment covering exactly one buffer, so a driver handed a
// FarPtr sees that buffer and nothing else of its caller's memory.
#pragma once
#include "seg/far_ptr.hpp"
#include "src/lib/result.hpp"

namespace seg {
// An alias over [linear, linear + len) (len >= 1), DPL 0, read-only or read-write.
Result<FarPtr<u8>> make_alias(u32 linear, u32 len, bool writable, const char* owner);
Result<void> drop_alias(FarPtr<u8> p);

// RAII: the alias lives for one call.
class ScopedAlias {
public:
    ScopedAlias(const void* buf, u32 len, bool writable, const char* owner);
    ~ScopedAlias();
    bool ok() const { return ok_; }
    FarPtr<u8> ptr() const { return ptr_; }

private:
    FarPtr<u8> ptr_;
    bool ok_;
};
}  // namespace seg
