#!/usr/bin/python3
"""Pseudo-terminal tests for reaper: Ctrl-C, Ctrl-Z then fg, a start in the background, colours.

usage: ptytest.py ctrlc|ctrlz|background pid1|sub REAPER
       ptytest.py prefix color|nocolor REAPER

Exit 0 on success; on failure, print one line with the reason and exit 1.
Every wait reads the terminal until a marker appears or a deadline passes.
"""
import os
import pty
import re
import select
import signal
import sys
import tempfile
import time

DEADLINE = 10.0
PROMPT = b"RNS-PROMPT> "


class Fail(Exception):
    pass


def stat(pid):
    """Fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, tty, tpgid, ...]."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as f:
            data = f.read()
    except OSError:
        return None
    return data[data.rindex(b")") + 2:].decode().split()


def comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return None


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def descendants(pid):
    out, queue = [], [pid]
    while queue:
        for c in children(queue.pop(0)):
            out.append(c)
            queue.append(c)
    return out


def wait_until(what, cond, deadline=DEADLINE):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.05)
    raise Fail("timed out waiting for " + what)


class Term:
    """A program on the slave side of a new pty, as the session leader."""

    def __init__(self, argv, env):
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd, self.buf, self.pos = pid, fd, b"", 0

    def send(self, data):
        os.write(self.fd, data)

    def read_some(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 4096)
        except OSError:
            data = b""
        if not data:
            raise Fail("terminal closed; output so far: %r" % self.buf[-300:])
        self.buf += data
        return True

    def expect(self, pattern, deadline=DEADLINE):
        """Read until the regex matches after the last match; return the match."""
        rx = re.compile(pattern)
        end = time.monotonic() + deadline
        while True:
            m = rx.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = end - time.monotonic()
            if left <= 0:
                raise Fail("no %r on the terminal; got: %r" % (pattern, self.buf[self.pos:][-400:]))
            self.read_some(left)

    def wait_exit(self, deadline=DEADLINE):
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
            try:
                self.read_some(0.05)
            except Fail:
                time.sleep(0.05)
        raise Fail("the program on the terminal did not exit; output: %r" % self.buf[-300:])

    def kill_session(self):
        """Kill everything left in the pty's session (the tests end this way whatever happened)."""
        for _ in range(20):
            left = []
            for d in os.listdir("/proc"):
                if d.isdigit():
                    st = stat(int(d))
                    if st and int(st[3]) == self.pid and int(d) != os.getpid():
                        left.append(int(d))
            if self.pid not in left and stat(self.pid) and stat(self.pid)[0] != "Z":
                left.append(self.pid)
            if not left:
                break
            for p in left:
                try:
                    os.kill(p, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.05)
        try:
            os.waitpid(self.pid, os.WNOHANG)
        except OSError:
            pass


def shell_env():
    env = {
        "PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        "HOME": os.getcwd(),
        "TERM": "dumb",
        "PS1": PROMPT.decode(),
    }
    if "RNS_TAG" in os.environ:
        env["RNS_TAG"] = os.environ["RNS_TAG"]
    return env


def bash():
    t = Term(["/bin/bash", "--norc", "--noprofile", "--noediting", "-i"], shell_env())
    t.expect(re.escape(PROMPT))
    return t


def find_sleep(top):
    """The sleep started under reaper: (its pid, its parent's pid)."""
    for p in descendants(top):
        if comm(p) == "sleep":
            st = stat(p)
            if st:
                return p, int(st[1])
    return None


def child_has_terminal(top):
    """The sleep is in its own process group, and that group holds the terminal's foreground."""
    f = find_sleep(top)
    if not f:
        return None
    st, pst = stat(f[0]), stat(f[1])
    if not st or not pst or st[0] == "T":
        return None
    if st[5] == st[2] and st[2] != pst[2]:
        return f
    return None


def ctrlc(mode, reaper):
    if mode == "sub":
        t = bash()
        try:
            t.send(reaper.encode() + b" -- sleep 1000\n")
            wait_until("the child to get the terminal's foreground", lambda: child_has_terminal(t.pid))
            t.send(b"\x03")
            t.expect(re.escape(PROMPT))
            t.send(b"echo rc=$?\n")
            m = t.expect(rb"rc=(\d+)\r?\n")
            if m.group(1) != b"130":
                raise Fail("Ctrl-C: exit status %s, want 130" % m.group(1).decode())
        finally:
            t.kill_session()
        return
    # As in a container started with a terminal: reaper is PID 1 and leads its own session.
    argv = ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
            "/usr/bin/setsid", "-c", reaper, "--", "sleep", "1000"]
    t = Term(argv, shell_env())
    try:
        wait_until("the child to get the terminal's foreground", lambda: child_has_terminal(t.pid))
        t.send(b"\x03")
        status = t.wait_exit()
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 130:
            raise Fail("Ctrl-C: wait status %#x, want exit 130" % status)
    finally:
        t.kill_session()


def ctrlz(mode, reaper):
    t = bash()
    try:
        t.send(reaper.encode() + b" -- sleep 1000\n")
        sl, rp = wait_until("the child to get the terminal's foreground", lambda: child_has_terminal(t.pid))
        t.send(b"\x1a")
        t.expect(rb"Stopped")
        t.expect(re.escape(PROMPT))
        wait_until("reaper to be stopped", lambda: (stat(rp) or ["?"])[0] == "T")
        if (stat(sl) or ["?"])[0] != "T":
            raise Fail("the child is not stopped after Ctrl-Z")
        t.send(b"fg\n")
        wait_until("the child to get the terminal back after fg", lambda: child_has_terminal(t.pid))
        if (stat(rp) or ["?"])[0] == "T":
            raise Fail("reaper still stopped after fg")
        t.send(b"\x03")
        t.expect(re.escape(PROMPT))
        t.send(b"echo rc=$?\n")
        m = t.expect(rb"rc=(\d+)\r?\n")
        if m.group(1) != b"130":
            raise Fail("Ctrl-C after fg: exit status %s, want 130" % m.group(1).decode())
    finally:
        t.kill_session()


def background(mode, reaper):
    t = bash()
    try:
        t.send(reaper.encode() + b" -- sleep 1000 &\n")
        t.expect(re.escape(PROMPT))
        wait_until("the background child to start", lambda: find_sleep(t.pid))
        t.send(b"echo hi-$((2+3))\n")
        t.expect(rb"hi-5\r?\n")
        t.expect(re.escape(PROMPT))
        st = stat(t.pid)
        if int(st[5]) != t.pid:
            raise Fail("the terminal's foreground moved to group %s, not the shell's" % st[5])
        t.send(b"jobs\n")
        m = t.expect(rb"(?s)jobs\r?\n(.*?)" + re.escape(PROMPT))
        jobs = m.group(1)
        if b"Running" not in jobs or b"Stopped" in jobs:
            raise Fail("background job not running: %r" % jobs)
        t.send(b"read x; echo got-$x\n")
        t.send(b"typed\n")
        t.expect(rb"got-typed\r?\n")
        t.expect(re.escape(PROMPT))
        # Brought to the foreground, Ctrl-C reaches the program. (bash sends no SIGCONT
        # to a running job on fg, so the terminal may stay with reaper's group, which
        # then forwards the SIGINT.)
        sl, rp = find_sleep(t.pid)
        t.send(b"fg\n")
        wait_until("the job to get the terminal after fg",
                   lambda: (stat(t.pid) or [0] * 6)[5] in ((stat(rp) or ["?"] * 6)[2], (stat(sl) or ["?"] * 6)[2]))
        t.send(b"\x03")
        t.expect(re.escape(PROMPT))
        t.send(b"echo rc=$?\n")
        m = t.expect(rb"rc=(\d+)\r?\n")
        if m.group(1) != b"130":
            raise Fail("Ctrl-C after fg: exit status %s, want 130" % m.group(1).decode())
    finally:
        t.kill_session()


def prefix(mode, reaper):
    """stdout=prefix and stderr=prefix with the terminal as reaper's fds 1 and 2 (PID 1 of a
    container run with -t): each name in its entry's colour, or plain with NO_COLOR=1."""
    with tempfile.TemporaryDirectory() as d:
        conf = os.path.join(d, "conf")
        with open(conf, "w") as f:
            f.write("set control=%s/sock\n"
                    "service db stdout=prefix sh -c 'echo hello; exec sleep 7301'\n"
                    "service web-frontend stderr=prefix sh -c 'echo oops >&2; exec sleep 7302'\n" % d)
        env = shell_env()
        if mode == "nocolor":
            env["NO_COLOR"] = "1"
        argv = ["/usr/bin/unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
                reaper, "-f", conf]
        t = Term(argv, env)
        try:
            if mode == "color":
                t.expect(rb"\x1b\[36mdb {10}\x1b\[0m \| hello\r?\n")
                t.pos = 0
                t.expect(rb"\x1b\[33mweb-frontend\x1b\[0m \| oops\r?\n")
            else:
                t.expect(rb"(?m)^db {11}\| hello\r?\n")
                t.pos = 0
                t.expect(rb"(?m)^web-frontend \| oops\r?\n")
                if b"\x1b" in t.buf:
                    raise Fail("escape bytes with NO_COLOR=1: %r" % t.buf[-300:])
        finally:
            t.kill_session()


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "prefix" and sys.argv[2] in ("color", "nocolor"):
        try:
            prefix(sys.argv[2], sys.argv[3])
        except Fail as e:
            print(str(e))
            return 1
        return 0
    if len(sys.argv) != 4 or sys.argv[1] not in ("ctrlc", "ctrlz", "background"):
        print(__doc__.strip().splitlines()[2])
        return 2
    try:
        globals()[sys.argv[1]](sys.argv[2], sys.argv[3])
    except Fail as e:
        print(str(e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
