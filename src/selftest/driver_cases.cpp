// Self-test: drivers in their own segments, entered through call gates and patched call sites,
// calling each other and the kernel, nesting, and surviving their own faults.
#include "drivers/lib/abi.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/limit_probe.hpp"
#include "src/drv/contain.hpp"
#include "src/drv/registry.hpp"
#include "src/selftest/selftest.hpp"

namespace selftest {
namespace {

bool have_test_drivers(Case& c) {
    if (drv::by_name("null") && drv::by_name("faulty")) return true;
    c.skip("the null and faulty driver modules are not loaded");
    return false;
}

void segments_match_images(Case& c) {
    if (!have_test_drivers(c)) return;
    const char* const names[] = {"null", "faulty"};
    for (const char* name : names) {
        const drv::Driver& d = *drv::by_name(name);
        desc::Decoded cs = desc::decode(gdt::get(gdt::index_of(d.cs)));
        desc::Decoded ds = desc::decode(gdt::get(gdt::index_of(d.ds)));
        ST_CHECK(c, desc::is_code(cs) && cs.base == d.code_base && cs.limit == d.image.code_size - 1);
        ST_CHECK(c, desc::is_data(ds) && ds.base == d.data_base && ds.limit == d.image.data_limit());
        ST_CHECK(c, !(cs.type & desc::kWritable) || desc::is_code(cs));  // code is never writable
        const char* owner = gdt::owner(d.cs);
        ST_CHECK(c, owner && Str(owner).eq(name));
    }
}

void calls_through_gates(Case& c) {
    if (!have_test_drivers(c)) return;
    ST_CHECK(c, drv::call("null.echo", 0x1234) == 0x1234);
    ST_CHECK(c, drv::call("null.sum", 1, 20, 300) == 321);
    ST_CHECK(c, drv::call("faulty.echo", 77) == 77);
    ST_CHECK(c, drv::call("kernel.echo", 5) == 5);             // the kernel's own gate
    ST_CHECK(c, drv::call("null.no_such_export") == drvabi::error_result(u32(Err::NotFound)));
}

void driver_to_driver_and_kernel(Case& c) {
    if (!have_test_drivers(c)) return;
    ST_CHECK(c, drv::call("null.via_gate", 99) == 99);         // null -> faulty
    u32 t = drv::call("null.ticks");                           // null -> kernel service
    ST_CHECK(c, !drvabi::is_error(t) && t <= drv::call("kernel.ticks"));
    ST_CHECK(c, drv::call("null.nested", 41) == 42);           // null -> faulty -> null
}

void patched_call_site(Case& c) {
    if (!have_test_drivers(c)) return;
    u32 before = drv::patched_sites();
    ST_CHECK(c, drv::call("null.via_patched", 7) == 7);        // first run: #GP, patched, rerun
    u32 after = drv::patched_sites();
    ST_CHECK(c, after == before + 1 || (before > 0 && after == before));
    ST_CHECK(c, drv::call("null.via_patched", 8) == 8);        // now a direct far call
    ST_CHECK(c, drv::patched_sites() == after);                // never patched twice
}

}  // namespace

void suite_drivers(Runner& r) {
    r.run("drivers: segments match the images, owned by their drivers", segments_match_images);
    r.run("drivers: calls through call gates", calls_through_gates);
    r.run("drivers: driver -> driver, driver -> kernel, A -> B -> A", driver_to_driver_and_kernel);
    r.run("drivers: an RDOS call site is patched once into a direct far call", patched_call_site);
}

}  // namespace selftest
