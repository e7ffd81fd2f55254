// The few routines GCC may call in a freestanding driver.
#include "src/lib/types.hpp"

extern "C" {
void* memcpy(void* dst, const void* src, usize n) {
    auto* d = static_cast<u8*>(dst);
    auto* s = static_cast<const u8*>(src);
    while (n--) *d++ = *s++;
    return dst;
}
void* memset(void* dst, int c, usize n) {
    auto* d = static_cast<u8*>(dst);
    while (n--) *d++ = u8(c);
    return dst;
}
}
