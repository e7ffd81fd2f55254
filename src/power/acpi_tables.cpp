#include "src/power/acpi_tables.hpp"

namespace acpi {
namespace {
bool sum_zero(const Memory& m, u32 at, u32 n) {
    u8 sum = 0, buf[64];
    for (u32 done = 0; done < n;) {
        u32 k = n - done < sizeof buf ? n - done : u32(sizeof buf);
        if (!m.read(at + done, buf, k)) return false;
        for (u32 i = 0; i < k; i++) sum = u8(sum + buf[i]);
        done += k;
    }
    return sum == 0;
}
template <class T>
bool get(const Memory& m, u32 at, T* v) { return m.read(at, v, sizeof(T)); }
bool sig_is(const u8* p, const char* s) { return p[0] == s[0] && p[1] == s[1] && p[2] == s[2] && p[3] == s[3]; }

// A table's header: signature and length, checksum over the whole table (ch. 5.2.6).
bool table(const Memory& m, u32 at, const char* sig, u32* length) {
    u8 h[8];
    if (!at || !m.read(at, h, 8) || !sig_is(h, sig)) return false;
    u32 len = u32(h[4]) | u32(h[5]) << 8 | u32(h[6]) << 16 | u32(h[7]) << 24;
    if (len < 36 || len > (16u << 20) || !sum_zero(m, at, len)) return false;
    *length = len;
    return true;
}

bool rsdp_at(const Memory& m, u32 at) {
    u8 s[8];
    return m.read(at, s, 8) && sig_is(s, "RSD ") && sig_is(s + 4, "PTR ") && sum_zero(m, at, 20);
}
u32 scan(const Memory& m, u32 from, u32 to) {
    for (u32 at = from; at + 20 <= to; at += 16)
        if (rsdp_at(m, at)) return at;
    return 0;
}

// One AML data object as an integer: ZeroOp, OneOp, BytePrefix n (ch. 20.2.3).
bool aml_byte(const u8* p, u32 n, u32* i, u8* v) {
    if (*i >= n) return false;
    u8 op = p[(*i)++];
    if (op == 0x00 || op == 0x01) return *v = op, true;
    if (op == 0xFF) return *v = 0xFF, true;  // OnesOp
    if (op == 0x0A && *i < n) return *v = p[(*i)++], true;
    if (op == 0x0B && *i + 1 < n) return *v = p[*i], *i += 2, true;  // WordPrefix: low byte
    if (op == 0x0C && *i + 3 < n) return *v = p[*i], *i += 4, true;  // DWordPrefix
    return false;
}
}  // namespace

bool parse_s5(const u8* aml, u32 n, u8* a, u8* b) {
    for (u32 i = 0; i + 4 <= n; i++) {
        if (!(aml[i] == '_' && aml[i + 1] == 'S' && aml[i + 2] == '5' && aml[i + 3] == '_')) continue;
        // NameOp (0x08), optionally with a root prefix '\', right before the name.
        bool named = (i >= 1 && aml[i - 1] == 0x08) || (i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08);
        u32 j = i + 4;
        if (!named || j >= n || aml[j] != 0x12) continue;  // PackageOp
        j++;
        if (j >= n) return false;
        j += 1 + (aml[j] >> 6);  // PkgLength: bits 7-6 of its lead byte count the bytes that follow
        j++;                     // NumElements
        if (j >= n) return false;
        return aml_byte(aml, n, &j, a) && aml_byte(aml, n, &j, b);
    }
    return false;
}

u32 find_rsdp(const Memory& m, u32 ebda) {
    if (ebda >= 0x80000 && ebda < 0xA0000)
        if (u32 at = scan(m, ebda, ebda + 1024)) return at;
    return scan(m, 0xE0000, 0x100000);
}

SoftOff find_soft_off(const Memory& m, u32 ebda) {
    SoftOff s;
    s.rsdp = find_rsdp(m, ebda);
    if (!s.rsdp) return s.why = "no RSDP (no ACPI)", s;
    u8 rev = 0;
    u32 rsdt = 0, xsdt_lo = 0, xsdt_hi = 0;
    if (!get(m, s.rsdp + 15, &rev) || !get(m, s.rsdp + 16, &rsdt)) return s.why = "RSDP unreadable", s;
    // ACPI 2+: the XSDT (64-bit entries), when it lies below 4 GiB.
    if (rev >= 2 && get(m, s.rsdp + 24, &xsdt_lo) && get(m, s.rsdp + 28, &xsdt_hi) && xsdt_lo && !xsdt_hi) {
        u32 len;
        if (table(m, xsdt_lo, "XSDT", &len)) s.rsdt = xsdt_lo, s.xsdt = true;
    }
    u32 len = 0;
    if (!s.xsdt) {
        if (!table(m, rsdt, "RSDT", &len)) return s.why = "RSDT missing or bad checksum", s;
        s.rsdt = rsdt;
    } else {
        (void)table(m, s.rsdt, "XSDT", &len);
    }
    u32 entry = s.xsdt ? 8 : 4;
    for (u32 off = 36; off + entry <= len; off += entry) {
        u32 at = 0, hi = 0;
        if (!get(m, s.rsdt + off, &at) || (s.xsdt && (!get(m, s.rsdt + off + 4, &hi) || hi))) continue;
        u32 flen;
        if (table(m, at, "FACP", &flen)) {
            s.fadt = at;
            break;
        }
    }
    if (!s.fadt) return s.why = "no FADT", s;
    if (!get(m, s.fadt + 40, &s.dsdt) || !get(m, s.fadt + 48, &s.smi_cmd) || !get(m, s.fadt + 52, &s.acpi_enable) ||
        !get(m, s.fadt + 64, &s.pm1a_cnt) || !get(m, s.fadt + 68, &s.pm1b_cnt))
        return s.why = "FADT unreadable", s;
    if (!s.pm1a_cnt) return s.why = "FADT has no PM1a control block", s;
    u32 dlen;
    if (!table(m, s.dsdt, "DSDT", &dlen)) return s.why = "DSDT missing or bad checksum", s;
    // Scan the AML in chunks that overlap by enough for one _S5_ package head.
    u8 chunk[512];
    for (u32 off = 36; off < dlen; off += sizeof chunk - 32) {
        u32 n = dlen - off < sizeof chunk ? dlen - off : u32(sizeof chunk);
        if (!m.read(s.dsdt + off, chunk, n)) return s.why = "DSDT unreadable", s;
        if (parse_s5(chunk, n, &s.slp_typa, &s.slp_typb)) return s;
        if (n < sizeof chunk) break;
    }
    return s.why = "no \\_S5 package in the DSDT", s;
}

}  // namespace acpi
