#!/usr/bin/env python3
"""docs-commands.py: every command in the ```sh blocks of README.md, docs/running.md and
docs/cmdline.md is run as a user would run it, at a terminal (script(1)), and must still work.
A `make run` that reaches the shell gets `poweroff` typed; one stopped at Bochs' debugger gets
`c`. A command whose comment promises a non-zero exit must exit non-zero; any other must exit 0
with the runner's PASS. Commands that cannot run unattended are listed as skipped with the
reason. Ends with "N passed, M failed"."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pty_run import ROOT, at_terminal  # noqa: E402

DOCS = ["README.md", "docs/running.md", "docs/cmdline.md"]
SKIP = {  # command word -> why it cannot run unattended here
    "make test": "this is make test itself",
    "make bench": "minutes of Bochs runs; its boot cases (bench) are in the boot tests",
    "make bench-trace": "a Bochs trace run, kept out of make test; its marker lines are a boot test (qemu-bench-trace-lines), its symbolizer has host tests (test/boot/bench-trace-test.sh)",
    "make campaign": "a long Bochs campaign; its 3,000-injection slice (bochs-campaign-slice) is in the boot tests",
    "make fuzz": "a long fuzzing run; its slices (qemu-fuzz-*, bochs-fuzz-gate) are in the boot tests",
    "make bochs": "interactive Bochs: debugger on the terminal, screen on VNC",
    "make debug": "waits for gdb on :1234",
}


def commands(path):
    text = open(os.path.join(ROOT, path)).read()
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            cmd, _, comment = line.partition("#")
            cmd = cmd.strip()
            if cmd:
                yield cmd, comment.strip()


def main():
    passed = failed = 0
    seen = set()
    for doc in DOCS:
        for cmd, comment in commands(doc):
            if cmd in seen:
                continue
            seen.add(cmd)
            skip = next((why for word, why in SKIP.items() if cmd == word or cmd.startswith(word + " ")), None)
            if skip:
                print(f"skip {doc}: {cmd} ({skip})")
                continue
            wants_failure = "non-zero" in comment
            # The shell waits for typing; Bochs' debugger (break) waits for `c`.
            waits = [] if "autorun=" in cmd or "selftest" in cmd or "crash=" in cmd else ["gatehouse shell: type help"]
            types = [] if not waits else ["poweroff\r"]
            if "break" in cmd and "EMU=bochs" in cmd:
                waits, types = ["<bochs:"] + waits, ["c\r"] + types
            rc, out = at_terminal(f"cd {ROOT} && {cmd}", waits or None, types or None, timeout=400)
            verdicts = re.findall(r"run-emu: .*?: ([A-Z]+) \(ready", out)
            if wants_failure:
                ok = rc != 0 and verdicts and verdicts[-1] != "PASS"
            else:
                ok = rc == 0 and (not cmd.startswith("make run") or (verdicts and verdicts[-1] == "PASS"))
            if ok:
                passed += 1
                print(f"ok {doc}: {cmd} (exit {rc}{', ' + verdicts[-1] if verdicts else ''})")
            else:
                failed += 1
                print(f"FAIL {doc}: {cmd}: exit {rc}, verdict {verdicts[-1] if verdicts else 'none'}")
                print("  | " + "\n  | ".join(out.splitlines()[-15:]))
    print(f"{passed} passed, {failed} failed")
    return failed == 0


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
