#include "src/arch/cpu_features.hpp"

namespace {
// CPUID strings are little-endian bytes in registers. Never trust them for printing: a NUL ends
// the string, anything outside printable ASCII becomes '?'.
void copy_regs(char* out, const u32* regs, int count) {
    for (int r = 0; r < count; r++)
        for (int b = 0; b < 4; b++) {
            char ch = char(regs[r] >> (8 * b));
            out[r * 4 + b] = (ch == 0 || (ch >= 0x20 && ch < 0x7F)) ? ch : '?';
        }
}

void copy_str(char* out, const char* s) {
    while ((*out++ = *s++)) {}
}

// The Pentium Pro sets SEP but has no SYSENTER/SYSEXIT: family 6, model < 3, stepping < 3
// ([intel/vol2] SYSENTER, "Operation" note on CPUID.SEP).
bool ppro_sep_erratum(const CpuInfo& c) { return c.family == 6 && c.model < 3 && c.stepping < 3; }
}  // namespace

CpuInfo decide_cpu(const CpuidSource& src) {
    CpuInfo c{};
    c.has_cpuid = src.has_cpuid();
    if (!c.has_cpuid) {
        // Without CPUID (a 386, or an early 486) assume a 486: the oldest CPU Gatehouse supports.
        copy_str(c.vendor, "unknown");
        c.family = 4;
        return c;
    }
    c.family = 4;  // until leaf 1 says otherwise: CPUID without leaf 1 is no reason to assume more
    CpuidRegs l0 = src.query(0);
    c.max_leaf = l0.eax;
    const u32 vendor_regs[3] = {l0.ebx, l0.edx, l0.ecx};  // "GenuineIntel" order
    copy_regs(c.vendor, vendor_regs, 3);
    c.vendor[12] = '\0';
    // CPUID leaf 0 answers for every CPU that has CPUID ([intel/vol2] CPUID, "Basic CPUID Information").

    if (c.max_leaf >= 1) {
        CpuidRegs l1 = src.query(1);
        u32 base_family = (l1.eax >> 8) & 0xF;
        u32 base_model = (l1.eax >> 4) & 0xF;
        c.stepping = l1.eax & 0xF;
        c.family = base_family == 0xF ? base_family + ((l1.eax >> 20) & 0xFF) : base_family;
        c.model = (base_family == 6 || base_family == 0xF) ? base_model | (((l1.eax >> 16) & 0xF) << 4)
                                                           : base_model;
        c.tsc = l1.edx & cpuid_bits::kTsc;
        c.pse = l1.edx & cpuid_bits::kPse;
        c.pge = l1.edx & cpuid_bits::kPge;
        c.sep_reported = l1.edx & cpuid_bits::kSep;
        c.hypervisor = l1.ecx & cpuid_bits::kHypervisor;
        c.sep_usable = c.sep_reported && !ppro_sep_erratum(c);
    }
    if (c.max_leaf >= 7) c.umip = src.query(7).ecx & cpuid_bits::kUmip;  // subleaf 0 (ECX = 0)

    // Extended leaves exist only if 0x80000000 answers with a value in the extended range.
    CpuidRegs e0 = src.query(0x80000000);
    c.max_ext_leaf = (e0.eax >= 0x80000000 && e0.eax < 0x8000FFFF) ? e0.eax : 0;
    if (c.max_ext_leaf >= 0x80000004) {
        for (u32 i = 0; i < 3; i++) {
            CpuidRegs b = src.query(0x80000002 + i);
            const u32 regs[4] = {b.eax, b.ebx, b.ecx, b.edx};
            copy_regs(c.brand + i * 16, regs, 4);
        }
        c.brand[48] = '\0';
        // Intel pads the brand string with leading spaces.
        usize skip = 0;
        while (c.brand[skip] == ' ') skip++;
        for (usize i = 0; i + skip <= 48; i++) c.brand[i] = c.brand[i + skip];
    }
    return c;
}

const char* sep_reason(const CpuInfo& c) {
    if (!c.has_cpuid) return "no CPUID";
    if (c.max_leaf < 1) return "no CPUID leaf 1";
    if (!c.sep_reported) return "CPUID.1:EDX.SEP=0";
    if (!c.sep_usable) return "Pentium Pro erratum: SEP reported but SYSENTER missing (family 6 model <3 stepping <3)";
    return "CPUID.1:EDX.SEP=1";
}
