#include "src/boot/cmdline.hpp"

namespace {

// Each option's handler returns nullptr when it took the value, else the reason it did not.
using Apply = const char* (*)(Str value, bool has_value, Options& o, CmdlineDiagnostics& d);

struct OptionSpec {
    const char* name;
    bool needs_value;  // key=value; otherwise a flag: key, key=1 or key=0
    Apply apply;
};

template <class E>
struct Choice {
    const char* name;
    E value;
};

const Choice<ConsoleSel> kConsoles[] = {
    {"both", ConsoleSel::Both}, {"serial", ConsoleSel::Serial}, {"vga", ConsoleSel::Vga}};
const Choice<Crash> kCrashes[] = {
    {"none", Crash::None}, {"panic", Crash::Panic}, {"df", Crash::DoubleFault},
    {"gp", Crash::GpFault}, {"triple", Crash::Triple}, {"hang", Crash::Hang}};

template <class E, usize N>
bool choose(const Choice<E> (&table)[N], Str v, E& out) {
    for (const Choice<E>& c : table)
        if (v.eq(c.name)) {
            out = c.value;
            return true;
        }
    return false;
}

template <class E, usize N>
const char* name_of(const Choice<E> (&table)[N], E v) {
    for (const Choice<E>& c : table)
        if (c.value == v) return c.name;
    return "?";
}

// A flag: present alone or =1 sets it, =0 clears it.
const char* flag(Str v, bool has_value, bool& out) {
    if (!has_value || v.eq("1")) out = true;
    else if (v.eq("0")) out = false;
    else return "bad value for a flag (want no value, 0 or 1)";
    return nullptr;
}

const char* set_console(Str v, bool, Options& o, CmdlineDiagnostics&) {
    return choose(kConsoles, v, o.console) ? nullptr : "bad value for console (want serial|vga|both)";
}

const Choice<SyscallSel> kSyscalls[] = {
    {"auto", SyscallSel::Auto}, {"sysenter", SyscallSel::Sysenter}, {"gate", SyscallSel::Gate}, {"int", SyscallSel::Int}};

const char* set_syscall(Str v, bool, Options& o, CmdlineDiagnostics&) {
    return choose(kSyscalls, v, o.syscall) ? nullptr : "bad value for syscall (want auto|sysenter|gate|int)";
}

const char* set_crash(Str v, bool, Options& o, CmdlineDiagnostics&) {
    return choose(kCrashes, v, o.crash) ? nullptr : "bad value for crash (want panic|df|gp|triple|hang)";
}

// A comma list; each bad item gets its own diagnostic and the good ones still apply.
const char* set_dump(Str v, bool, Options& o, CmdlineDiagnostics& d) {
    Str rest = v, item;
    while (next_token(rest, ',', item)) {
        if (item.eq("gdt")) o.dump_gdt = true;
        else if (item.eq("memmap")) o.dump_memmap = true;
        else if (item.eq("drivers")) o.dump_drivers = true;
        else if (item.empty()) d.add(v, "empty item in dump list");
        else d.add(item, "unknown dump item (want gdt|drivers|memmap)");
    }
    return nullptr;
}

const char* set_selftest(Str v, bool h, Options& o, CmdlineDiagnostics&) { return flag(v, h, o.selftest); }
const char* set_break(Str v, bool h, Options& o, CmdlineDiagnostics&) {
    if (h && v.eq("small")) {  // the GDT oracle's second point (tools/bochs-oracle.sh ORACLE=small)
        o.magic_break = o.break_small = true;
        return nullptr;
    }
    o.break_small = false;
    return flag(v, h, o.magic_break) ? "bad value for break (want no value, 0, 1 or small)" : nullptr;
}
const char* set_bench(Str v, bool h, Options& o, CmdlineDiagnostics&) {
    if (h && v.eq("pit")) {
        o.bench = o.bench_pit = true;
        o.bench_trace = false;
        return nullptr;
    }
    if (h && v.eq("trace")) {  // make bench-trace: each case once more between Bochs magic breakpoints
        o.bench = o.bench_trace = true;
        o.bench_pit = false;
        return nullptr;
    }
    const char* why = flag(v, h, o.bench);
    if (why) return "bad value for bench (want no value, 0, 1, pit or trace)";
    o.bench_pit = o.bench_trace = false;
    return nullptr;
}
const char* set_halt(Str v, bool h, Options& o, CmdlineDiagnostics&) {
    bool halt = !o.poweroff;
    const char* why = flag(v, h, halt);
    o.poweroff = !halt;
    return why;
}

// A decimal or 0x-hex 32-bit number, at least `min`.
const char* number(Str v, u32 min, u32& out) {
    auto n = parse_u32(v);
    if (!n.ok()) return "bad number (want decimal or 0x hex, 32 bits)";
    if (n.value() < min) return "number too small";
    out = n.value();
    return nullptr;
}
const char* set_campaign(Str v, bool, Options& o, CmdlineDiagnostics&) { return number(v, 0, o.campaign); }
const char* set_seed(Str v, bool, Options& o, CmdlineDiagnostics&) { return number(v, 0, o.seed); }
const char* set_campaign_from(Str v, bool, Options& o, CmdlineDiagnostics&) { return number(v, 0, o.campaign_from); }
const char* set_campaign_check(Str v, bool, Options& o, CmdlineDiagnostics&) { return number(v, 1, o.campaign_check); }
const char* set_campaign_trace(Str v, bool h, Options& o, CmdlineDiagnostics&) { return flag(v, h, o.campaign_trace); }

const Choice<drvabi::Mode> kModes[] = {
    {"0", drvabi::kRing0}, {"1", drvabi::kRing1}, {"domains", drvabi::kRing1Domains}};

bool driver_name_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'; }

// drvring=M or drvring=<driver>:M, or a comma list of them; each bad item is reported alone.
const char* set_drvring(Str v, bool, Options& o, CmdlineDiagnostics& d) {
    Str rest = v, item;
    while (next_token(rest, ',', item)) {
        usize colon = item.find(':');
        drvabi::Mode m;
        if (!choose(kModes, colon < item.n ? item.sub(colon + 1) : item, m)) {
            d.add(item, "bad value for drvring (want 0|1|domains or <driver>:0|1|domains)");
            continue;
        }
        if (colon == item.n) {
            o.drvring_all = true;
            o.drvring = m;
            continue;
        }
        Str name = item.sub(0, colon);
        bool good = name.n > 0 && name.n <= 31;
        for (usize i = 0; i < name.n; i++) good = good && driver_name_char(name.p[i]);
        if (!good) {
            d.add(item, "bad driver name in drvring (want [a-z0-9_-], 1..31 characters)");
            continue;
        }
        u32 k = 0;
        while (k < o.drvring_count && !o.drvring_for[k].driver.eq(name)) k++;
        if (k == Options::kMaxRingOverrides) {
            d.add(item, "too many per-driver drvring overrides (at most 8)");
            continue;
        }
        o.drvring_for[k] = {name, m};
        if (k == o.drvring_count) o.drvring_count++;
    }
    return nullptr;
}

const OptionSpec kOptions[] = {
    {"drvring", true, set_drvring},
    {"console", true, set_console},
    {"selftest", false, set_selftest},
    {"dump", true, set_dump},
    {"break", false, set_break},
    {"crash", true, set_crash},
    {"halt", false, set_halt},
    {"syscall", true, set_syscall},
    {"bench", false, set_bench},
    {"campaign", true, set_campaign},
    {"seed", true, set_seed},
    {"campaign_from", true, set_campaign_from},
    {"campaign_check", true, set_campaign_check},
    {"campaign_trace", false, set_campaign_trace},
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The next whitespace-separated word; double quotes protect spaces. Sets *open_quote when the
// line ends inside quotes.
bool next_word(Str& rest, Str& word, bool* open_quote) {
    usize i = 0;
    while (i < rest.n && is_space(rest.p[i])) i++;
    if (i == rest.n) return false;
    usize start = i;
    bool quoted = false;
    for (; i < rest.n; i++) {
        if (rest.p[i] == '"') quoted = !quoted;
        else if (!quoted && is_space(rest.p[i])) break;
    }
    *open_quote = quoted;
    word = rest.sub(start, i - start);
    rest = rest.sub(i);
    return true;
}

bool quoted(Str v) { return v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"'; }

void apply_word(Str word, Options& out, CmdlineDiagnostics& d) {
    // GRUB hands over an argument that contained spaces as one double-quoted word.
    Str body = quoted(word) ? word.sub(1, word.n - 2) : word;
    usize eq = body.find('=');
    Str key = body.sub(0, eq);
    bool has_value = eq < body.n;
    Str value = has_value ? body.sub(eq + 1) : Str();
    if (quoted(value)) value = value.sub(1, value.n - 2);
    for (const OptionSpec& spec : kOptions) {
        if (!key.eq(spec.name)) continue;
        if (spec.needs_value && (!has_value || value.empty())) return d.add(word, "missing value");
        if (const char* why = spec.apply(value, has_value, out, d)) d.add(word, why);
        return;
    }
    d.add(word, "unknown option");
}

// Decimal digits of v into buf (12 bytes), as a Str.
Str format_u32(u32 v, char* buf) {
    char* end = buf + 11;
    char* p = end;
    do {
        *--p = char('0' + v % 10);
        v /= 10;
    } while (v);
    return Str(p, usize(end - p));
}

// A bounded appender for describe_options.
struct Out {
    char* buf;
    usize cap, len;
    bool fits;
    void put(Str s) {
        for (usize i = 0; i < s.n; i++) {
            if (len + 1 < cap) buf[len++] = s.p[i];
            else fits = false;
        }
        if (cap) buf[len] = '\0';
    }
};

}  // namespace

void parse_cmdline(const char* text, Options& out, CmdlineDiagnostics& d) {
    Str rest(text ? text : ""), word;
    bool open_quote = false;
    bool first = true;
    while (next_word(rest, word, &open_quote)) {
        // GRUB puts the kernel's path first ("/boot/gatehouse.elf", "(cd)/boot/..."), QEMU -kernel
        // its file name: a first word with no '=' but a '/' or '.' is that path, never an option.
        bool is_path = first && word.find('=') == word.n && (word.find('/') < word.n || word.find('.') < word.n);
        first = false;
        if (is_path) continue;
        // The quote runs to the end of the line, so this is the last word: refuse it whole
        // rather than guess where the value was meant to end.
        if (open_quote) return d.add(word, "unterminated quote");
        // autorun= takes the rest of the line: shell commands have spaces of their own.
        if (word.starts_with("autorun=")) {
            Str value = Str(word.p + 8, usize(rest.p + rest.n - (word.p + 8)));
            while (value.n && (value.p[value.n - 1] == ' ' || value.p[value.n - 1] == '\n')) value.n--;
            if (value.n >= 2 && value.p[0] == '"' && value.p[value.n - 1] == '"') value = value.sub(1, value.n - 2);
            if (value.empty()) d.add(word, "missing value");
            out.autorun = value;
            return;
        }
        apply_word(word, out, d);
    }
}

const char* console_name(ConsoleSel c) { return name_of(kConsoles, c); }
const char* mode_option_name(drvabi::Mode m) { return name_of(kModes, m); }

const drvabi::Mode* ring_override(const Options& o, Str driver) {
    for (u32 i = 0; i < o.drvring_count; i++)
        if (o.drvring_for[i].driver.eq(driver)) return &o.drvring_for[i].mode;
    return o.drvring_all ? &o.drvring : nullptr;
}
const char* crash_name(Crash c) { return name_of(kCrashes, c); }

bool describe_options(const Options& o, char* buf, usize cap) {
    Out w{buf, cap, 0, true};
    if (cap) buf[0] = '\0';
    w.put("console=");
    w.put(console_name(o.console));
    w.put(o.selftest ? " selftest=1" : " selftest=0");
    w.put(!o.magic_break ? " break=0" : o.break_small ? " break=small" : " break=1");
    const char* sep = " dump=";  // left out when nothing is dumped
    const struct { bool on; const char* name; } dumps[] = {
        {o.dump_gdt, "gdt"}, {o.dump_drivers, "drivers"}, {o.dump_memmap, "memmap"}};
    for (const auto& item : dumps)
        if (item.on) {
            w.put(sep);
            w.put(item.name);
            sep = ",";
        }
    w.put(" crash=");
    w.put(crash_name(o.crash));
    w.put(o.poweroff ? " halt=0" : " halt=1");
    w.put(" syscall=");
    w.put(name_of(kSyscalls, o.syscall));
    w.put(o.bench ? (o.bench_pit ? " bench=pit" : o.bench_trace ? " bench=trace" : " bench=1") : " bench=0");
    if (o.campaign) {  // left out when no campaign runs
        char num[12];
        const struct { const char* key; u32 v; } nums[] = {
            {" campaign=", o.campaign}, {" seed=", o.seed}, {" campaign_from=", o.campaign_from},
            {" campaign_check=", o.campaign_check}};
        for (const auto& n : nums) {
            w.put(n.key);
            w.put(format_u32(n.v, num));
        }
        w.put(o.campaign_trace ? " campaign_trace=1" : " campaign_trace=0");
    }
    const char* ring_sep = " drvring=";  // left out when the images' modes apply
    if (o.drvring_all) {
        w.put(ring_sep);
        w.put(mode_option_name(o.drvring));
        ring_sep = ",";
    }
    for (u32 i = 0; i < o.drvring_count; i++) {
        w.put(ring_sep);
        w.put(o.drvring_for[i].driver);
        w.put(":");
        w.put(mode_option_name(o.drvring_for[i].mode));
        ring_sep = ",";
    }
    if (o.autorun.n) {  // last: it takes the rest of the line
        w.put(" autorun=");
        for (usize i = 0; i < o.autorun.n; i++) {
            char one[2] = {o.autorun.p[i], '\0'};
            w.put(one);
        }
    }
    return w.fits;
}
