#!/usr/bin/env python3
"""runner-test.py: tools/run-emu.sh as a user meets it, at a terminal (a pseudo-terminal made by
script(1)) and not. Each check runs the runner and looks at what it printed and returned.
Ends with "N passed, M failed"."""
import os
import re
import select
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import at_terminal  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RUNNER = os.path.join(ROOT, "tools/run-emu.sh")
results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    print(("ok " if ok else "FAIL ") + name + ("" if ok else ": " + detail[-1500:]))


def run(env, timeout=120):
    e = dict(os.environ, QUIET="1")
    e.update(env)
    p = subprocess.run([RUNNER], env=e, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def last_log(out):
    m = re.search(r"serial log (\S+)\)", out)
    if not m:
        return ""
    with open(os.path.join(ROOT, m.group(1)), "rb") as f:
        return f.read().decode("latin-1").replace("\r", "")


def main():
    # The README's command at a terminal: commas once split QEMU's -chardev logfile= option.
    rc, out = at_terminal('CMDLINE="dump=gdt,drivers,memmap autorun=poweroff" TIMEOUT=30 tools/run-emu.sh')
    check("a CMDLINE with commas boots at a terminal", rc == 0 and "PASS" in out and "Invalid parameter" not in out, out)

    rc, out = run({"CMDLINE": "dump=gdt,memmap autorun=poweroff", "TIMEOUT": "30"})
    check("a CMDLINE with commas boots headless", rc == 0 and "memmap: " in last_log(out), out)

    for mem in ("0", "2"):
        rc, out = run({"MEM": mem})
        check(f"MEM={mem} is refused at once", rc == 64 and "too small" in out, out)

    rc, out = run({"CMDLINE": 'autorun="run hello"'})
    check("a double quote is refused with the reason", rc == 64 and "double quote" in out, out)

    rc, out = run({"CMDLINE": "autorun=run $HOME;poweroff", "TIMEOUT": "30"})
    check("$ reaches the kernel as typed", rc == 0 and "> run $HOME" in last_log(out), out)

    rc, out = run({"CMDLINE": "autorun=poweroff", "QEMU_EXTRA": "-vga none", "TIMEOUT": "30"})
    check("-vga none is noted", rc == 0 and "no VGA card" in out, out)
    rc, out = run({"CMDLINE": "autorun=poweroff", "QEMU_EXTRA": "-smp 2", "TIMEOUT": "30"})
    check("extra CPUs are noted", rc == 0 and "first CPU only" in out, out)

    # make bench writes under build/bench/ and leaves the tracked results alone.
    before = subprocess.run(["git", "status", "--porcelain", "bench", "docs"], cwd=ROOT, capture_output=True, text=True).stdout
    p = subprocess.run([os.path.join(ROOT, "tools/bench.sh")], cwd=ROOT, env=dict(os.environ, PROBE="0"),
                       capture_output=True, text=True, timeout=900)
    after = subprocess.run(["git", "status", "--porcelain", "bench", "docs"], cwd=ROOT, capture_output=True, text=True).stdout
    check("make bench leaves bench/ and docs/ untouched", p.returncode == 0 and before == after and
          os.path.exists(os.path.join(ROOT, "build/bench/benchmarks.md")), p.stdout + p.stderr + after)

    rc, out = run({"CMDLINE": "crash=panic", "TIMEOUT": "30"})
    check("the runner exits 1 on FAIL", rc == 1, out)

    # QEMU at a terminal: what is typed reaches the shell.
    rc, out = at_terminal("TIMEOUT=60 tools/run-emu.sh", "gatehouse shell: type help", "run hello\rpoweroff\r")
    check("QEMU at a terminal takes typed input", rc == 0 and "run: hello exited 42" in out, out)

    # Bochs at a terminal: serial on a pseudo-terminal joined to this one.
    rc, out = at_terminal("EMU=bochs TIMEOUT=200 tools/run-emu.sh", ["gatehouse shell: type help", "hello exited 42"],
                          ["run hello\r", "poweroff\r"], timeout=260)
    check("Bochs at a terminal takes typed input", rc == 0 and "run: hello exited 42" in out and
          "serial line is this terminal" in out, out)

    # CMDLINE=break at a terminal: Bochs' debugger prompt, where `c` goes on.
    rc, out = at_terminal('EMU=bochs CMDLINE="break autorun=poweroff" TIMEOUT=200 tools/run-emu.sh', "<bochs:", "c\r",
                          timeout=260)
    check("CMDLINE=break gives the Bochs debugger prompt", rc == 0 and "<bochs:" in out and "magic breakpoint" in out.lower(),
          out)


if __name__ == "__main__":
    main()
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)
