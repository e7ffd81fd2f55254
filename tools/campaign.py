#!/usr/bin/env python3
"""make campaign N=... SEED=...: the driver fault-injection campaign in Bochs (docs/reliability.md).

Boots the kernel with `campaign=<chunk> seed=S campaign_from=K console=serial`, one Bochs at a
time, CHUNK injections per boot, and adds up the kernel's CAMPAIGN lines (docs/serial.md). A boot
that ends without its CAMPAIGN,end line is a kernel crash (PANIC, with the CAMPAIGN,crash line
naming the injection), a triple fault, or a hang (no CAMPAIGN line for STALL seconds). For a
crash the counts up to the crashed injection come with the panic; for a hang or a triple fault the
window after the last progress line is run again with campaign_trace, one line per injection, to
find the injection that stops the machine. Either way it is counted against its fault type,
named with the command that replays it alone, and the campaign resumes at the next index.

Environment: CPU (Bochs model, default pentium), CHUNK (default 100000), CHECK (campaign_check,
default 1024), FROM (first index, default 0: to go on after a stopped run), STALL (seconds without
serial output that make a hang, default 60; 15 in a trace run, which prints a line per injection),
OUT (summary file, default build/campaign/<seed>-<N>[-from<FROM>].txt).
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import time

FAULTS = ["code-bitflip", "code-byteflip", "data-bitflip", "data-byteflip", "pointer", "stack",
          "read-past-limit", "write-past-limit", "stack-past-limit", "jump-past-limit", "bad-selector",
          "divide-error", "invalid-opcode", "loop-if1", "foreign-code", "loop-if0"]
COLS = ["injected", "detected", "contained", "silent", "wrong", "uncontained", "corruption"]
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN_KERNEL, BIN_MODULES = "", []


def snapshot_binaries(outdir, tag):
    """A copy of the kernel and its modules, so a rebuild during a long run changes nothing."""
    global BIN_KERNEL, BIN_MODULES
    bindir = os.path.join(outdir, "bin-" + tag)
    os.makedirs(bindir, exist_ok=True)
    BIN_KERNEL = shutil.copy(os.path.join(HERE, "build/kernel.elf"), bindir)
    mods = sorted(glob.glob(os.path.join(HERE, "build/drivers/*.drv"))) + \
        sorted(glob.glob(os.path.join(HERE, "build/user/*.elf"))) + [os.path.join(HERE, "build/disk.img")]
    BIN_MODULES = [shutil.copy(m, bindir) for m in mods]


class Tally:
    def __init__(self):
        self.c = {f: dict.fromkeys(COLS + ["crashes", "hangs"], 0) for f in FAULTS + ["unknown"]}

    def add_groups(self, groups):  # the 16 "a:b:c:d:e:f:g" groups of a progress/counts line
        for f, g in zip(FAULTS, groups):
            for col, v in zip(COLS, g.split(":")):
                self.c[f][col] += int(v)

    def add_result(self, fault, cls):  # a campaign_trace result line
        c = self.c[fault]
        c["injected"] += 1
        if cls in ("contained", "uncontained"):
            c["detected"] += 1
        if cls == "contained":
            c["contained"] += 1
        if cls in ("silent", "silent-wrong", "not-restored"):
            c["silent"] += 1
        if cls == "silent-wrong":
            c["wrong"] += 1
        if cls in ("uncontained", "not-restored"):
            c["uncontained"] += 1

    def total(self, col):
        return sum(v[col] for v in self.c.values())


# More command-line words for every boot, e.g. EXTRA=drvring=1 (all drivers in ring 1).
EXTRA = (" " + os.environ["EXTRA"]) if os.environ.get("EXTRA") else ""


def boot(cmdline, log, stall, cpu):
    """One Bochs run; returns (kind, seconds): kind is 'end', 'crash', 'triple', 'hang' or 'other'."""
    # BOCHS_MAGIC_BREAK=0: a flipped byte that becomes `xchg bx, bx` is a no-op, as on a real CPU,
    # not a stop in Bochs' debugger (seeds 22 and 60 ended boots that way, "without a verdict").
    env = dict(os.environ, EMU="bochs", CPU=cpu, CMDLINE=cmdline, LOG=log, QUIET="1", TIMEOUT="86400", BOCHS_MAGIC_BREAK="0",
               KERNEL=BIN_KERNEL, MODULES=" ".join(BIN_MODULES))
    start = time.time()
    p = subprocess.Popen([os.path.join(HERE, "tools/run-emu.sh")], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)

    def stop(signum, frame):  # kill -TERM <this script>: its Bochs goes too (run-emu.sh kills it on TERM)
        p.terminate()
        p.wait()
        sys.exit(130)
    signal.signal(signal.SIGTERM, stop)
    last_size, last_change, hung, up = -1, time.time(), False, False
    while p.poll() is None:
        time.sleep(1)
        try:
            size = os.path.getsize(log)
        except OSError:
            size = 0
        if not up:  # BIOS and GRUB print nothing on serial: the stall clock starts at the kernel's ready line
            try:
                up = "gatehouse: ready" in open(log, errors="replace").read()
            except OSError:
                pass
            last_change = time.time()
            if time.time() - start < 600:
                continue
        if size != last_size:
            last_size, last_change = size, time.time()
        elif time.time() - last_change > stall:
            hung = True
            p.terminate()  # run-emu.sh kills its Bochs on TERM
            p.wait()
            break
    out = p.stdout.read() if p.stdout else ""
    text = open(log, errors="replace").read().replace("\r", "") if os.path.exists(log) else ""
    # A faulty serial driver can put stray bytes on the line before the kernel's next line.
    text = re.sub(r"^[^\n]*?(CAMPAIGN,|PANIC: )", r"\1", text, flags=re.M)
    secs = time.time() - start
    if "\nCAMPAIGN,end," in text:
        return "end", secs, text
    if "\nCAMPAIGN,crash," in text or "\nPANIC:" in text:
        return "crash", secs, text
    if hung:
        return "hang", secs, text
    if "TRIPLE" in out:
        return "triple", secs, text
    return "other", secs, text


def last_counts(text):
    """(next index, groups) of the last progress or counts line, or None."""
    found = None
    for m in re.finditer(r"^CAMPAIGN,(?:progress|counts),(\d+),(.*)$", text, re.M):
        found = (int(m.group(1)), m.group(2).split(","))
    return found

def summary(seed, n, cpu, boots, host_secs, tally, events, corrupt, nxt, disk, first=0, timer=0):
    lines = [f"campaign: seed {seed}, injections {first}..{nxt - 1} of {n}, Bochs cpu={cpu}, {boots} boots, "
             f"{host_secs:.0f} s host time, {tally.total('injected') / max(host_secs, 1e-9):.1f} injections/s",
             "campaign: " + " ".join(f"{h:>11}" for h in ["fault"] + COLS + ["crashes", "hangs"])]
    for f in FAULTS + ["unknown"]:
        c = tally.c[f]
        if f == "unknown" and not any(c.values()):
            continue
        lines.append("campaign: " + " ".join(f"{v:>11}" for v in [f[:11]] + [c[k] for k in COLS + ["crashes", "hangs"]]))
    lines.append("campaign: loop-if0 (cli; jmp $) goes only into ring-1 targets: in ring 0 it needs an NMI source to stop")
    lines.append("campaign: " + " ".join(f"{v:>11}" for v in ["total"] + [tally.total(k) for k in COLS + ["crashes", "hangs"]]))
    det, cont = tally.total("detected"), tally.total("contained")
    lines.append(f"campaign: detected faults contained: {cont} of {det} ({100.0 * cont / max(det, 1):.3f} %); "
                 f"kernel crashes {tally.total('crashes')}, hangs {tally.total('hangs')}, "
                 f"corruption of the checksummed set {tally.total('corruption')}")
    lines.append(f"campaign: the RAM disk written by the faulty ramdisk driver (its own device, restored from a copy): {disk} times")
    lines.append(f"campaign: the timer reprogrammed by the faulty pit driver (its own device's ports, programmed again): {timer} times")
    for e in events:
        lines.append("campaign: event: " + e)
    for c in corrupt:
        lines.append("campaign: event: " + c)
    text = "\n".join(lines) + "\n"
    return text


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: campaign.py N SEED")
    n, seed = int(sys.argv[1]), int(sys.argv[2], 0)
    cpu = os.environ.get("CPU", "pentium")
    chunk = int(os.environ.get("CHUNK", "100000"))
    check = int(os.environ.get("CHECK", "1024"))
    stall = int(os.environ.get("STALL", "60"))
    stall_trace = int(os.environ.get("STALL_TRACE", "15"))
    first = int(os.environ.get("FROM", "0"))
    outdir = os.path.join(HERE, "build/campaign")
    os.makedirs(outdir, exist_ok=True)
    out = os.environ.get("OUT", os.path.join(outdir, f"{seed}-{n}" + (f"-from{first}" if first else "") + ".txt"))
    snapshot_binaries(outdir, f"{seed}-{n}")
    tally, events, corrupt = Tally(), [], []
    disk = [0]  # the RAM disk damaged by the ramdisk driver (its own device) and restored
    timer = [0]  # the timer stopped by the pit driver (its own device's ports) and programmed again
    host_secs = 0.0
    nxt, end, boots = first, n, 0
    while nxt < end:
        count = min(chunk, end - nxt)
        log = os.path.join(outdir, f"{seed}-{nxt}.serial")
        cmd = f"campaign={count} seed={seed} campaign_from={nxt} campaign_check={check} console=serial{EXTRA}"
        kind, secs, text = boot(cmd, log, stall, cpu)
        host_secs += secs
        boots += 1
        corrupt += re.findall(r"^CAMPAIGN,corrupt,.*$", text, re.M)
        disk[0] += len(re.findall(r"^CAMPAIGN,disk-damaged,.*$", text, re.M))
        timer[0] += len(re.findall(r"^CAMPAIGN,timer-damaged,.*$", text, re.M))
        events += re.findall(r"^CAMPAIGN,uncontained,.*$", text, re.M)
        if kind == "end":
            nc = last_counts(text)
            tally.add_groups(nc[1])
            nxt += count
            print(f"campaign: injections {nxt - count}..{nxt - 1}: done in {secs:.0f} s", flush=True)
            with open(out, "w") as fh:  # partial results, in case the run is stopped
                fh.write(summary(seed, n, cpu, boots, host_secs, tally, events, corrupt, nxt, disk[0], first, timer[0]))
            continue
        if kind == "crash":
            m = re.search(r"^CAMPAIGN,crash,(\d+),([^,]+),([^,]+),(\d+)$", text, re.M)
            nc = last_counts(text)
            if m and nc:
                k = int(m.group(1))
                tally.add_groups(nc[1])  # the crashed injection is in "injected" already
                tally.c[m.group(3)]["crashes"] += 1
                panic = re.search(r"^PANIC: .*$", text, re.M)
                events.append(f"kernel crash at injection {k} ({m.group(2)}, {m.group(3)} variant {m.group(4)}): "
                              f"{panic.group(0) if panic else '?'}; replay: campaign=1 seed={seed} campaign_from={k} "
                              f"campaign_trace console=serial")
                print("campaign: " + events[-1], flush=True)
                nxt = k + 1
                continue
        # A hang, a triple fault or a crash before the campaign started: find the injection.
        before = nxt
        nc = last_counts(text)
        p = nxt
        if nc and nc[0] > nxt:
            p = nc[0]
            tally.add_groups(nc[1])
        window = min(end - p, 2048)
        tlog = os.path.join(outdir, f"{seed}-{p}-trace.serial")
        tcmd = f"campaign={window} seed={seed} campaign_from={p} campaign_check={check} campaign_trace console=serial{EXTRA}"
        tkind, tsecs, ttext = boot(tcmd, tlog, stall_trace, cpu)
        host_secs += tsecs
        boots += 1
        results = re.findall(r"^CAMPAIGN,result,(\d+),([^,]+),(.*)$", ttext, re.M)
        injects = re.findall(r"^CAMPAIGN,inject,(\d+),([^,]+),([^,]+),(\d+),", ttext, re.M)
        done = {int(i) for i, _, _ in results}
        for _, fault, cls in results:
            tally.add_result(fault, cls)
        corrupt += re.findall(r"^CAMPAIGN,corrupt,.*$", ttext, re.M)
        disk[0] += len(re.findall(r"^CAMPAIGN,disk-damaged,.*$", ttext, re.M))
        timer[0] += len(re.findall(r"^CAMPAIGN,timer-damaged,.*$", ttext, re.M))
        events += re.findall(r"^CAMPAIGN,uncontained,.*$", ttext, re.M)
        stuck = [x for x in injects if int(x[0]) not in done]
        what = {"hang": "hang", "triple": "triple fault", "crash": "kernel crash", "other": "run ended without a verdict",
                "end": "ran through"}
        if tkind != "end" and stuck:
            k, drv, fault, var = int(stuck[-1][0]), stuck[-1][1], stuck[-1][2], stuck[-1][3]
            tally.c[fault]["injected"] += 1
            tally.c[fault]["crashes" if tkind in ("crash", "triple") else "hangs"] += 1
            events.append(f"{what[kind]} at injection {k} ({drv}, {fault} variant {var}), reproduced with trace "
                          f"({what[tkind]}); replay: campaign=1 seed={seed} campaign_from={k} campaign_trace console=serial")
            nxt = k + 1
        else:
            # Not reproduced: the window ran through. Count the first run's event against no fault type.
            tally.c["unknown"]["hangs" if kind == "hang" else "crashes"] += 1
            events.append(f"{what[kind]} after injection {p} (boot from {nxt}), not reproduced by the trace run of "
                          f"{window} injections from {p} ({what[tkind]})")
            nxt = p + len(results) if tkind != "end" else p + window
            if nxt == before:  # nothing learnt and nothing done: skip the index rather than loop
                events[-1] += f"; index {nxt} skipped"
                nxt += 1
        print("campaign: " + events[-1], flush=True)
        with open(out, "w") as fh:  # partial results, in case the run is stopped
            fh.write(summary(seed, n, cpu, boots, host_secs, tally, events, corrupt, nxt, disk[0], first, timer[0]))

    text = summary(seed, n, cpu, boots, host_secs, tally, events, corrupt, nxt, disk[0], first, timer[0])
    print(text, end="")
    with open(out, "w") as fh:
        fh.write(text)
    bad = tally.total("uncontained") + tally.total("crashes") + tally.total("hangs") + tally.total("corruption")
    sys.exit(0 if bad == 0 else 1)


if __name__ == "__main__":
    main()
