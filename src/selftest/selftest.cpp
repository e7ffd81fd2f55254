#include "src/selftest/selftest.hpp"
#include <stdarg.h>
#include "src/console.hpp"

namespace selftest {

void Case::fail(const char* fmt, ...) {
    failed_ = true;
    kprintf("selftest:   failure: ");
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
}

void Runner::run(const char* name, CaseFn fn) {
    Case c;
    fn(c);
    if (c.failed()) {
        if (failed < kKeptFailures) failures[failed] = name;
        failed++;
        kprintf("selftest: [FAIL] %s\n", name);
    } else if (c.skipped()) {
        skipped++;
        kprintf("selftest: [skip] %s: %s\n", name, c.skipped());
    } else {
        passed++;
        kprintf("selftest: [ ok ] %s\n", name);
    }
}

bool run_all() {
    kprintf("selftest: starting\n");
    Runner r;
    suite_gdt(r);
    suite_traps(r);
    suite_machine(r);
    suite_paging(r);
    suite_drivers(r);
    suite_stubs(r);
    suite_contain(r);
    suite_crayon(r);
    suite_domains(r);
    suite_driver_io(r);
    suite_user(r);
    suite_io_bitmap(r);
    suite_processes(r);
    suite_small(r);
    for (u32 i = 0; i < r.failed && i < Runner::kKeptFailures; i++) kprintf("selftest: failed: %s\n", r.failures[i]);
    if (r.failed > Runner::kKeptFailures) kprintf("selftest: failed: %u more\n", r.failed - Runner::kKeptFailures);
    kprintf("selftest: %u passed, %u failed, %u skipped\n", r.passed, r.failed, r.skipped);
    return r.failed == 0;
}

}  // namespace selftest
