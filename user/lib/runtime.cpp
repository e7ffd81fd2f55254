// The user runtime: exit, and the helpers GCC may call.
#include "user/lib/syscall.hpp"

extern "C" [[noreturn]] void gh_exit(u32 code) {
    GH_SYSCALL(sys::kExit, code, 0, 0);
    for (;;) {
    }
}

extern "C" void __cxa_pure_virtual() { gh_exit(255); }

extern "C" void* memcpy(void* dst, const void* src, usize n) {
    auto* d = static_cast<u8*>(dst);
    auto* s = static_cast<const u8*>(src);
    while (n--) *d++ = *s++;
    return dst;
}
extern "C" void* memset(void* dst, int c, usize n) {
    auto* d = static_cast<u8*>(dst);
    while (n--) *d++ = u8(c);
    return dst;
}
