"""Measure 7: what a cgroup per entry costs: starting an entry, and reaping an
orphan with provenance, with reaper's cgroups on and off, beside minreap.

reaper runs in system mode (-f) as PID 1 of new PID and mount namespaces, in a
fresh cgroup of its own under the host's cgroup2 mount, with cgroup2 mounted
for it. With a cgroup namespace of its own too it takes that cgroup (cgroups
on: an entry's cgroup is made, joined, watched and removed each run, and an
orphan's owner is read from its /proc/PID/cgroup); without one it says
"cgroups off: no cgroup namespace of its own" and keeps entries by process
group and session. Nothing else differs between the two.
"""
import os
import socket
import subprocess
import time

from common import (REAPER, TOOLS, Failed, children, med, poll, ratio,
                    spread, table)
from measures import tmpname
from reaping import pids_root

T = os.path.join(TOOLS, "")
ON, OFF, EP, MIN = "cgroups on", "cgroups off", "reaper --", "minreap"


def cgroup2():
    """The host's cgroup2 mount and this process's cgroup directory in it, or None."""
    with open("/proc/self/mounts") as f:
        mnt = next((l.split()[1] for l in f if l.split()[2:3] == ["cgroup2"]), None)
    if mnt is None:
        return None
    with open("/proc/self/cgroup") as f:
        path = next((l.strip()[3:] for l in f if l.startswith("0::/")), None)
    return (mnt, os.path.join(mnt, path.lstrip("/"))) if path else None


def schedstat(pid):
    """CPU time of pid so far, in ns."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


class Init:
    """reaper -f CONF (or minreap COMMAND) as PID 1 in a fresh cgroup of the
    host's cgroup2 tree; with a cgroup namespace only when on. Set up as the
    issue's namespace tests do: the starting shell moves into the cgroup and
    becomes unshare, whose child (PID 1) waits until unshare is moved back
    out, so the new PID 1 is alone in its cgroup when it starts."""

    def __init__(self, tag, mode, conf=None, cmd=None):
        where = cgroup2()
        if where is None:
            raise Failed("no cgroup2 mount here")
        root, home = where
        self.d = tmpname("cg", tag)
        os.makedirs(os.path.join(self.d, "mnt"))
        self.cg = os.path.join(root, f"reaper-bench-{os.getpid()}-{tag}")
        os.mkdir(self.cg)
        if mode in (EP, MIN):     # no entries, no owners: what reaping costs bare
            run = " ".join(([REAPER, "--"] if mode == EP else [T + "minreap"]) + cmd)
        else:
            with open(os.path.join(self.d, "conf"), "w") as f:
                f.write(conf.format(dir=self.d))
            run = f"{REAPER} -f {self.d}/conf"
        inner = (f"mount -t cgroup2 none {self.d}/mnt && "
                 f"while [ ! -e {self.d}/go ]; do sleep 0.01; done; exec {run}")
        cgns = "--cgroup " if mode == ON else ""
        outer = (f"echo $$ > {self.cg}/cgroup.procs && exec unshare {cgns}--mount --pid "
                 f"--fork --mount-proc --kill-child --propagation private sh -c \"$0\"")
        self.p = subprocess.Popen(["sh", "-c", outer, inner], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        kids = poll(lambda: self.p.poll() is None and children(self.p.pid))
        if not kids:
            self.stop()
            raise Failed(f"{mode}: no PID 1 under unshare")
        self.init = kids[0]
        with open(os.path.join(home, "cgroup.procs"), "w") as f:
            f.write(str(self.p.pid))     # unshare back out: PID 1 is alone in self.cg
        open(os.path.join(self.d, "go"), "w").close()
        if mode in (ON, OFF):
            # on: reaper's own leaf is there by the time it listens; off: never
            up = poll(lambda: os.path.exists(self.sock()))
            leaf = os.path.isdir(os.path.join(self.cg, "reaper"))
            if not up or leaf != (mode == ON):
                self.stop()
                raise Failed(f"{mode}: reaper up {up}, its own leaf {leaf}")

    def sock(self):
        return os.path.join(self.d, "sock")

    def ask(self, line):
        """One request over the control socket, as reaperctl sends it; the answer
        (its first line the exit status reaperctl would give)."""
        s = socket.socket(socket.AF_UNIX)
        try:
            s.settimeout(10)
            s.connect(self.sock())
            s.sendall(line.encode() + b"\n")
            out = b""
            while True:
                d = s.recv(4096)
                if not d:
                    return out.decode()
                out += d
        finally:
            s.close()

    def stop(self):
        """unshare killed; --kill-child takes PID 1, and the namespace, with it."""
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait(timeout=10)
        gone = []
        for top, dirs, _ in os.walk(self.cg, topdown=False):
            gone += [os.path.join(top, x) for x in dirs]
        for path in gone + [self.cg]:
            if not poll(lambda: _rmdir(path), 10.0, 0.01):
                raise Failed(f"cannot remove {path}")


def _rmdir(path):
    try:
        os.rmdir(path)
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False


STARTCONF = "set control={dir}/sock\nonce t /bin/true\n"


def starts(tag, mode, n):
    """n runs of a once entry (start, then wait until it has exited 0):
    (wall µs per run, PID 1's CPU µs per run)."""
    r = Init(tag, mode, STARTCONF)
    try:
        for _ in range(20):             # warm: the entry's first run, the caches
            r.ask("start t")
            r.ask("wait t")
        cpu0, t0 = schedstat(r.init), time.monotonic_ns()
        for _ in range(n):
            a, b = r.ask("start t"), r.ask("wait t")
            if a.split("\n")[:2] != ["0", "start t: starting"] or b.split() != ["0", "t", "up"]:
                raise Failed(f"start cycle, {mode}: '{a.strip()}', '{b.strip()}'")
        t1, cpu1 = time.monotonic_ns(), schedstat(r.init)
    finally:
        r.stop()
    return (t1 - t0) / 1000 / n, (cpu1 - cpu0) / 1000 / n


def storm(tag, mode, n):
    """A storm of n orphans (tests/bench/bstorm.c) as the init's only entry:
    (orphans/s, the init's CPU µs per orphan)."""
    pids = pids_root()
    if pids is None or pids.startswith(cgroup2()[0]):
        raise Failed("no pids controller outside the cgroup2 tree reaper is given")
    cg = os.path.join(pids, f"reaper-bench-{os.getpid()}-{tag}-pids")
    out = tmpname("cgstorm", tag)
    cmd = [T + "bstorm", cg, str(n), out]
    os.mkdir(cg)
    try:
        r = Init(tag, mode, "set control={dir}/sock\nonce storm " + " ".join(cmd) + "\n",
                 cmd)
        try:
            if not poll(lambda: os.path.exists(out) and os.path.getsize(out) > 0, 150, 0.05):
                raise Failed(f"storm, {mode}: no result")
            with open(out) as f:
                made, elapsed, _, _, cpu = (int(x) for x in f.read().split())
        finally:
            r.stop()
    finally:
        poll(lambda: _rmdir(cg), 10.0, 0.01)
    return made / (elapsed / 1e9), cpu / 1000 / made


def cgroups(rounds=3, n=500, orphans=20000):
    if cgroup2() is None:
        table("7. cgroups", "Not measured: no cgroup2 mount here.", [ON, OFF, EP, MIN], [])
        return {}
    wall, cpu, rate, rcpu = {}, {}, {}, {}
    for rnd in range(rounds):
        for mode in (ON, OFF):
            w, c = starts(f"s{rnd}-{mode[8:]}", mode, n)
            wall.setdefault(mode, []).append(w)
            cpu.setdefault(mode, []).append(c)
        for mode, tag in ((ON, "on"), (OFF, "off"), (EP, "ep"), (MIN, "min")):
            r, c = storm(f"r{rnd}-{tag}", mode, orphans)
            rate.setdefault(mode, []).append(r)
            rcpu.setdefault(mode, []).append(c)
    cols = [ON, OFF, EP, MIN]
    rows = [("a once entry's run (start, exit 0, wait answers), µs",
             {m: spread(wall[m], 1) for m in (ON, OFF)}),
            ("  ratio to cgroups off", {m: ratio(med(wall[m]), med(wall[OFF])) for m in (ON, OFF)}),
            ("  PID 1's CPU time per run, µs", {m: spread(cpu[m], 1) for m in (ON, OFF)}),
            ("  ratio to cgroups off", {m: ratio(med(cpu[m]), med(cpu[OFF])) for m in (ON, OFF)}),
            ("orphans reaped per s, each with its owner", {m: spread(rate[m]) for m in cols}),
            ("  ratio to minreap", {m: ratio(med(rate[m]), med(rate[MIN])) for m in cols}),
            ("  init's CPU time per orphan, µs", {m: spread(rcpu[m], 2) for m in cols}),
            ("  ratio to minreap", {m: ratio(med(rcpu[m]), med(rcpu[MIN])) for m in cols})]
    table("7. cgroups",
          "reaper in system mode as PID 1 of new PID and mount namespaces, in a fresh cgroup "
          "of the host's cgroup2 tree; cgroups on with a cgroup namespace of its own, off "
          "without one (nothing else differs). A run: `reaperctl start` and `reaperctl wait` "
          "of `once t /bin/true`, sent over the control socket; with cgroups on it includes "
          "making the entry's cgroup, the child joining it, watching cgroup.events and "
          "removing the cgroup when the entry is done. "
          f"{n} runs after 20 to warm up. Orphans: the storm of measure 4 "
          f"({orphans} orphans) as the only entry; each is attributed to `storm`, by its "
          "cgroup (on) or its session (off); beside it, as PID 1 of the same namespaces and "
          "with no entry and no owner to find, reaper in entrypoint mode (`reaper -- bstorm`) "
          f"and minreap. Median (min–max) of {rounds} interleaved rounds.",
          cols, rows)
    return ({("reaper", m, "cgstart"): wall[m] for m in (ON, OFF)}
            | {("reaper", m, "cgreap"): rate[m] for m in cols})
