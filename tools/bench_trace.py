#!/usr/bin/env python3
"""The per-phase breakdown of each benchmark path, from a Bochs instruction trace (make bench-trace).

usage: bench_trace.py --emu EMU_LOG --serial SERIAL_LOG [--kernel ELF] [--drivers DIR] [--user DIR]
                      [--csv KERNEL_CSV] [--doc MARKDOWN] [--out FILE]

A `bench=trace` boot (tools/bench-trace.sh) measures every case as `bench` does (its `BENCH,` lines)
and then runs each case's operation once more between two Bochs magic breakpoints; Bochs' debugger
traces the instructions in between (`trace on` at the first, `trace off` at the second) into
EMU_LOG, and the kernel or ubench prints `BENCHTRACE,<case>,ok|tick` on the serial line after each
run (`tick`: a PIT interrupt fell into it, the run is dropped). The i-th trace belongs to the i-th
BENCHTRACE line.

Every traced instruction is mapped to a symbol: by its code selector to the kernel (build/kernel.elf)
or to the driver the boot log's `dump=drivers` lines give that selector (its ELF, linked at 0, sits at
the code base the same line gives, so EIP is the ELF address); any other selector is a user program
(build/user/*.elf: the 4 MiB programs and the small servers, both at their link addresses), told apart
by the instruction bytes the trace shows, page by physical page (several programs share the same
linear addresses in their own directories). Symbols come from `nm -n -S`; NASM's local labels
(`gh_gate_common.switch`) are symbols too, so a long stub splits into its labelled sub-ranges.

The harness is excluded: the end marker and the test before it (symbols `*.trace_end`,
`ubench_trace_end_*`). What is left is the path; its total must equal the case's median from the same
boot's BENCH lines and, with --csv, from that CSV (make bench's Bochs p2_klamath run). A mismatch, a
trace without its BENCHTRACE line, an unmapped address or a tick count that differs from the
instruction count is printed with `MISMATCH`/`ERROR` and makes the exit status 1.

A symbol or fixture image may also be a text file (tests): `nm -n -S` output, plus lines
`=code <hexaddr> <hexbytes>` giving code bytes and `=range <hexstart> <hexend>` giving code ranges.
"""
import argparse
import re
import struct
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
try:
    from bench_report import LABELS, replace_block  # the case labels of the tables, one place
except Exception:  # pragma: no cover - the report module needs nothing else, but be usable alone
    LABELS = {}

    def replace_block(text, name, content):
        begin, end = f"<!-- bench:{name} -->", f"<!-- bench:{name}:end -->"
        a, b = text.index(begin) + len(begin), text.index(end)
        return text[:a] + "\n" + content + "\n" + text[b:]

# The goals (issue 10 point 5, issue 13 point 5): instructions per round trip, harness subtracted.
# A case gets the first goal whose key pattern matches, or whose label pattern matches its label
# (the register-only IPC rows are named "... registers only").
GOALS = [
    (r"^far_call_gate$", None, 25, "far call through a gate"),
    (r"^far_call_direct$", None, 25, "patched direct far call"),
    (r"^far_call_gate_ring1$", None, 40, "far call through a gate, callee in ring 1"),
    (r"^far_call_direct_ring1$", None, 40, "direct far call, callee in ring 1"),
    (r"^d2d_ring0$", None, 25, "driver -> driver, both in ring 0"),
    (r"^d2d_ring1$", None, 40, "driver -> driver, both in ring 1"),
    (r"^far_call_gate_domains$", None, 60, "far call through a gate, callee in a GDT domain"),
    (r"^far_call_direct_domains$", None, 60, "direct far call, callee in a GDT domain"),
    (r"^d2d_domains$", None, 60, "driver -> driver, each in its GDT domain"),
    (r"^syscall_sysenter$", None, 30, "SYSENTER null call"),
    (r"small", r"(?i)IPC.*registers only", 100, None),
    (r"", r"(?i)small.*IPC.*registers only", 100, None),
    (r"", r"(?i)IPC.*registers only", 150, None),
]

# Symbol-name patterns to phase names (checked in order, on the image-qualified simplified name).
# Anything else is its own phase, named by its symbol: no phase list that fits only today's code.
HARNESS = re.compile(r"(\.trace_end$|(^|: )ubench_trace_end_|(^|: )gh_trace_end$)")
PHASES = [
    (re.compile(r"(^|: )(bench_trace_\w+|ubench::loop_\w+_trace|bench_loop)$"), "the measured site (the caller's own instruction)"),
    (re.compile(r"^(.*_stub)_\d+$"), r"\1_N (one per entry)"),
    (re.compile(r": thunk$"), r"the export's thunk in the driver (call f; far back)"),
]

TRACE_RE = re.compile(r"^\(\d+\)\.\[(\d+)\] \[(0x[0-9a-fA-F]+|\?+)\] ([0-9a-fA-F]{4}):([0-9a-fA-F]+) \([^)]*\): (.*?)\s*; ([0-9a-fA-F]+)\s*$")


class Image:
    """One program's symbols and code bytes at the addresses its code runs at (EIP)."""

    def __init__(self, name, syms, chunks, ranges):
        self.name = name
        # (addr, name); of several names at one address the lookup takes the last: an `*_end`
        # label (the end of what came before) sorts first, so the code's own name wins.
        self.syms = sorted(syms, key=lambda s: (s[0], not s[1].endswith("_end"), s[1]))
        self.addrs = [a for a, _ in self.syms]
        self.chunks = chunks              # (start, bytes)
        self.ranges = ranges              # (start, end) of code

    def contains(self, addr):
        return any(s <= addr < e for s, e in self.ranges)

    def symbol(self, addr):
        if not self.contains(addr):
            return None
        lo, hi = 0, len(self.addrs)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.addrs[mid] <= addr:
                lo = mid + 1
            else:
                hi = mid
        return self.syms[lo - 1][1] if lo else None

    def in_patched_site(self, addr):
        """True when addr lies in an unpatched system-call site of the file (`9A <n:32> 03 00`,
        docs/syscalls.md): the kernel rewrites those 7 bytes, so they say nothing either way."""
        for start, data in self.chunks:
            for k in range(7):
                at = addr - k - start
                if 0 <= at and at + 7 <= len(data) and data[at] == 0x9A and data[at + 5:at + 7] == b"\x03\x00":
                    return True
        return False

    def matches(self, addr, code):
        """True or False when the image has bytes there, None when it cannot say."""
        for start, data in self.chunks:
            if start <= addr and addr + len(code) <= start + len(data):
                return data[addr - start:addr - start + len(code)] == code
        return None


def elf_code(path):
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 1:
        raise ValueError(f"{path}: not an ELF32 file")
    phoff, = struct.unpack_from("<I", data, 28)
    phentsize, phnum = struct.unpack_from("<HH", data, 42)
    chunks, ranges = [], []
    for i in range(phnum):
        p_type, p_off, p_vaddr, _, p_filesz, _, p_flags, _ = struct.unpack_from("<8I", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1 and p_filesz:  # PT_LOAD, executable
            chunks.append((p_vaddr, data[p_off:p_off + p_filesz]))
            ranges.append((p_vaddr, p_vaddr + p_filesz))
    return chunks, ranges


def parse_nm(text):
    syms = []
    for line in text.splitlines():
        f = line.split()
        if len(f) < 3 or f[0].startswith("="):
            continue
        addr, kind, name = f[0], f[-2], f[-1]
        if kind not in "tTwW" or name.startswith(("..@", ".L", "$")):
            continue
        syms.append((int(addr, 16), name))
    return syms


def load_image(name, path):
    path = Path(path)
    if path.suffix == ".nm":  # a fake image: nm output and =code / =range lines
        text = path.read_text()
        chunks, ranges = [], []
        for line in text.splitlines():
            f = line.split()
            if f and f[0] == "=code":
                chunks.append((int(f[1], 16), bytes.fromhex(f[2])))
            elif f and f[0] == "=range":
                ranges.append((int(f[1], 16), int(f[2], 16)))
        syms = parse_nm(text)
        if not ranges:  # code from the first symbol to a page past the last
            ranges = [(syms[0][0], syms[-1][0] + 0x1000)] if syms else []
        return Image(name, syms, chunks, ranges)
    out = subprocess.run(["nm", "-n", "-S", "--defined-only", str(path)], capture_output=True, text=True, check=True).stdout
    chunks, ranges = elf_code(path)
    return Image(name, parse_nm(out), chunks, ranges)


_demangled = {}


def simplify(name):
    """A readable symbol: demangled, without parameters, anonymous namespaces or clone suffixes."""
    if name not in _demangled:
        d = name
        if name.startswith("_Z"):
            try:
                d = subprocess.run(["c++filt", name], capture_output=True, text=True, check=True).stdout.strip() or name
            except (OSError, subprocess.CalledProcessError):
                d = name
        d = re.sub(r" \[clone [^\]]*\]", "", d)
        d = d.replace("(anonymous namespace)::", "")
        d = re.sub(r"\)(?: const| volatile| &&| &)+$", ")", d)  # member-function qualifiers
        depth, cut = 0, len(d)  # drop the outermost parameter list at the end
        for i in range(len(d) - 1, -1, -1):
            if d[i] == ")":
                depth += 1
            elif d[i] == "(":
                depth -= 1
                if depth == 0:
                    cut = i
                    break
        if d.endswith(")") and cut < len(d):
            d = d[:cut]
        _demangled[name] = d
    return _demangled[name]


def parse_serial(path):
    """Drivers (selector -> name, file, code base), the kernel's selector, BENCH medians, BENCHTRACE lines."""
    drivers, kernel_cs, medians, traces, regions = {}, None, {}, [], []
    for raw in Path(path).read_bytes().decode("latin-1").splitlines():
        line = raw.replace("\r", "")
        m = re.match(r"^driver: (\S+) file=(\S+) cs=0x([0-9a-fA-F]+) .*code=([0-9a-fA-F]+)\+([0-9a-fA-F]+)", line)
        if m:
            name, file, cs = m.group(1), m.group(2), int(m.group(3), 16)
            if file == "kernel":
                kernel_cs = cs
            else:
                drivers[cs] = (name, file, int(m.group(4), 16), int(m.group(5), 16))
            continue
        m = re.match(r"^BENCHCODE,(\w+),([0-9a-fA-F]+),(\d+),(\d+)\s*$", line)
        if m:  # code the kernel writes (no ELF): NAME_0 .. NAME_<count-1>, <bytes> each, from <start>
            regions.append((m.group(1), int(m.group(2), 16), int(m.group(3)), int(m.group(4))))
            continue
        m = re.match(r"^BENCH,([^,]+),([^,]+),(\d+),(\d+),(\d+),", line)
        if m:
            medians[m.group(1)] = int(m.group(4))
            continue
        m = re.match(r"^BENCHTRACE,([^,]+),(ok|tick)(?:,(.*))?$", line)
        if m:
            traces.append((m.group(1), m.group(2), (m.group(3) or "").strip()))
    return drivers, kernel_cs, medians, traces, regions


def parse_traces(path):
    """The traced instructions between `Tracing enabled` and the magic breakpoint that ends them."""
    segments, cur = [], None
    for line in Path(path).read_bytes().decode("latin-1").splitlines():
        if line.startswith("Tracing enabled"):
            cur = []
            continue
        if cur is None:
            continue
        if line.startswith("(0) Magic breakpoint") or line.startswith("Tracing disabled"):
            segments.append(cur)
            cur = None
            continue
        m = TRACE_RE.match(line)
        if m:
            tick, phys, cs, eip, dis, code = m.groups()
            cur.append({"tick": int(tick), "phys": int(phys, 16) if phys.startswith("0x") else None,
                        "cs": int(cs, 16), "eip": int(eip, 16), "dis": dis.strip(), "code": bytes.fromhex(code)})
    if cur:
        segments.append(cur)  # the run ended inside a trace: reported as having no end marker
    return segments


def is_marker(ins):
    return ins["code"] == b"\x66\x87\xdb"  # xchg bx, bx: Bochs' magic breakpoint


class Symbolizer:
    def __init__(self, kernel, kernel_cs, drivers, users, written=()):
        self.kernel, self.kernel_cs, self.drivers, self.users = kernel, kernel_cs, drivers, users
        self.written = list(written)  # code the kernel writes, some of it run through its own CS
        self.page_owner = {}

    def resolve_pages(self, segments):
        """Which user program each (selector, physical page) is: the one whose bytes match every
        instruction seen there (ties: every candidate, named together)."""
        seen = {}
        for seg in segments:
            for ins in seg:
                if ins["cs"] == self.kernel_cs or ins["cs"] & ~3 in self.drivers:
                    continue
                page = (ins["cs"], ins["phys"] >> 12 if ins["phys"] is not None else ins["eip"] >> 12)
                seen.setdefault(page, []).append(ins)
        for page, inss in seen.items():
            # Every instruction must lie in the program's code; most must match its bytes (patched
            # system-call sites differ from the file, kernel-written code has no file bytes).
            scored = []
            for u in self.users:
                if any(u.symbol(i["eip"]) is None for i in inss):
                    continue
                verdicts = [None if u.in_patched_site(i["eip"]) else u.matches(i["eip"], i["code"]) for i in inss]
                good, bad = verdicts.count(True), verdicts.count(False)
                if good > bad or (good == bad == 0):
                    scored.append((good, u))
            best = max((g for g, _ in scored), default=None)
            self.page_owner[page] = [u for g, u in scored if g == best]

    def where(self, ins):
        """(image name, symbol) or (None, why)."""
        cs, eip = ins["cs"], ins["eip"]
        if cs == self.kernel_cs:
            s = self.kernel.symbol(eip)
            if not s:  # the entry stubs the kernel generates per export (BENCHCODE,entry_stub,...)
                for w in self.written:
                    ws = w.symbol(eip)
                    if ws:
                        return "kernel", ws
            return ("kernel", s) if s else (None, f"kernel code has no symbol at {eip:#x}")
        if cs & ~3 in self.drivers:  # a ring-1 driver runs with RPL 1 in CS
            img, size = self.drivers[cs & ~3]
            if eip >= size:
                return None, f"{img.name} runs outside its code ({eip:#x} >= {size:#x})"
            s = img.symbol(eip)
            if not s and not img.contains(eip) and img.ranges and eip >= max(e for _, e in img.ranges):
                return img.name, "thunk"  # past its code, inside its segment: the loader's thunks
            return (img.name, s) if s else (None, f"{img.name} has no symbol at {eip:#x}")
        page = (cs, ins["phys"] >> 12 if ins["phys"] is not None else eip >> 12)
        owners = self.page_owner.get(page, [])
        if not owners:
            return None, f"no user program has these bytes at {cs:04x}:{eip:08x}"
        if len(owners) == 1:
            return owners[0].name, owners[0].symbol(eip)
        names = [o.name for o in owners]
        syms = {o.symbol(eip) for o in owners}
        return "|".join(names), (syms.pop() if len(syms) == 1 else "?")


def phase_of(image, sym):
    s = simplify(sym)
    q = s if image == "kernel" else f"{image}: {s}"
    if HARNESS.search(q):
        return None
    for pat, name in PHASES:
        if pat.search(q):
            return pat.sub(name, q) if "\\" in name else name
    return q


def goal_for(key, label):
    for kpat, lpat, goal, name in GOALS:
        if re.search(kpat, key) and (lpat is None or re.search(lpat, label or "")):
            return goal, name or label or key
    return None, None


def breakdown(seg, symb, errors, key):
    """[(phase, count)] in order of first appearance, the path total, the harness count."""
    counts, order, harness = {}, [], 0
    if not seg or not is_marker(seg[-1]):
        errors.append(f"ERROR: {key}: the trace does not end at the end marker (xchg bx, bx)")
    body = seg[:-1] if seg and is_marker(seg[-1]) else seg
    ticks = (seg[-1]["tick"] - seg[0]["tick"]) if len(seg) > 1 else 0
    if seg and ticks != len(body):
        errors.append(f"MISMATCH: {key}: {len(body)} instructions traced but the tick counter advanced {ticks}")
    for ins in body:
        image, sym = symb.where(ins)
        if image is None:
            errors.append(f"ERROR: {key}: unmapped instruction at {ins['cs']:04x}:{ins['eip']:08x} ({sym})")
            phase = f"unmapped ({ins['cs']:04x}:{ins['eip']:08x})"
        else:
            if "|" in image:
                errors.append(f"ERROR: {key}: {ins['cs']:04x}:{ins['eip']:08x} is ambiguous: the bytes match {image}")
            phase = phase_of(image, sym)
            if phase is None:
                harness += 1
                continue
        if phase not in counts:
            counts[phase] = 0
            order.append(phase)
        counts[phase] += 1
    if seg and is_marker(seg[-1]):
        harness += 1
    return [(p, counts[p]) for p in order], sum(counts.values()), harness


def read_csv_medians(path):
    out = {}
    for line in Path(path).read_text().splitlines()[1:]:
        f = line.split(",")
        if len(f) >= 5 and f[3].isdigit():
            out[f[0]] = int(f[3])
    return out


def table(rows, total):
    lines = ["| phase | instructions | share |", "|---|---:|---:|"]
    for phase, n in rows:
        lines.append(f"| {phase.replace('|', '&#124;')} | {n} | {100 * n / total:.1f} % |" if total else f"| {phase} | {n} | — |")
    lines.append(f"| **total** | **{total}** | 100 % |")
    return "\n".join(lines)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--emu", required=True)
    ap.add_argument("--serial", required=True)
    ap.add_argument("--kernel", default="build/kernel.elf")
    ap.add_argument("--drivers", default="build/drivers")
    ap.add_argument("--user", default="build/user")
    ap.add_argument("--csv", help="make bench's Bochs p2_klamath CSV: its medians are checked too")
    ap.add_argument("--doc", help="markdown file whose <!-- bench:breakdown --> block is replaced")
    ap.add_argument("--out", help="every traced case's breakdown, as markdown")
    a = ap.parse_args(argv[1:])

    errors = []
    for f in (a.emu, a.serial, a.kernel):
        if not Path(f).exists():
            print(f"bench-trace: ERROR: no file {f} (make bench-trace boots Bochs to write the logs)")
            return 1
    drivers, kernel_cs, medians, marks, regions = parse_serial(a.serial)
    if kernel_cs is None:
        print("bench-trace: ERROR: the boot log has no `driver: kernel ... cs=` line (boot with dump=drivers)")
        return 1
    kernel = load_image("kernel", a.kernel)
    dimgs = {}
    for cs, (name, file, base, size) in drivers.items():
        d = Path(a.drivers)
        p = d / file if (d / file).exists() else d / (file + ".nm")
        if p.exists():
            dimgs[cs] = (load_image(file, p), size)
        else:
            errors.append(f"ERROR: no image for driver {name} ({file}) in {d}")
    users = [load_image(p.stem, p) for p in sorted(Path(a.user).glob("*.elf")) + sorted(Path(a.user).glob("*.nm"))]
    segments = parse_traces(a.emu)
    if len(segments) != len(marks):
        errors.append(f"ERROR: {len(segments)} traces in {a.emu} but {len(marks)} BENCHTRACE lines in {a.serial}")
    written = [Image(f"kernel-written {name}", [(start + i * size, f"{name}_{i}") for i in range(count)], [],
                     [(start, start + size * count)]) for name, start, size, count in regions]
    symb = Symbolizer(kernel, kernel_cs, dimgs, written + users, written)
    symb.resolve_pages(segments)
    csv_medians = read_csv_medians(a.csv) if a.csv else {}

    results = []  # (key, rows, total, harness)
    trace_labels = {}
    for (key, status, label), seg in zip(marks, segments):
        if status != "ok":
            continue
        trace_labels[key] = label
        rows, total, harness = breakdown(seg, symb, errors, key)
        results.append((key, rows, total, harness))
        for src, meds in (("this boot's BENCH line", medians), (a.csv, csv_medians)):
            if src is None or (src != "this boot's BENCH line" and not a.csv):
                continue
            if key not in meds:
                if src == "this boot's BENCH line":
                    errors.append(f"ERROR: {key}: traced but this boot printed no BENCH line for it")
                continue
            if meds[key] != total:
                errors.append(f"MISMATCH: {key}: the trace counts {total} instructions, the median in {src} is {meds[key]}"
                              f" (trace - median = {total - meds[key]:+d})")
    missing = [k for k in medians if k not in {r[0] for r in results}]
    if missing:
        errors.append("ERROR: measured but not traced: " + ", ".join(missing))
    counted = {}
    for e in errors:  # each distinct message once, with how often it came
        counted[e] = counted.get(e, 0) + 1
    errors = [e if n == 1 else f"{e} ({n} times)" for e, n in counted.items()]

    # The doc block: the goal paths; the --out file: every case.
    details, all_lines = [], []
    summary = ["| path | goal | median | trace | miss (measured − goal) |", "|---|---:|---:|---:|---:|"]
    for key, rows, total, harness in results:
        label = LABELS.get(key) or trace_labels.get(key) or key
        med = csv_medians.get(key, medians.get(key))
        agree = "" if med == total else f" — **MISMATCH: median {med}**"
        top = sorted(rows, key=lambda r: -r[1])[:3]
        head = f"`{key}` ({label}): {total} instructions traced, {harness} of harness excluded{agree}."
        all_lines += [f"#### {label}", "", head, "", table(rows, total), ""]
        goal, gname = goal_for(key, label)
        if goal is None:
            continue
        measured = med if med is not None else total
        miss = measured - goal
        state = f"missed by {miss}" if miss > 0 else f"met, {-miss} to spare"
        summary.append(f"| {gname} (`{key}`) | ≤ {goal} | {med if med is not None else '—'} | {total} | {miss:+d} ({state}) |")
        details += [f"#### {gname}: {measured} against ≤ {goal}, {state}", "",
                    f"{head} Largest phases: " + ", ".join(f"{p} {n}" for p, n in top) + ".", "",
                    table(rows, total), ""]
    lines = ["Generated by `make bench-trace` (`tools/bench_trace.py`) from one traced run of each path "
             "(Bochs p2_klamath), the harness excluded; each total checked against the case's median "
             "(this boot's, and with `make bench-docs` the table above).", ""] + summary + [""] + details
    if errors:
        lines += ["**The last run reported:** " + "; ".join(e.replace("|", "/") for e in errors), ""]
    block = "\n".join(lines).rstrip()

    print("\n".join(all_lines))
    print(block)
    if a.out:
        Path(a.out).write_text("# Every traced case (make bench-trace)\n\n" + "\n".join(all_lines))
        print(f"bench-trace: wrote every case's breakdown into {a.out}")
    if a.doc:
        doc = Path(a.doc)
        doc.write_text(replace_block(doc.read_text(), "breakdown", block))
        print(f"bench-trace: wrote the breakdown into {doc}")
    for e in errors:
        print("bench-trace: " + e)
    if errors:
        print(f"bench-trace: {len(errors)} problem(s): the breakdown does not account for the medians")
        return 1
    print(f"bench-trace: {len(results)} traces, every total equal to its median")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
