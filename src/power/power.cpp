#include "src/power/power.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/mm/layout.hpp"
#include "src/mm/paging.hpp"
#include "src/power/acpi_tables.hpp"

namespace power {
namespace {
// ACPI tables are read through the direct map, or a temporary mapping where they lie outside it
// (QEMU's, in reserved memory above the RAM).
struct DirectMap final : acpi::Memory {
    bool read(u32 phys, void* out, u32 n) const override {
        if (phys + n < phys) return false;
        paging::read_phys(out, phys, n);
        return true;
    }
};
// The BIOS data area's word at 0x40E holds the EBDA's segment.
u32 ebda() { return u32(*mm::p2v<const u16>(0x40E)) << 4; }

acpi::SoftOff tables() {
    DirectMap m;
    return acpi::find_soft_off(m, ebda());
}

// 8042 status bit 1: the controller's input buffer is full (it has not taken the last byte yet).
void wait_input_empty() {
    for (u32 i = 0; i < 100000 && (x86::inb(0x64) & 0x02); i++) {
    }
}
}  // namespace

void print_acpi() {
    acpi::SoftOff s = tables();
    if (!s.rsdp) return kprintf("acpi: %s\n", s.why);
    kprintf("acpi: RSDP at 0x%x, %s at 0x%x, FADT at 0x%x, DSDT at 0x%x\n", s.rsdp, s.xsdt ? "XSDT" : "RSDT", s.rsdt,
            s.fadt, s.dsdt);
    kprintf("acpi: SMI_CMD=0x%x ACPI_ENABLE=0x%x PM1a_CNT=0x%x PM1b_CNT=0x%x\n", s.smi_cmd, u32(s.acpi_enable), s.pm1a_cnt,
            s.pm1b_cnt);
    if (s.why) kprintf("acpi: %s: no ACPI power-off\n", s.why);
    else kprintf("acpi: \\_S5 SLP_TYPa=%u SLP_TYPb=%u: poweroff uses ACPI S5\n", u32(s.slp_typa), u32(s.slp_typb));
}

[[noreturn]] void reboot() {
    kprintf("gatehouse: rebooting (keyboard controller reset)\n");
    x86::cli();
    wait_input_empty();
    x86::outb(0x64, 0xFE);  // 8042 command 0xFE: pulse output port bit 0, the CPU's reset line
    for (u32 i = 0; i < 100000; i++) x86::io_wait();  // ~0.1 s
    kprintf("gatehouse: still running: no keyboard controller reset; forcing a triple fault\n");
    x86::lidt({0, 0});
    x86::ud2();  // #UD with an empty IDT: #DF, then shutdown, which the chipset turns into a reset
    for (;;) x86::hlt();
}

[[noreturn]] void power_off(bool acpi_only) {
    x86::cli();
    console::ensure_serial();
    kprintf("gatehouse: poweroff ok\n");
    if (!acpi_only) {
        for (const char* s = "Shutdown"; *s; s++) x86::outb(0x8900, u8(*s));  // Bochs
        x86::outb(0xF4, 0);                                                   // QEMU isa-debug-exit
    }
    acpi::SoftOff s = tables();
    if (s.why) {
        kprintf("gatehouse: no ACPI power-off (%s)\n", s.why);
    } else {
        kprintf("gatehouse: entering ACPI S5 (PM1a_CNT=0x%x SLP_TYP=%u)\n", s.pm1a_cnt, u32(s.slp_typa));
        // SCI_EN (PM1 control bit 0) clear: the firmware still owns the hardware; ask it to hand
        // over (ACPI_ENABLE to SMI_CMD, ACPI 6.4 ch. 4.8.2.5) and wait for the bit.
        if (!(x86::inw(u16(s.pm1a_cnt)) & 1) && s.smi_cmd && s.acpi_enable) {
            x86::outb(u16(s.smi_cmd), s.acpi_enable);
            for (u32 i = 0; i < 300000 && !(x86::inw(u16(s.pm1a_cnt)) & 1); i++) x86::io_wait();
        }
        x86::outw(u16(s.pm1a_cnt), acpi::pm1_sleep_value(s.slp_typa));
        if (s.pm1b_cnt) x86::outw(u16(s.pm1b_cnt), acpi::pm1_sleep_value(s.slp_typb));
        for (u32 i = 0; i < 100000; i++) x86::io_wait();  // ~0.1 s
        kprintf("gatehouse: still running after ACPI S5\n");
    }
    kprintf("gatehouse: halted; it is now safe to turn off the computer\n");
    for (;;) x86::hlt();
}
}  // namespace power
