// In-kernel self-test of the live machine (CMDLINE="selftest"). Each case passes, fails with a
// reason, or is skipped with a reason (never counted as passed). The last line is
// "selftest: N passed, M failed, K skipped" (docs/serial.md).
#pragma once
#include "src/lib/types.hpp"

namespace selftest {

class Case {
public:
    void fail(const char* fmt, ...) __attribute__((format(printf, 2, 3)));
    void skip(const char* reason) { skip_ = reason; }
    bool failed() const { return failed_; }
    const char* skipped() const { return skip_; }

private:
    bool failed_ = false;
    const char* skip_ = nullptr;
};

using CaseFn = void (*)(Case&);

class Runner {
public:
    void run(const char* name, CaseFn fn);
    u32 passed = 0, failed = 0, skipped = 0;
    // The first failures' names, repeated just above the summary so that on an 80x25 screen
    // without serial they are still in view when the run ends.
    static constexpr u32 kKeptFailures = 6;
    const char* failures[kKeptFailures] = {};
};

// Each suite registers its cases with the runner (src/selftest/*_cases.cpp).
void suite_gdt(Runner& r);
void suite_traps(Runner& r);
void suite_machine(Runner& r);
void suite_paging(Runner& r);
void suite_drivers(Runner& r);
void suite_stubs(Runner& r);
void suite_contain(Runner& r);
void suite_crayon(Runner& r);
void suite_domains(Runner& r);
// At boot, after the drivers load: crayon's code selector not present outside the matrix.
void disarm_crayon();
void suite_io_bitmap(Runner& r);
void suite_driver_io(Runner& r);
void suite_user(Runner& r);
void suite_processes(Runner& r);
void suite_small(Runner& r);

// Runs every suite, prints the summary line, returns true when nothing failed.
bool run_all();

}  // namespace selftest

// Inside a case: fail with the condition's text and stop the case.
#define ST_CHECK(c, cond)                                                     \
    do {                                                                      \
        if (!(cond)) {                                                        \
            (c).fail("%s (%s:%d)", #cond, __FILE__, __LINE__);                \
            return;                                                           \
        }                                                                     \
    } while (0)
