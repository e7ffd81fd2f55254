#include <catch2/catch.hpp>
#include <string>
#include "src/lib/demangle.hpp"

namespace {
std::string dm(const char* m, u32 cap = 200) {
    char out[256];
    return demangle(m, out, cap) ? std::string(out) : std::string("<refused>");
}
}  // namespace

TEST_CASE("demangle: the kernel's and drivers' own names read as c++filt prints them") {
    // Expected strings are c++filt's output for the same names.
    CHECK(dm("_ZN12_GLOBAL__N_15faultEjjj") == "(anonymous namespace)::fault(unsigned int, unsigned int, unsigned int)");
    CHECK(dm("_Z5crash5Crash") == "crash(Crash)");
    CHECK(dm("_ZN3drv6reloadERNS_6DriverE") == "drv::reload(drv::Driver&)");
    CHECK(dm("_ZN7console3putEc") == "console::put(char)");
    CHECK(dm("_ZN3drv4callEPKcjjj") == "drv::call(char const*, unsigned int, unsigned int, unsigned int)");
    CHECK(dm("_ZNK3Str2eqES_") == "Str::eq(Str) const");
    CHECK(dm("_ZN3gdt5allocEPKcy") == "gdt::alloc(char const*, unsigned long long)");
    CHECK(dm("_ZN4proc12exit_currentEjb.cold") == "proc::exit_current(unsigned int, bool) [clone .cold]");
    CHECK(dm("_ZN2mm3p2vEj") == "mm::p2v(unsigned int)");
    CHECK(dm("_ZN3StrC2EPKc") == "Str::Str(char const*)");
    CHECK(dm("_ZN5vga_t5writeERKS_") == "vga_t::write(vga_t const&)");
    CHECK(dm("_ZN3FooD2Ev") == "Foo::~Foo()");
    CHECK(dm("_Z4idlev") == "idle()");
    CHECK(dm("_ZN8selftest12_GLOBAL__N_110read_limitERNS_4CaseE") ==
          "selftest::(anonymous namespace)::read_limit(selftest::Case&)");
    CHECK(dm("_ZN5power8poweroffEb.part.0") == "power::poweroff(bool) [clone .part.0]");
}

TEST_CASE("demangle: what it does not understand is refused, never guessed") {
    CHECK(dm("memcmp") == "<refused>");                          // C names stay as they are
    CHECK(dm("guarded_load_gs.load") == "<refused>");
    CHECK(dm("_ZN6Result4IvEC2E3Err") == "<refused>");           // templates
    CHECK(dm("_ZN8selftest6Runner3runEPKcPFvRNS_4CaseEE") == "<refused>");  // function types
    CHECK(dm("_Z3") == "<refused>");                             // truncated
    CHECK(dm("_ZN3foo") == "<refused>");
    CHECK(dm("_Z3fooS0_") == "<refused>");                       // substitution that does not exist
    CHECK(dm("_ZN7console3putEc", 10) == "<refused>");           // does not fit
}
