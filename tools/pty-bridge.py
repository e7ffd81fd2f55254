#!/usr/bin/env python3
"""pty-bridge.py LOG PATHFILE [DEBUGGER_IN DEBUGGER_OUT]: a pseudo-terminal for an emulator's
serial port (Bochs `com1: mode=term, dev=<slave>`), joined to this terminal: what the guest sends
is shown and appended to LOG, what is typed goes to the guest. The slave's path is written to
PATHFILE once it exists. Ctrl-] ends the bridge (the emulator is the runner's to stop).

With DEBUGGER_IN and DEBUGGER_OUT (FIFOs that are Bochs' stdin and stdout) the terminal is shared
with Bochs' debugger: its output is shown, and while its prompt (`<bochs:N> `) is the last thing it
printed, typed lines go to it (echoed here, as the raw terminal does not), else to the guest.
Used by tools/run-emu.sh for interactive Bochs runs."""
import os
import re
import select
import sys
import termios
import tty

PROMPT = re.compile(rb"<bochs:\d+> $")


def main() -> int:
    log_path, path_file = sys.argv[1], sys.argv[2]
    dbg_in = dbg_out = None
    if len(sys.argv) == 5:
        dbg_out = os.open(sys.argv[4], os.O_RDONLY | os.O_NONBLOCK)
        dbg_in = os.open(sys.argv[3], os.O_RDWR)
    master, slave = os.openpty()
    tty.setraw(slave)  # raw on the guest's side too: no echo or line editing between the ends
    with open(path_file + ".tmp", "w") as f:
        f.write(os.ttyname(slave))
    os.rename(path_file + ".tmp", path_file)
    tin, tout = sys.stdin.fileno(), sys.stdout.fileno()
    saved = termios.tcgetattr(tin) if os.isatty(tin) else None
    if saved:
        tty.setraw(tin)
    log = open(log_path, "ab", buffering=0)
    at_prompt = False
    tail = b""
    try:
        while True:
            fds = [master, tin] + ([dbg_out] if dbg_out is not None else [])
            ready, _, _ = select.select(fds, [], [])
            if master in ready:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    break
                if not data:
                    break
                log.write(data)
                os.write(tout, data)
            if dbg_out is not None and dbg_out in ready:
                try:
                    data = os.read(dbg_out, 4096)
                except BlockingIOError:
                    data = None
                if data:
                    os.write(tout, data.replace(b"\n", b"\r\n"))
                    tail = (tail + data)[-64:]
                    at_prompt = bool(PROMPT.search(tail))
                elif data == b"":
                    os.close(dbg_out)
                    dbg_out = None
                    at_prompt = False
            if tin in ready:
                data = os.read(tin, 1024)
                if not data or b"\x1d" in data:
                    break
                if at_prompt and dbg_in is not None:
                    os.write(tout, data.replace(b"\r", b"\r\n"))
                    os.write(dbg_in, data.replace(b"\r", b"\n"))
                    if b"\r" in data or b"\n" in data:
                        at_prompt = False
                        tail = b""
                else:
                    os.write(master, data)
    finally:
        if saved:
            termios.tcsetattr(tin, termios.TCSADRAIN, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
