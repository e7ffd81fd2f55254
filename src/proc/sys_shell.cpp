// System calls 30..47: services for the shell (added with the shell's commands).
#include "drivers/lib/abi.hpp"
#include "src/proc/internal.hpp"

namespace proc {
u32 shell_syscall(u32, u32, u32, u32) { return drvabi::error_result(u32(Err::Unsupported)); }
}  // namespace proc
