#!/usr/bin/env python3
"""Compare Bochs' view of the GDT with the kernel's GDT listing (docs/serial.md), or annotate it.

usage: bochs_gdt.py BOCHS_OUTPUT KERNEL_SERIAL_LOG             compare; exit 0 when they agree
       bochs_gdt.py --annotate BOCHS_OUTPUT KERNEL_SERIAL_LOG  Bochs' lines with owner= appended

BOCHS_OUTPUT is what Bochs' debugger printed at the kernel's magic breakpoint (tools/bochs-oracle.sh):
`info gdt`, then `x /<2*entries>wx <gdt base>` (the raw descriptors as Bochs reads them), `sreg`,
`info tss`. Bochs 2.7 prints, for example:

  Global Descriptor Table (base=0x0000000000117008, limit=65535):
  GDT[0x0000]=??? descriptor hi=0x00000000, lo=0x00000000
  GDT[0x0008]=Code segment, base=0x00000000, limit=0xffffffff, Execute/Read, Non-Conforming, Accessed, 32-bit
  GDT[0x0010]=Data segment, base=0x00000000, limit=0xffffffff, Read/Write, Accessed
  GDT[0x0028]=32-Bit TSS (Busy) at 0x001270a0, length 0x00067
  0x0000000000117008 <bogus+       0>:	0x00000000	0x00000000	0x0000ffff	0x00cf9b00

`info gdt` lists every slot up to the GDT limit with Bochs' decoding of kind, base and limit
(granularity applied for code and data; TSS "length" is the raw 20-bit limit) but shows neither DPL
nor the present bit, and no D/B bit for data: those come from the raw words of the `x` dump.

Bochs is the oracle: every entry the kernel lists must be there with the same kind, base, limit,
DPL, present bit and size; every present slot Bochs shows must be listed by the kernel.
"""
import re
import sys

KERNEL_LINE = re.compile(
    r"^gdt: 0x(?P<sel>[0-9a-fA-F]{4}) base=0x(?P<base>[0-9a-fA-F]{8}) limit=0x(?P<limit>[0-9a-fA-F]{8}) "
    r"(?P<kind>\S+) dpl=(?P<dpl>\d) p=(?P<p>\d) (?P<size>\S+) owner=(?P<owner>\S+)(?P<rest>.*)$")
KERNEL_HEADER = re.compile(r"^gdt: (?P<used>\d+) of (?P<total>\d+) entries in use, base=0x(?P<base>[0-9a-fA-F]+)")
BOCHS_HEADER = re.compile(r"Global Descriptor Table \(base=0x(?P<base>[0-9a-fA-F]+), limit=(?P<limit>\d+)\)")
BOCHS_LINE = re.compile(r"GDT\[0x(?P<sel>[0-9a-fA-F]{4})\]=(?P<text>.*)$")
BOCHS_SEG = re.compile(r"^(?P<kind>Code|Data) segment, base=0x(?P<base>[0-9a-fA-F]+), limit=0x(?P<limit>[0-9a-fA-F]+)")
BOCHS_TSS = re.compile(r"^(?:16|32)-Bit TSS \((?P<state>Busy|Available|available)\) at 0x(?P<base>[0-9a-fA-F]+), "
                       r"length 0x(?P<limit>[0-9a-fA-F]+)")
BOCHS_DUMP = re.compile(r"^0x(?P<addr>[0-9a-fA-F]+) <[^>]*>:\s*(?P<words>(?:0x[0-9a-fA-F]{8}\s*)+)$")
GATE_TARGET = re.compile(r"target=0x(?P<sel>[0-9a-fA-F]+):0x(?P<off>[0-9a-fA-F]+)")
SYSTEM_KINDS = {"LDT": "ldt", "Task Gate": "taskgate", "16-Bit Call Gate": "callgate", "32-Bit Call Gate": "callgate"}


def kernel_listing(path):
    entries, header = {}, None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            m = KERNEL_LINE.match(line)
            if m:
                entries[int(m["sel"], 16)] = m.groupdict()
            m = KERNEL_HEADER.match(line)
            if m:
                header = (int(m["used"]), int(m["total"]), int(m["base"], 16))
    return entries, header


DRIVER_LINE = re.compile(r"^driver: (?P<name>\S+) file=\S+ cs=0x(?P<cs>[0-9a-fA-F]{4}) ds=0x(?P<ds>[0-9a-fA-F]{4})")
DRIVER_MODE = re.compile(r"^driver:   mode (?P<mode>.*)$")
DRIVER_PORTS = re.compile(r"^driver:   ports (?P<ports>.*)$")


def driver_listing(path):
    """The kernel's dump=drivers lines: each driver's selectors, mode line and ports line."""
    drivers, current = [], None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            m = DRIVER_LINE.match(line)
            if m:
                current = {"name": m["name"], "cs": m["cs"], "ds": m["ds"], "mode": "", "ports": ""}
                drivers.append(current)
                continue
            m = DRIVER_MODE.match(line) or DRIVER_PORTS.match(line)
            if m and current:
                current.update(m.groupdict())
    return drivers


class BochsView:
    """What Bochs printed: its decoding of each slot, the raw descriptor words, the GDT register."""

    def __init__(self, path):
        self.text = {}      # selector -> Bochs' text after "GDT[0x....]="
        self.words = {}     # linear address -> 32-bit word from the `x` dump
        self.base = self.limit = None
        self.lines = []
        with open(path, errors="replace") as f:
            for line in f:
                line = line.rstrip("\r\n")
                self.lines.append(line)
                m = BOCHS_HEADER.search(line)
                if m and self.base is None:
                    self.base, self.limit = int(m["base"], 16), int(m["limit"])
                m = BOCHS_LINE.search(line)
                if m:
                    self.text[int(m["sel"], 16)] = m["text"].strip()
                    continue
                m = BOCHS_DUMP.match(line.strip())
                if m:
                    addr = int(m["addr"], 16)
                    for i, w in enumerate(m["words"].split()):
                        self.words[addr + 4 * i] = int(w, 16)

    def raw(self, sel):
        """(lo, hi) of the descriptor at sel from the memory dump, or None if not dumped."""
        if self.base is None:
            return None
        addr = self.base + (sel & ~7)
        if addr in self.words and addr + 4 in self.words:
            return self.words[addr], self.words[addr + 4]
        return None

    def decode(self, sel):
        """Bochs' decoding: dict(kind, base, limit) with None where Bochs prints nothing, or None when empty."""
        text = self.text.get(sel)
        if text is None or text.startswith("??? descriptor hi=0x00000000, lo=0x00000000"):
            return None
        m = BOCHS_SEG.match(text)
        if m:
            return {"kind": m["kind"].lower(), "base": int(m["base"], 16), "limit": int(m["limit"], 16)}
        m = BOCHS_TSS.match(text)
        if m:
            return {"kind": "tss-busy" if m["state"] == "Busy" else "tss", "base": int(m["base"], 16),
                    "limit": int(m["limit"], 16), "raw_limit": True}
        for prefix, kind in SYSTEM_KINDS.items():
            if text.startswith(prefix):
                return {"kind": kind, "base": None, "limit": None}
        return {"kind": "system", "base": None, "limit": None}


def raw_fields(lo, hi):
    """Our own reading of the raw words (only for what Bochs does not print)."""
    g = (hi >> 23) & 1
    limit = (hi & 0x000F0000) | (lo & 0xFFFF)
    return {
        "dpl": (hi >> 13) & 3, "p": (hi >> 15) & 1, "s": (hi >> 12) & 1, "db": (hi >> 22) & 1, "g": g,
        "base": ((lo >> 16) & 0xFFFF) | ((hi & 0xFF) << 16) | (hi & 0xFF000000),
        "limit": (limit << 12) | 0xFFF if g else limit,
    }


def compare(bochs_path, serial_path):
    kernel, header = kernel_listing(serial_path)
    bochs = BochsView(bochs_path)
    problems, notes = [], []
    if not kernel:
        problems.append("the kernel printed no gdt: lines")
    if not bochs.text:
        problems.append("Bochs printed no GDT (did the magic breakpoint stop it? is `break` on the command line?)")
    have_raw = bochs.raw(0) is not None
    if bochs.text and not have_raw:
        problems.append("no raw descriptor dump from Bochs: DPL and present bits cannot be checked")
    if header and bochs.base is not None:
        used, total, kbase = header
        if kbase != bochs.base:
            problems.append(f"kernel says the GDT is at {kbase:#x}, Bochs' GDTR says {bochs.base:#x}")
        if (bochs.limit + 1) // 8 != total:
            problems.append(f"kernel says {total} entries, Bochs' GDTR limit {bochs.limit} holds {(bochs.limit + 1) // 8}")
        if used != len(kernel) + 1:
            notes.append(f"kernel header says {used} in use, it lists {len(kernel)} (+ null)")

    for sel, k in sorted(kernel.items()):
        b = bochs.decode(sel)
        where = f"0x{sel:04x} (owner={k['owner']})"
        if sel not in bochs.text:
            problems.append(f"{where}: beyond the GDT limit Bochs shows")
            continue
        if b is None:
            problems.append(f"{where}: kernel lists {k['kind']}, Bochs shows an empty slot")
            continue
        kb, kl = int(k["base"], 16), int(k["limit"], 16)
        if b["kind"] != k["kind"]:
            problems.append(f"{where}: kernel says {k['kind']}, Bochs says {b['kind']} ({bochs.text[sel]})")
        raw = bochs.raw(sel)
        r = raw_fields(*raw) if raw else None
        if b["base"] is not None:
            limit = b["limit"]
            if b.get("raw_limit") and r and r["g"]:
                limit = (limit << 12) | 0xFFF
            if (b["base"], limit) != (kb, kl):
                problems.append(f"{where}: kernel base={kb:#010x} limit={kl:#010x}, "
                                f"Bochs base={b['base']:#010x} limit={limit:#010x}")
        elif k["kind"] == "ldt" and r and (r["base"], r["limit"]) != (kb, kl):
            problems.append(f"{where}: kernel base={kb:#010x} limit={kl:#010x}, "
                            f"descriptor base={r['base']:#010x} limit={r['limit']:#010x}")
        # Gates: Bochs prints "target=0xSSSS:0xOOOOOOOO, DPL=n"; the kernel may append the same target=.
        bt, kt = GATE_TARGET.search(bochs.text[sel]), GATE_TARGET.search(k.get("rest") or "")
        if bt and kt and (int(bt["sel"], 16), int(bt["off"], 16)) != (int(kt["sel"], 16), int(kt["off"], 16)):
            problems.append(f"{where}: kernel target={kt['sel']}:{kt['off']}, Bochs target={bt['sel']}:{bt['off']}")
        if r is None:
            continue
        if b["base"] is not None and b["kind"] in ("code", "data") and (r["base"], r["limit"]) != (b["base"], b["limit"]):
            problems.append(f"{where}: the raw dump disagrees with Bochs' info gdt (dump misread?)")
        if r["dpl"] != int(k["dpl"]):
            problems.append(f"{where}: kernel dpl={k['dpl']}, descriptor dpl={r['dpl']}")
        if r["p"] != int(k["p"]):
            problems.append(f"{where}: kernel p={k['p']}, descriptor p={r['p']}")
        if b["kind"] in ("code", "data"):
            size = "32bit" if r["db"] else "16bit"
            if size != k["size"]:
                problems.append(f"{where}: kernel says {k['size']}, descriptor D/B says {size}")

    for sel in sorted(bochs.text):
        if sel == 0 or sel in kernel:
            continue
        b = bochs.decode(sel)
        raw = bochs.raw(sel)
        if raw is not None:
            if raw == (0, 0):
                continue
            r = raw_fields(*raw)
            if r["p"]:
                problems.append(f"0x{sel:04x}: Bochs shows a present {b['kind'] if b else '???'} the kernel does not list "
                                f"({bochs.text[sel]})")
            else:
                notes.append(f"0x{sel:04x}: non-zero, not present, not listed ({bochs.text[sel]})")
        elif b is not None:
            problems.append(f"0x{sel:04x}: Bochs shows {b['kind']} that the kernel does not list")

    # Small spaces (docs/ipc.md): a small server's code/data pair is present only while it runs, and
    # the flat user descriptors are hidden then; the oracle stops with the kernel thread running
    # (a quiescent point), where every small pair must be not present and the flat user ones present.
    small = sorted(sel for sel, k in kernel.items() if k["owner"].startswith("small:"))
    if small:
        for sel in small:
            raw = bochs.raw(sel)
            if raw and raw_fields(*raw)["p"]:
                problems.append(f"0x{sel:04x} (owner={kernel[sel]['owner']}): a small server's descriptor is present "
                                "at a quiescent point (the kernel thread runs)")
        for sel in (0x18, 0x20):
            raw = bochs.raw(sel)
            if sel in kernel and raw and not raw_fields(*raw)["p"]:
                problems.append(f"0x{sel:04x}: the flat user descriptor is hidden at a quiescent point")

    for n in notes:
        print("note:", n)
    for p in problems:
        print("mismatch:", p)
    if small:
        owners = sorted({kernel[s]["owner"] for s in small})
        print(f"bochs-gdt: {len(small)} small-space descriptors ({', '.join(owners)}) compared at a quiescent point: "
              "the kernel thread runs, so each small pair is p=0 and the flat user 0x18/0x20 p=1; these present bits "
              "change with every switch to or from a small server")
    present = sum(1 for s in bochs.text if s and bochs.decode(s) is not None)
    print(f"bochs-gdt: {len(kernel)} kernel entries, {present} non-empty in Bochs "
          f"({len(bochs.text)} slots up to the limit), {len(problems)} mismatches")
    return 0 if not problems else 1


def annotate(bochs_path, serial_path):
    kernel, _ = kernel_listing(serial_path)
    bochs = BochsView(bochs_path)
    if bochs.base is not None:
        print(f"Global Descriptor Table (base={bochs.base:#x}, limit={bochs.limit}); empty slots omitted")
    for sel, text in sorted(bochs.text.items()):
        if text.startswith("??? descriptor hi=0x00000000, lo=0x00000000"):
            continue
        owner = kernel.get(sel, {}).get("owner", "?")
        raw = bochs.raw(sel)
        extra = ""
        if raw:
            r = raw_fields(*raw)
            extra = (f", DPL={r['dpl']}" if "DPL=" not in text else "") + f", P={r['p']}"
        print(f"GDT[0x{sel:04x}]={text}{extra}  owner={owner}")
    # Each driver's mode and declared ports, from the kernel's listing (dump=drivers): the modes are
    # recorded, not enforced (only ring 0 is built); the ports are what the TSS I/O bitmap would open.
    drivers = [d for d in driver_listing(serial_path) if d["name"] != "kernel"]
    if drivers:
        print("Drivers (the kernel's dump=drivers): selectors, mode, declared I/O ports")
        for d in drivers:
            print(f"  {d['name']}: cs=0x{d['cs']} ds=0x{d['ds']} mode {d['mode'] or '?'}; ports {d['ports'] or '?'}")
    # The rest of the debugger's answers (sreg, info tss) as Bochs printed them.
    printing = False
    for line in bochs.lines:
        if re.match(r"^(<bochs:\d+> )?(es|cs|ss|ds|fs|gs|ldtr|tr|gdtr|idtr):", line):
            printing = True
        if printing and (line.startswith("=====") or re.match(r"^<bochs:\d+> c\s*$", line)):
            break
        if printing:
            print(line)
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--annotate":
        return annotate(argv[2], argv[3])
    if len(argv) == 3:
        return compare(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
