// echosrv: the null/echo service as a user-space server reached by paging IPC: it answers each
// message with the same word and the same data (null.echo's result, from another address
// space). Word 0xDEAD makes it exit. smallecho serves the same loop from a small space. Argument 1:
// register-only IPC (serve_echo_regs).
#include "user/echosrv/serve_echo.hpp"

namespace {
IpcMsg g_msg;
}

extern "C" int main(u32 argument) { return serve_echo(g_msg, argument); }
