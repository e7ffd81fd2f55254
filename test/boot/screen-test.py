#!/usr/bin/env python3
"""screen-test.py: the VGA console and the PS/2 keyboard, end to end, in QEMU.

Boots the shell with tools/run-emu.sh plus a QEMU monitor on a unix socket; types with the
monitor's `sendkey` (scancodes through the emulated 8042, IRQ 1, the kbd driver and the kernel's
translation), and reads the screen back with `pmemsave 0xb8000` (the 80x25 text buffer). Checks:
Shift and Caps Lock, backspace erasing, long lines wrapping, Ctrl-U, history, Ctrl-C stopping a
running program, Shift+PgUp/PgDn scrollback, `run ... &` leaving the prompt usable, the boot lines
in view. Ends with "N passed, M failed".
"""
import os
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok " if ok else "FAIL ") + name + ("" if ok else ": " + detail))


class Monitor:
    def __init__(self, path):
        for _ in range(200):
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("no QEMU monitor at " + path)
        self.read_prompt()

    def read_prompt(self):
        buf = b""
        self.s.settimeout(10)
        while not buf.endswith(b"(qemu) "):
            chunk = self.s.recv(4096)
            if not chunk:
                break
            buf += chunk
        return buf

    def cmd(self, text):
        self.s.sendall(text.encode() + b"\n")
        return self.read_prompt()


KEYS = {" ": "spc", "-": "minus", "&": "shift-7", ".": "dot", "/": "slash", "!": "shift-1", "_": "shift-minus"}


def keys_for(text):
    out = []
    for ch in text:
        if ch in KEYS:
            out.append(KEYS[ch])
        elif ch.isupper():
            out.append("shift-" + ch.lower())
        else:
            out.append(ch)
    return out


class Machine:
    def __init__(self, work):
        self.work = work
        self.sock = os.path.join(work, "mon.sock")
        self.log = os.path.join(ROOT, "build/runs/test-screen.serial")
        env = dict(os.environ, QUIET="1", TIMEOUT="120", LOG=self.log, CMDLINE="",
                   QEMU_EXTRA=f"-monitor unix:{self.sock},server,nowait")
        env.pop("EMU", None)
        self.runner = subprocess.Popen([os.path.join(ROOT, "tools/run-emu.sh")], env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.mon = Monitor(self.sock)

    def serial(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode("latin-1").replace("\r", "")
        except OSError:
            return ""

    def wait_serial(self, text, timeout=30, after=0):
        end = time.time() + timeout
        while time.time() < end:
            if self.serial().find(text, after) >= 0:
                return True
            time.sleep(0.05)
        return False

    def key(self, name):
        self.mon.cmd("sendkey " + name)
        time.sleep(0.03)

    def type(self, text, enter=False):
        for k in keys_for(text):
            self.key(k)
        if enter:
            self.key("ret")

    def prompt_count(self):
        return self.serial().count("\n> ")

    def run_line(self, text, expect=None, timeout=20):
        before = len(self.serial())
        self.type(text, enter=True)
        if expect:
            return self.wait_serial(expect, timeout, before)
        return True

    def screen(self):
        time.sleep(0.3)  # sendkey returns before the guest has taken the last key
        path = os.path.join(self.work, "vga.bin")
        if os.path.exists(path):
            os.remove(path)
        self.mon.cmd(f'pmemsave 0xb8000 4000 "{path}"')
        for _ in range(100):
            if os.path.exists(path) and os.path.getsize(path) == 4000:
                break
            time.sleep(0.02)
        data = open(path, "rb").read()
        rows = []
        for r in range(25):
            cells = data[r * 160:(r + 1) * 160]
            rows.append("".join(chr(cells[i]) for i in range(0, 160, 2)))
        return rows

    def finish(self):
        try:
            self.run_line("poweroff")
        except OSError:
            pass
        try:
            out, _ = self.runner.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.runner.kill()
            out, _ = self.runner.communicate()
        return out


def shown(rows):
    return "\n".join(r.rstrip() for r in rows)


def main():
    with tempfile.TemporaryDirectory() as work:
        m = Machine(work)
        try:
            if not m.wait_serial("gatehouse shell: type help", 60):
                check("the shell starts", False, m.serial()[-2000:])
                return
            time.sleep(0.3)
            rows = m.screen()
            text = shown(rows)
            check("boot: CPU, limits, mechanism lines stay on the 80x25 screen",
                  "cpu: tsc=" in text and "limits: not enforced" in text and "syscall: user programs enter" in text
                  and "gdt: " in text and "gatehouse shell: type help" in text, text)

            # Shift, Caps Lock and symbols: an unknown command echoes what was typed.
            m.type("Ab")
            m.key("caps_lock")
            m.type("cd")
            m.key("shift-e")
            m.key("caps_lock")
            m.type("!_&")
            ok = m.run_line("", "unknown command: AbCDe!_&")
            text = shown(m.screen())
            check("keyboard: Shift, Caps Lock (Shift inverts it) and shifted symbols", ok and "unknown command: AbCDe!_&" in text,
                  m.serial()[-300:])

            # Backspace erases (no glyph 0x08 drawn) and the edited line is what runs.
            m.type("helx")
            m.key("backspace")
            rows = m.screen()
            check("vga: backspace erases the cell", any(r.rstrip().endswith("> hel") for r in rows) and
                  not any("\x08" in r for r in rows), shown(rows))
            m.type("p")
            ok = m.run_line("", "keys: arrows")
            m.run_line("programs", "programs:")
            m.run_line("help", "run faulter <kind>")
            rows = m.screen()
            check("shell: the edited line runs (help)", ok and any(r.rstrip() == "> help" for r in rows) is not None, "")

            # Shift+PgUp shows what scrolled off (help is longer than a screen), Shift+PgDn returns.
            live = m.screen()
            m.key("shift-pgup")  # 12 lines: what was on rows 0..12 is now on rows 12..24
            back = m.screen()
            m.key("shift-pgup")
            m.key("shift-pgdn")
            m.key("shift-pgdn")
            again = m.screen()
            check("vga: Shift+PgUp scrolls back 12 lines, Shift+PgDn returns",
                  back != live and back[12:25] == live[0:13] and again == live, shown(back) + "\n---\n" + shown(live))

            # A line past 80 columns wraps onto the next row instead of being lost.
            long = "x" * 90
            m.run_line(long, "unknown command: " + long)
            rows = m.screen()
            wrapped = any(r == "unknown command: " + "x" * 63 and rows[i + 1].startswith("x" * 27 + " (try help)")
                          for i, r in enumerate(rows[:-1]))
            check("vga: a line past 80 columns wraps", wrapped, shown(rows))

            # History: Up recalls the last line; Ctrl-U clears it.
            m.key("up")
            rows = m.screen()
            check("shell: Up recalls the previous line", any(r.rstrip() == "> " + long[:78] for r in rows), shown(rows))
            m.key("ctrl-u")
            rows = m.screen()
            last = [r.rstrip() for r in rows if r.startswith(">")][-1]
            check("shell: Ctrl-U clears the line", last == ">", shown(rows))

            # Ctrl-C stops a running program; the prompt comes back.
            m.run_line("run spinner 100000", "> run spinner 100000", 5)
            time.sleep(0.5)
            before = len(m.serial())
            m.key("ctrl-c")
            ok = m.wait_serial("run: spinner was killed", 10, before)
            check("shell: Ctrl-C stops the running program", ok and "^C: stopping spinner" in m.serial(), m.serial()[-500:])

            # A server in the background leaves the prompt usable; kill stops it.
            ok = m.run_line("run echosrv &", "running in the background")
            ok = ok and m.run_line("run hello", "run: hello exited 42")
            ok = ok and m.run_line("jobs", "echosrv")
            pid = None
            for line in m.serial().splitlines():
                if line.endswith(" echosrv running in the background"):
                    pid = line.split("]")[0].lstrip("[")
            ok = ok and pid is not None and m.run_line("kill " + pid, "kill: pid %s stopped" % pid)
            check("shell: run echosrv & does not hang the shell; kill stops it", ok, m.serial()[-600:])

            # The benchmark table on 80x25: whole rows, and its CSV only in the serial log.
            ok = m.run_line("bench", "BENCH,disk_read_ipc,", 120)
            rows = m.screen()
            table = [r for r in rows if r.startswith("bench: ")]
            import re
            figures = [r for r in table if re.match(r"^bench: .{47}\s*\d+\s+\d+\s+\d+\s*$", r)]
            check("bench: the table fits 80 columns and no CSV line is on the screen",
                  ok and len(figures) >= 5 and not any(r.startswith("BENCH,") for r in rows)
                  and not any(re.match(r"^\s*\d+\s*$", r) for r in rows) and "BENCH,ipc_null," in m.serial(),
                  shown(rows))
        finally:
            out = m.finish()
        check("the run ends with poweroff ok", "PASS" in out.splitlines()[-1] if out else False, out)


if __name__ == "__main__":
    main()
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)
