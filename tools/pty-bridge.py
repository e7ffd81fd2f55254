#!/usr/bin/env python3
"""pty-bridge.py LOG PATHFILE: a pseudo-terminal for an emulator's serial port (Bochs `com1:
mode=term, dev=<slave>`), joined to this terminal: what the guest sends is shown and appended to
LOG, what is typed goes to the guest. The slave's path is written to PATHFILE once it exists.
Ctrl-] ends the bridge (the emulator is the runner's to stop). Used by tools/run-emu.sh for
interactive Bochs runs, whose serial line cannot be a terminal and a log at once otherwise."""
import os
import select
import sys
import termios
import tty


def main() -> int:
    log_path, path_file = sys.argv[1], sys.argv[2]
    master, slave = os.openpty()
    # Raw on the guest's side too: no echo or line editing between the two ends.
    tty.setraw(slave)
    with open(path_file + ".tmp", "w") as f:
        f.write(os.ttyname(slave))
    os.rename(path_file + ".tmp", path_file)
    tin = sys.stdin.fileno()
    saved = termios.tcgetattr(tin) if os.isatty(tin) else None
    if saved:
        tty.setraw(tin)
    log = open(log_path, "ab", buffering=0)
    try:
        while True:
            ready, _, _ = select.select([master, tin], [], [])
            if master in ready:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    break
                if not data:
                    break
                log.write(data)
                os.write(sys.stdout.fileno(), data)
            if tin in ready:
                data = os.read(tin, 1024)
                if not data or b"\x1d" in data:
                    break
                os.write(master, data)
    finally:
        if saved:
            termios.tcsetattr(tin, termios.TCSADRAIN, saved)
    return 0


if __name__ == "__main__":
    sys.exit(main())
