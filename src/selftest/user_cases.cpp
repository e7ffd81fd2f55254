// Self-test: ring-3 programs and their system calls.
#include "src/proc/process.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {
void hello_runs_in_ring3(Case& c) {
    if (proc::program_count() == 0) return c.skip("no user program modules");
    u32 before = proc::patched_sites().int80 + proc::patched_sites().gate + proc::patched_sites().sysenter;
    auto r = proc::run("hello");
    ST_CHECK(c, r.ok());
    ST_CHECK(c, !r.value().killed);
    if (r.value().exit_code != 42) return c.fail("hello exited %u (see user/hello/hello.cpp for what each code means)", r.value().exit_code);
    proc::SiteCounts s = proc::patched_sites();
    ST_CHECK(c, s.int80 + s.gate + s.sysenter > before);  // its sites were patched
    ST_CHECK(c, !proc::run("no-such-program").ok());
}
}  // namespace

void suite_user(Runner& r) { r.run("user: hello runs in ring 3 through patched system calls", hello_runs_in_ring3); }
}  // namespace selftest
