"""Measures 4 and 5: orphan reaping under a storm, and signal forwarding latency."""
import os
import subprocess

import shutil

from common import (BASE, MODES, NAMES, NOINIT, NS, PID1, REAPER, TOOLS, Failed, Run, children,
                    log, med, num, pct, poll, prefix, ratio, spread, table)
from measures import tmpname

T = os.path.join(TOOLS, "")


def pids_root():
    """Where a fresh cgroup of the pids controller can be made, or None."""
    if os.path.isfile("/sys/fs/cgroup/pids/cgroup.procs"):            # cgroup v1
        return "/sys/fs/cgroup/pids"
    try:
        with open("/sys/fs/cgroup/cgroup.subtree_control") as f:      # cgroup v2
            if "pids" in f.read().split():
                return "/sys/fs/cgroup"
    except OSError:
        pass
    return None


def perf_fds(pid):
    """How many perf_event fds process pid holds: perf stat has attached once it has them."""
    try:
        return sum(1 for fd in os.listdir(f"/proc/{pid}/fd")
                   if "perf_event" in os.readlink(f"/proc/{pid}/fd/{fd}"))
    except OSError:
        return 0


def storm(root, pre, n, tag):
    """One storm of n orphans under the init argv pre: (orphans/s, peak, lag ms,
    init's CPU µs per orphan, init's system calls per orphan). The storm waits
    for a go file; meanwhile perf stat attaches to the init alone (not its
    children) and counts its system calls (raw_syscalls:sys_enter) from the go
    to its exit: the storm and the init's few exit calls."""
    cg = os.path.join(root, f"reaper-bench-{os.getpid()}-{tag}")
    out, ready, go = tmpname("storm", tag), tmpname("ready", tag), tmpname("go", tag)
    counts = tmpname("perf", tag)
    os.mkdir(cg)
    perf = None
    try:
        p = subprocess.Popen(pre + [T + "bstorm", cg, str(n), out, ready, go],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        who = pre[len(NS)] if pre[0] == NS[0] else pre[0]
        if not poll(lambda: os.path.exists(ready) or p.poll() is not None, 30) \
                or p.poll() is not None:
            p.kill()
            raise Failed(f"storm under {who}: never ready: {p.communicate()[1].strip()}")
        init = p.pid
        if pre[0] == NS[0]:
            kids = poll(lambda: children(p.pid))
            init = kids[0] if kids else None
        if init and shutil.which("perf"):
            perf = subprocess.Popen(["perf", "stat", "-x,", "-o", counts, "-e",
                                     "raw_syscalls:sys_enter", "-p", str(init)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not poll(lambda: perf_fds(perf.pid) > 0 or perf.poll() is not None, 10):
                perf.kill()
                perf = None
        open(go, "w").close()
        try:
            err = p.communicate(timeout=150)[1]
        except subprocess.TimeoutExpired:
            p.kill()
            raise Failed(f"storm under {who}: timed out")
        if p.returncode != 0 or not os.path.exists(out):
            raise Failed(f"storm under {who}: {err.strip() or p.returncode}")
        with open(out) as f:
            made, elapsed, forked, peak, cpu = (int(x) for x in f.read().split())
        calls = None
        if perf is not None:
            perf.wait(timeout=30)
            with open(counts) as f:
                for line in f:
                    if "raw_syscalls:sys_enter" in line and line.split(",")[0].isdigit():
                        calls = int(line.split(",")[0])
    finally:
        if perf is not None and perf.poll() is None:
            perf.kill()
        for _ in range(1000):   # the storm itself may still be on its way out
            try:
                os.rmdir(cg)
                break
            except OSError:
                pass
    return (made / (elapsed / 1e9), peak if peak >= 0 else None, (elapsed - forked) / 1e6,
            cpu / 1000 / made if cpu >= 0 else None,
            calls / made if calls is not None else None)


SYSTEM = "reaper -f"    # system mode, beside the entrypoint: one idle service


def storm_prefix(name, mode):
    """argv before bstorm for name (or system mode) in mode, or None."""
    if name != SYSTEM:
        return prefix(name, mode)
    conf = tmpname("storm-conf")
    with open(conf, "w") as f:
        f.write(f"set control={tmpname('storm-sock')}\nservice idle sleep 7100000\n")
    argv = [REAPER, "-f", conf, "--"]
    return NS + argv if mode == PID1 else argv


def reap(rounds=3, n=20000):
    root = pids_root()
    if root is None:
        table("4. Orphan reaping", "Not measured: no cgroup of the pids controller here.",
              NAMES, [])
        return {}
    rate, peak, lag, cpu, calls = {}, {}, {}, {}, {}
    cols = NAMES + [SYSTEM]
    for rnd in range(rounds):
        for mode in MODES:
            for name in cols:
                pre = storm_prefix(name, mode)
                if pre is None:
                    continue
                tag = f"{rnd}-{name}-{mode}".replace(" ", "")
                r, p, l, c, k = storm(root, pre, n, tag)
                if k is not None:
                    calls.setdefault((name, mode), []).append(k)
                rate.setdefault((name, mode), []).append(r)
                peak.setdefault((name, mode), []).append(p)
                lag.setdefault((name, mode), []).append(l)
                if c is not None:
                    cpu.setdefault((name, mode), []).append(c)
    rows, res = [], {}
    for mode in MODES:
        have = [x for x in cols if (x, mode) in rate]
        base = med(rate[(BASE, mode)])
        rows.append((f"{mode}: orphans reaped per s", {x: spread(rate[(x, mode)]) for x in have}))
        rows.append(("  ratio to minreap", {x: ratio(med(rate[(x, mode)]), base) for x in have}))
        rows.append(("  most unreaped at once",
                     {x: spread([v for v in peak[(x, mode)] if v is not None]) for x in have}))
        rows.append(("  last reaped, ms after the last made",
                     {x: spread(lag[(x, mode)], 1) for x in have}))
        rows.append(("  init's CPU time per orphan, µs",
                     {x: spread(cpu.get((x, mode)), 2) for x in have}))
        rows.append(("  ratio to minreap", {x: ratio(med(cpu.get((x, mode))),
                                                     med(cpu.get((BASE, mode)))) for x in have}))
        rows.append(("  init's system calls per orphan",
                     {x: spread(calls.get((x, mode)), 2) for x in have}))
        for x in have:
            res[(x, mode, "reap")] = rate[(x, mode)]
            res[(x, mode, "reapcpu")] = cpu.get((x, mode), [])
            res[(x, mode, "reapcalls")] = calls.get((x, mode), [])
    table("4. Orphan reaping",
          f"The init's child makes {n} orphans as fast as it can (a middle process starts "
          "each and exits; the orphan exits at once, so it reaches the init as a zombie). "
          "Orphans per second from the first made to the last reaped; the most unreaped at "
          "once is the pids cgroup's peak (the kernel counts a process until it is reaped: "
          "zombies, plus the few not yet through exit). Where every init keeps up, the "
          "storm's own pace bounds the rate; the init's CPU time per orphan "
          "(/proc/PID/schedstat over the storm) shows what reaping costs each, and its "
          "system calls per orphan are counted by `perf stat -e raw_syscalls:sys_enter -p` "
          "attached to the init alone while the storm waits for a go (from the go to the "
          "init's exit). reaper -f: system mode with one idle service, naming each orphan "
          "and the entry it leaked from, logged to /dev/null. "
          "Not PID 1: only subreapers "
          f"(dumb-init is none). Median (min–max) of {rounds} interleaved runs.", cols, rows)
    return res


def receiver(name, mode, run=""):
    """name's init (or none) running bchild sig: (Run, fifo)."""
    tag = f"{name}-{mode}{run}".replace(" ", "")
    fifo, ready = tmpname("fifo", tag), tmpname("sigready", tag)
    os.mkfifo(fifo)
    cmd = [T + "bchild", "sig", fifo, ready]
    if name == NOINIT:
        return Run((NS if mode == PID1 else []) + cmd, mode, ready, noinit=True), fifo
    return Run(prefix(name, mode, plain=True) + cmd, mode, ready), fifo


def latencies(cols, rounds, count, gap_us, tag=""):
    """{(init, mode): [[µs per signal] per round]}, rounds interleaved."""
    runs, lat = {}, {}
    try:
        for mode in MODES:
            for name in cols:
                runs[(name, mode)] = receiver(name, mode, tag)
        for _ in range(rounds):
            for key, (r, fifo) in runs.items():
                p = subprocess.run([T + "bsigsend", str(r.init), fifo, str(count), str(gap_us)],
                                   capture_output=True, text=True, timeout=60)
                if p.returncode != 0:
                    raise Failed(f"signals, {key[0]} {key[1]}: {p.stderr.strip()}")
                lat.setdefault(key, []).append([int(x) / 1000 for x in p.stdout.split()])
    finally:
        for r, _ in runs.values():
            r.stop()
    return lat


def same_cpu(cols, runs=3, rounds=3, count=50, gap_us=1000):
    """The same, every process on CPU 0 (affinity is inherited): the sender, the
    init and its child take turns, so what the init does around its kill counts.
    runs separate runs of rounds rounds; {(init, mode): [median per run]}."""
    keep = os.sched_getaffinity(0)
    out = {}
    try:
        os.sched_setaffinity(0, {min(keep)})
        for run in range(runs):
            lat = latencies(cols, rounds, count, gap_us, f"cpu{run}")
            for key, b in lat.items():
                out.setdefault(key, []).append(med([v for x in b for v in x]))
    finally:
        os.sched_setaffinity(0, keep)
    return out


def signals(rounds=10, count=50, gap_us=1000):
    cols = [x for x in NAMES if x != BASE] + [NOINIT]
    lat = latencies(cols, rounds, count, gap_us)
    one = same_cpu(cols)
    rows, res = [], {}
    for mode in MODES:
        every = {x: [v for b in lat[(x, mode)] for v in b] for x in cols}
        base = med(every[NOINIT])
        rows.append((f"{mode}: median µs", {
            x: f"{num(med(every[x]))} ({num(min(med(b) for b in lat[(x, mode)]))}–"
               f"{num(max(med(b) for b in lat[(x, mode)]))})" for x in cols}))
        rows.append(("  p99 µs", {x: num(pct(every[x], 99)) for x in cols}))
        rows.append(("  ratio to no init (median)", {x: ratio(med(every[x]), base) for x in cols}))
        rows.append((f"{mode}, one CPU: median µs, runs 1, 2, 3",
                     {x: " / ".join(num(v) for v in one[(x, mode)]) for x in cols}))
        for x in cols:
            res[(x, mode, "signal")] = [med(every[x])]
            res[(x, mode, "signal1")] = one[(x, mode)]
    table("5. Signal forwarding latency",
          f"From kill(SIGUSR1) on the init to the first instruction of the child's handler "
          f"(CLOCK_MONOTONIC on both sides); no init: kill on the child itself. "
          f"{rounds * count} signals each, {gap_us} µs apart, in {rounds} interleaved rounds; "
          "median (min–max of the rounds' medians), p99. One CPU: every process pinned to "
          "one CPU, three separate runs of 3 rounds, each run's median. "
          "minreap forwards nothing.", cols, rows)
    return res
