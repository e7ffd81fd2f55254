// smallecho: the null/echo service in a small space (src/proc/small_layout.hpp): the same loop
// as echosrv (user/echosrv/serve_echo.hpp), linked by user/lib/small.ld, so the kernel loads it
// into a slot of the small-space region and reaches it without a CR3 load.
#include "user/echosrv/serve_echo.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main(u32 argument) { return serve_echo(g_msg, argument); }
