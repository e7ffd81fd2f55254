"""Run a command at a terminal (a pseudo-terminal from script(1)) and type into it as a person
would: each string once the line before it has been printed. For the runner and docs checks."""
import os
import select
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def printed(out, pattern, typed, typed_at):
    """`pattern` is in `out`, also where the terminal's echo of what was typed last landed inside
    it (a CI run: the `c` typed at Bochs' debugger came back between the `g` and the `atehouse` of
    the shell's first line, and the wait for it ran out)."""
    if pattern in out:
        return True
    echo = typed.rstrip(b"\r")
    if not echo:
        return False
    tail, i = out[typed_at:], out[typed_at:].find(echo)
    while i >= 0:
        rest = tail[i + len(echo):]
        rest = rest[2:] if rest.startswith(b"\r\n") else rest[1:] if rest[:1] in (b"\r", b"\n") else rest
        if pattern in tail[:i] + rest:
            return True
        i = tail.find(echo, i + 1)
    return False


def at_terminal(command, wait_for=None, then_type=None, timeout=240):
    """Run `command` under script(1), so the runner sees a terminal; type then_type once wait_for
    was printed (lists of both: step by step, as a person would)."""
    steps = list(zip(wait_for, then_type)) if isinstance(wait_for, list) else ([(wait_for, then_type)] if wait_for else [])
    p = subprocess.Popen(["script", "-qec", command, "/dev/null"], cwd=ROOT, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b""
    typed, typed_at = b"", 0
    end = time.time() + timeout
    while time.time() < end:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                break
            out += chunk
        if steps and printed(out, steps[0][0].encode(), typed, typed_at):
            time.sleep(0.5)
            typed, typed_at = steps[0][1].encode(), len(out)
            p.stdin.write(typed)
            p.stdin.flush()
            steps.pop(0)
        if p.poll() is not None and not r:
            break
    if p.poll() is None:
        p.kill()
    p.wait()
    return p.returncode, out.decode("latin-1").replace("\r", "")


