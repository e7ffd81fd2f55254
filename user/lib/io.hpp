// Formatted output and strings for user programs: the kernel's own pure formatter and string
// view (src/lib/format.cpp, src/lib/str.cpp) linked into ring 3, writing through sys_write.
#pragma once
#include "src/lib/format.hpp"
#include "src/lib/str.hpp"
#include "user/lib/syscall.hpp"

int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
