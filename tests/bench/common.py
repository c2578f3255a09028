"""The benchmark's shared parts: the inits, running one, statistics, tables.

Every wait here is bounded; a run that cannot start raises Failed, and the
measure reports it instead of a figure.
"""
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

B = os.environ.get("BUILD", "build")
REAPER = os.path.realpath(os.path.join(B, "reaper"))
TOOLS = os.path.realpath(os.path.join(B, "bench"))
NS = ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child"]
PID1, SUB = "PID 1", "not PID 1"
MODES = (PID1, SUB)

# name, argv before COMMAND as PID 1, argv before COMMAND when not PID 1
# (None: not a subreaper there, so it cannot reap orphans). dumb-init has no
# subreaper option and never calls prctl; catatonit and reaper become one
# by themselves, tini with -s.
INITS = [
    ("reaper", [REAPER, "--"], [REAPER, "--"]),
    ("tini", ["tini", "--"], ["tini", "-s", "--"]),
    ("tini-static", ["tini-static", "--"], ["tini-static", "-s", "--"]),
    ("dumb-init", ["dumb-init", "--"], None),
    ("catatonit", ["catatonit", "--"], ["catatonit", "--"]),
    ("minreap", [os.path.join(TOOLS, "minreap")], [os.path.join(TOOLS, "minreap")]),
]
NAMES = [i[0] for i in INITS]
ANCHORS = ["tini", "tini-static", "dumb-init", "catatonit"]
BASE = "minreap"
NOINIT = "no init"


class Failed(Exception):
    pass


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def prefix(name, mode, plain=False):
    """argv before COMMAND for init name in mode, or None where it does not apply.
    plain: dumb-init runs not as PID 1 too, where being a subreaper does not matter."""
    for n, pid1, sub in INITS:
        if n == name:
            if mode == PID1:
                return NS + pid1
            return sub if sub is not None else (pid1 if plain else None)
    raise KeyError(name)


def children(pid):
    """The pids whose parent is pid (the kernel's list; no /proc walk)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def poll(cond, limit=10.0, step=0.005):
    """cond() until it gives something true, for at most limit seconds."""
    end = time.monotonic() + limit
    while True:
        v = cond()
        if v or time.monotonic() > end:
            return v
        time.sleep(step)


def status(pid):
    """/proc/PID/status as a dict of its first words."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.split()[0] if v.split() else ""
    return out


class Run:
    """One init with its command, as PID 1 of a new PID namespace or not.
    init is the init's pid as this host sees it; for "no init", the command's."""

    def __init__(self, argv, mode, ready=None, noinit=False):
        self.mode = mode
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)
        self.init = self.p.pid
        self.noinit = noinit
        if mode == PID1:
            kids = poll(lambda: self.p.poll() is None and children(self.p.pid))
            if not kids:
                self.stop()
                raise Failed(f"{argv[len(NS)]}: no PID 1 under unshare")
            self.init = kids[0]
        if ready and not poll(lambda: os.path.exists(ready) or self.p.poll() is not None) \
                or self.p.poll() is not None:
            self.stop()
            raise Failed(f"{argv[0] if mode == SUB else argv[len(NS)]}: the child never got ready")

    def child(self):
        """The main child's pid (for "no init", the command itself)."""
        if self.noinit:
            return self.init
        kids = children(self.init)
        return kids[0] if kids else None

    def stop(self):
        """Kill it all: the init first (so it restarts nothing), then everything
        that was below it (not PID 1, it would be left behind)."""
        if self.p.poll() is None:
            below = descendants(self.init) if self.mode == SUB else []
            for pid in [self.init, self.p.pid] + below:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise Failed(f"pid {self.p.pid} did not end")


def descendants(pid):
    """Every process below pid, from the kernel's lists of children."""
    out, todo = [], children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children(p)
    return out


def exe(name):
    """The file an init name runs."""
    if name == "reaper":
        return REAPER
    if name == BASE:
        return os.path.join(TOOLS, "minreap")
    return os.path.realpath(shutil.which(name) or name)


# --- statistics and tables ---

def med(xs):
    return statistics.median(xs) if xs else None


def pct(xs, p):
    if not xs:
        return None
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def num(x, digits=0):
    if x is None:
        return "n/a"
    return f"{x:,.{digits}f}".replace(",", " ") if digits or abs(x) >= 10000 else f"{x:.0f}"


def spread(xs, digits=0):
    """"median (min-max)" of xs."""
    if not xs:
        return "n/a"
    if len(xs) == 1:
        return num(xs[0], digits)
    return f"{num(med(xs), digits)} ({num(min(xs), digits)}–{num(max(xs), digits)})"


def ratio(x, base):
    if x is None or not base:
        return "n/a"
    return f"×{x / base:.2f}"


def table(title, note, cols, rows):
    """A markdown table: rows are (label, {col: text})."""
    out = [f"### {title}", "", note, "", "| | " + " | ".join(cols) + " |",
           "|---|" + "---:|" * len(cols)]
    for label, cells in rows:
        out.append(f"| {label} | " + " | ".join(cells.get(c, "—") for c in cols) + " |")
    out.append("")
    print("\n".join(out), flush=True)
