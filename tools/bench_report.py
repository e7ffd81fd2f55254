#!/usr/bin/env python3
"""Turn the benchmark CSVs into a chart (gnuplot, PNG and SVG) and the tables in docs/benchmarks.md.

usage: bench_report.py RESULTS_DIR RUN... [--probe PROBE_CSV] [--doc MARKDOWN]
Each RUN has RESULTS_DIR/kernel-RUN.csv (case,unit,min,median,p99,calls). The tables replace what
stands between the <!-- bench:kernel --> / <!-- bench:probe --> markers and their /end markers.
"""
import csv
import subprocess
import sys
from pathlib import Path

LABELS = {
    "near_call": "near call + ret (baseline)",
    "far_call_gate": "far call through a call gate (kernel → null.nop)",
    "far_call_direct": "patched direct far call (kernel → null.nop)",
    "kernel_service_gate": "kernel service through its gate (no switch)",
    "d2d_ring0": "driver → driver (null → faulty.echo), both in ring 0",
    "far_call_gate_ring1": "far call through a call gate, null in ring 1",
    "far_call_direct_ring1": "patched direct far call, null in ring 1",
    "d2d_ring1": "driver → driver (null → faulty.echo), both in ring 1",
    "far_call_gate_domains": "far call through a call gate, null in a GDT domain",
    "far_call_direct_domains": "patched direct far call, null in a GDT domain",
    "d2d_domains": "driver → driver (null → faulty.echo), each in its GDT domain",
    "syscall_patched": "ring 3 → 0 null call, the patched site",
    "syscall_int80": "ring 3 → 0 null call, INT 0x80",
    "syscall_gate": "ring 3 → 0 null call, DPL-3 call gate",
    "syscall_sysenter": "ring 3 → 0 null call, SYSENTER",
    "syscall_sysenter_cxx": "ring 3 → 0 call through the C++ path (mechanism), SYSENTER",
    "ipc_null": "paging IPC null round trip",
    "ipc_null_noglobal": "paging IPC null round trip, no global pages",
    "ipc_null_regs": "paging IPC null round trip, registers only",
    "ipc_touch1": "IPC round trip + touch 1 page",
    "ipc_touch8": "IPC round trip + touch 8 pages",
    "ipc_touch64": "IPC round trip + touch 64 pages",
    "ipc_small_null": "small-space IPC null round trip (no CR3 load)",
    "ipc_small_null_regs": "small-space IPC null round trip, registers only",
    "ipc_small_touch1": "small-space IPC round trip + touch 1 page",
    "ipc_small_touch8": "small-space IPC round trip + touch 8 pages",
    "ipc_small_touch64": "small-space IPC round trip + touch 64 pages",
    "disk_read_driver": "RAM-disk 512-byte read, driver (far call)",
    "disk_read_ipc": "RAM-disk 512-byte read, server (paging IPC)",
    "disk_read_small": "RAM-disk 512-byte read, small server (small-space IPC)",
}


# Short labels for the chart's x axis (what each bar is, not the CSV key).
SHORT = {
    "near_call": "near call", "far_call_gate": "far call (gate)", "far_call_direct": "far call (patched)",
    "kernel_service_gate": "kernel service", "d2d_ring0": "driver→driver, ring 0", "far_call_gate_ring1": "far call, ring 1",
    "far_call_direct_ring1": "far call (patched), ring 1", "d2d_ring1": "driver→driver, ring 1",
    "far_call_gate_domains": "far call, domains", "far_call_direct_domains": "far call (patched), domains",
    "d2d_domains": "driver→driver, domains", "syscall_patched": "syscall: site", "syscall_int80": "syscall: INT 0x80",
    "syscall_gate": "syscall: call gate", "syscall_sysenter": "syscall: SYSENTER", "syscall_sysenter_cxx": "syscall: C++ path", "ipc_null": "paging IPC",
    "ipc_null_noglobal": "paging IPC, no PGE", "ipc_null_regs": "paging IPC, registers", "ipc_touch1": "IPC + 1 page", "ipc_touch8": "IPC + 8 pages",
    "ipc_touch64": "IPC + 64 pages", "ipc_small_null": "small-space IPC", "ipc_small_null_regs": "small IPC, registers", "ipc_small_touch1": "small IPC + 1 page",
    "ipc_small_touch8": "small IPC + 8 pages", "ipc_small_touch64": "small IPC + 64 pages",
    "disk_read_driver": "disk read: driver", "disk_read_ipc": "disk read: IPC server", "disk_read_small": "disk read: small server",
}

# Peers measured on this machine with the same QEMU binary and -icount shift=0,align=off,sleep=off
# (instructions per round trip; /work/shared/DESIGN.md, "Benchmark harness"): published-here
# figures, with what each is compared against in Gatehouse.
PEERS = [
    ("seL4 ia32 (release, fastpath): IPC round trip, other address space (Call 201 + ReplyRecv 230)", 431, "ipc_null_regs"),
    ("seL4 ia32 (release, fastpath): IPC round trip, other address space (Call 201 + ReplyRecv 230)", 431, "ipc_null"),
    ("Linux 6.1 i386: getppid by int 0x80", 351, "syscall_int80"),
    ("Linux 6.1 i386: pipe ping-pong round trip", 14432, "ipc_null"),
    ("xv6: getpid", 1395, "syscall_int80"),
    ("xv6: pipe ping-pong round trip", 27243, "ipc_null"),
]


def median(data, run, case):
    try:
        return int(data[run][case]["median"])
    except (KeyError, ValueError):
        return None


def peer_table(data, run):
    lines = [f"Gatehouse figures from the `{run}` run (the same QEMU, the same -icount flags as the peers).", "",
             "| peer | instructions | Gatehouse counterpart | Gatehouse | Gatehouse ÷ peer |", "|---|---:|---|---:|---:|"]
    for what, n, case in PEERS:
        g = median(data, run, case)
        ratio = f"{g / n:.2f}" if g else "—"
        lines.append(f"| {what} | {n:,} | {LABELS[case]} | {g if g is not None else '—'} | {ratio} |")
    return "\n".join(lines)


def headline(data, run):
    # The register-only null IPC is the counterpart of seL4's fastpath figure where it was measured.
    far, ipc = median(data, run, "far_call_gate"), median(data, run, "ipc_null_regs") or median(data, run, "ipc_null")
    parts = []
    if far and ipc:
        parts.append(f"paging IPC / far call = {ipc / far:.1f}x")
    if ipc:
        parts.append(f"Gatehouse IPC / seL4 IPC (431) = {ipc / 431:.2f}x")
    return "; ".join(parts)


def read_kernel(path):
    with open(path) as f:
        return {row["case"]: row for row in csv.DictReader(f)}


def kernel_table(results, runs):
    data = {run: read_kernel(results / f"kernel-{run}.csv") for run in runs}
    cases = [c for c in LABELS if any(c in d for d in data.values())]
    lines = ["| case | " + " | ".join(runs) + " |", "|---|" + "---:|" * len(runs)]
    for c in cases:
        cells = [data[r][c]["median"] if c in data[r] else "—" for r in runs]
        lines.append(f"| {LABELS[c]} | " + " | ".join(cells) + " |")
    return "\n".join(lines), data, cases


def probe_table(path):
    meta, rows = {}, []
    with open(path) as f:
        body = []
        for line in f:
            if line.startswith("#"):
                k, _, v = line[1:].partition(":")
                meta[k.strip()] = v.strip()
            else:
                body.append(line)
    rows = list(csv.DictReader(body))
    lines = [f"CPU: {meta.get('cpu_brand', '?')} ({meta.get('cpu_vendor', '?')}, {meta.get('cpu_signature', '?')}); "
             f"hypervisor: {meta.get('hypervisor', '?')}; TSC {meta.get('tsc_mhz', '?')} MHz; file `{path.name}`.", "",
             "| case | median cycles | p99 | × far call |", "|---|---:|---:|---:|"]
    for r in rows:
        if r.get("status") != "ok":
            lines.append(f"| {r['label']} | {r['status']}: {r.get('reason', '')} | | |")
            continue
        lines.append(f"| {r['label']} | {r['median_cycles']} | {r['p99_cycles']} | {r.get('ratio_to_far_call') or ''} |")
    return "\n".join(lines)


def chart(results, runs, data, cases):
    head = headline(data, runs[-1])
    dat = results / "kernel-medians.dat"
    with open(dat, "w") as f:
        f.write("case " + " ".join(runs) + "\n")
        for c in cases:
            label = '"' + SHORT.get(c, c) + '"'  # quoted: one column for gnuplot, spaces and all
            f.write(label + " " + " ".join(data[r][c]["median"] if c in data[r] else "NaN" for r in runs) + "\n")
    plots = ", ".join(f"'{dat}' using {i + 2}:xtic(1) title '{r}'" for i, r in enumerate(runs))
    for term, ext in (("pngcairo size 1200,600", "png"), ("svg size 1200,600", "svg")):
        script = f"""set terminal {term} noenhanced
set output '{results}/kernel-medians.{ext}'
set title "Gatehouse: median path length per call (emulator instructions; log scale)\\n{head}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set logscale y
set ylabel 'instructions'
set xtics rotate by -35 font ',9'
set rmargin 10
set key top left
plot {plots}
"""
        subprocess.run(["gnuplot"], input=script, text=True, check=True)


def replace_block(text, name, content):
    begin, end = f"<!-- bench:{name} -->", f"<!-- bench:{name}:end -->"
    a, b = text.index(begin) + len(begin), text.index(end)
    return text[:a] + "\n" + content + "\n" + text[b:]


def main(argv):
    probe = None
    if "--probe" in argv:
        i = argv.index("--probe")
        probe = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    doc_in, doc_out = Path("docs/benchmarks.md"), None
    if "--doc" in argv:
        i = argv.index("--doc")
        doc_out = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    results, runs = Path(argv[1]), argv[2:]
    table, data, cases = kernel_table(results, runs)
    chart(results, runs, data, cases)
    # The tables go into a copy of docs/benchmarks.md (make bench: under build/) or into the
    # document itself (make bench-docs).
    if doc_out is None:
        doc_out = doc_in
    text = replace_block(doc_in.read_text(), "kernel", table)
    if probe:
        text = replace_block(text, "probe", probe_table(probe))
    if "<!-- bench:peers -->" in text:
        text = replace_block(text, "peers", peer_table(data, runs[-1]))
    doc_out.write_text(text)
    print(table)
    print(f"bench: wrote {results}/kernel-*.csv, {results}/kernel-medians.png/.svg and {doc_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
