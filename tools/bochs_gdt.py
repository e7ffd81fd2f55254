#!/usr/bin/env python3
"""Compare Bochs' `info gdt` with the kernel's GDT listing (docs/serial.md), or annotate it.

usage: bochs_gdt.py BOCHS_OUTPUT KERNEL_SERIAL_LOG        compare; exit 0 when they agree
       bochs_gdt.py --annotate BOCHS_OUTPUT KERNEL_SERIAL_LOG

Bochs is the oracle: it decodes the descriptors the CPU would use, independently of the kernel's
encoders and decoder. Every entry the kernel lists must appear in Bochs with the same kind, base
and limit, and Bochs must show no present descriptor the kernel does not list.
"""
import re
import sys

KERNEL_LINE = re.compile(
    r"^gdt: 0x(?P<sel>[0-9a-f]{4}) base=0x(?P<base>[0-9a-f]{8}) limit=0x(?P<limit>[0-9a-f]{8}) "
    r"(?P<kind>\S+) dpl=(?P<dpl>\d) p=(?P<p>\d) (?P<size>\S+) owner=(?P<owner>\S+)")
BOCHS_LINE = re.compile(r"^GDT\[0x(?P<sel>[0-9a-f]{4})\]=(?P<text>.*)$")
BOCHS_SEG = re.compile(r"^(?P<kind>Code|Data) segment, base=0x(?P<base>[0-9a-f]+), limit=0x(?P<limit>[0-9a-f]+)(?P<rest>.*)$")
BOCHS_TSS = re.compile(r"^32-Bit TSS \((?P<state>Busy|Available)\) at 0x(?P<base>[0-9a-f]+), length 0x(?P<limit>[0-9a-f]+)")


def kernel_entries(path):
    entries = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = KERNEL_LINE.match(line.strip())
            if m:
                entries[int(m["sel"], 16)] = m.groupdict()
    return entries


def bochs_entries(path):
    """Bochs' decoding of each GDT slot: (kind, base, limit, 32-bit?) or None for an empty slot."""
    entries = {}
    raw = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = BOCHS_LINE.match(line.strip())
            if not m:
                continue
            sel, text = int(m["sel"], 16), m["text"]
            raw[sel] = text
            seg, tss = BOCHS_SEG.match(text), BOCHS_TSS.match(text)
            if seg:
                kind = seg["kind"].lower()
                entries[sel] = (kind, int(seg["base"], 16), int(seg["limit"], 16),
                                "32bit" if "32-bit" in seg["rest"] else ("16bit" if kind == "code" else None))
            elif tss:
                entries[sel] = ("tss-busy" if tss["state"] == "Busy" else "tss", int(tss["base"], 16),
                                int(tss["limit"], 16), None)
            elif text.startswith("??? descriptor hi=0x00000000, lo=0x00000000"):
                entries[sel] = None
            else:
                entries[sel] = ("other", None, None, text)
    return entries, raw


def compare(bochs_path, serial_path):
    kernel = kernel_entries(serial_path)
    bochs, _ = bochs_entries(bochs_path)
    problems = []
    if not kernel:
        problems.append("the kernel printed no gdt: lines")
    if not bochs:
        problems.append("Bochs printed no GDT (did the magic breakpoint stop it?)")
    for sel, k in sorted(kernel.items()):
        b = bochs.get(sel)
        if b is None:
            problems.append(f"0x{sel:04x}: kernel lists {k['kind']} owner={k['owner']}, Bochs shows an empty slot")
            continue
        kind, base, limit, size = b
        if kind == "other":
            if k["kind"] not in ("callgate", "taskgate", "ldt", "system"):
                problems.append(f"0x{sel:04x}: kernel says {k['kind']}, Bochs says '{size}'")
            continue
        want = (k["kind"], int(k["base"], 16), int(k["limit"], 16))
        if (kind, base, limit) != want:
            problems.append(f"0x{sel:04x}: kernel {want[0]} base={want[1]:#010x} limit={want[2]:#010x}, "
                            f"Bochs {kind} base={base:#010x} limit={limit:#010x}")
        if kind == "code" and size != k["size"]:
            problems.append(f"0x{sel:04x}: kernel says {k['size']}, Bochs says {size}")
    extra = [sel for sel, b in bochs.items() if b is not None and sel not in kernel and sel != 0]
    for sel in extra:
        problems.append(f"0x{sel:04x}: Bochs shows {bochs[sel][0]} that the kernel does not list")
    for p in problems:
        print("mismatch:", p)
    print(f"bochs-gdt: {len(kernel)} kernel entries, {sum(1 for b in bochs.values() if b)} present in Bochs, "
          f"{len(problems)} mismatches")
    return 0 if not problems else 1


def annotate(bochs_path, serial_path):
    kernel = kernel_entries(serial_path)
    _, raw = bochs_entries(bochs_path)
    for sel, text in sorted(raw.items()):
        if text.startswith("??? descriptor hi=0x00000000, lo=0x00000000"):
            continue
        owner = kernel.get(sel, {}).get("owner", "?")
        print(f"GDT[0x{sel:04x}]={text}  owner={owner}")
    # The rest of the debugger's answers (sreg, info tss) as Bochs printed them.
    printing = False
    with open(bochs_path, errors="replace") as f:
        for line in f:
            if re.match(r"^(es|cs|ss|ds|fs|gs|ldtr|tr|gdtr|idtr):", line):
                printing = True
            if printing and line.startswith("====="):
                break
            if printing:
                print(line.rstrip())
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
