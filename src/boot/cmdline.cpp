#include "src/boot/cmdline.hpp"

namespace {

// Each option's handler returns nullptr when it took the value, else the reason it did not.
using Apply = const char* (*)(Str value, Options& o, CmdlineDiagnostics& d);

struct OptionSpec {
    const char* name;
    bool takes_value;
    Apply apply;
};

const char* set_console(Str v, Options& o, CmdlineDiagnostics&) {
    if (v.eq("both")) o.console = ConsoleSel::Both;
    else if (v.eq("serial")) o.console = ConsoleSel::Serial;
    else if (v.eq("vga")) o.console = ConsoleSel::Vga;
    else return "bad value for console (want serial|vga|both)";
    return nullptr;
}

const char* set_dump(Str v, Options& o, CmdlineDiagnostics& d) {
    Str rest = v, item;
    while (next_token(rest, ',', item)) {
        if (item.eq("gdt")) o.dump_gdt = true;
        else if (item.eq("memmap")) o.dump_memmap = true;
        else if (item.eq("drivers")) o.dump_drivers = true;
        else d.add(item, "unknown dump item (want gdt|drivers|memmap)");
    }
    return nullptr;
}

const char* set_crash(Str v, Options& o, CmdlineDiagnostics&) {
    struct { const char* name; Crash kind; } kinds[] = {
        {"panic", Crash::Panic}, {"df", Crash::DoubleFault}, {"gp", Crash::GpFault},
        {"triple", Crash::Triple}, {"hang", Crash::Hang},
    };
    for (auto& k : kinds)
        if (v.eq(k.name)) {
            o.crash = k.kind;
            return nullptr;
        }
    return "bad value for crash (want panic|df|gp|triple|hang)";
}

const char* set_selftest(Str, Options& o, CmdlineDiagnostics&) { o.selftest = true; return nullptr; }
const char* set_break(Str, Options& o, CmdlineDiagnostics&) { o.magic_break = true; return nullptr; }
const char* set_halt(Str, Options& o, CmdlineDiagnostics&) { o.poweroff = false; return nullptr; }

const OptionSpec kOptions[] = {
    {"console", true, set_console},
    {"selftest", false, set_selftest},
    {"dump", true, set_dump},
    {"break", false, set_break},
    {"crash", true, set_crash},
    {"halt", false, set_halt},
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

Str unquote(Str v) {
    if (v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"') return v.sub(1, v.n - 2);
    if (v.n >= 1 && v.p[0] == '"') return v.sub(1);  // unterminated: reported by the caller
    return v;
}

void apply_word(Str word, Options& out, CmdlineDiagnostics& d) {
    // GRUB hands over an argument that contained spaces as one double-quoted word.
    if (word.n >= 2 && word.p[0] == '"' && word.p[word.n - 1] == '"') word = word.sub(1, word.n - 2);
    usize eq = word.find('=');
    Str key = word.sub(0, eq);
    bool has_value = eq < word.n;
    Str value = has_value ? unquote(word.sub(eq + 1)) : Str();
    for (const OptionSpec& spec : kOptions) {
        if (!key.eq(spec.name)) continue;
        if (spec.takes_value && (!has_value || value.empty())) return d.add(word, "missing value");
        if (!spec.takes_value && has_value) return d.add(word, "takes no value");
        if (const char* why = spec.apply(value, out, d)) d.add(word, why);
        return;
    }
    d.add(word, "unknown option");
}

}  // namespace

void parse_cmdline(const char* text, Options& out, CmdlineDiagnostics& d) {
    Str rest(text ? text : ""), word;
    bool open_quote = false;
    bool first = true;
    while (next_word(rest, word, &open_quote)) {
        // GRUB puts the kernel's path first (QEMU's -kernel its file name): a first word with no
        // '=' but a '/' or '.' is that path, never an option.
        bool is_path = first && word.find('=') == word.n && (word.find('/') < word.n || word.find('.') < word.n);
        first = false;
        if (is_path) continue;
        if (open_quote) d.add(word, "unterminated quote");
        apply_word(word, out, d);
    }
}
