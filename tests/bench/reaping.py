"""Measures 4 and 5: orphan reaping under a storm, and signal forwarding latency."""
import os
import subprocess

from common import (BASE, MODES, NAMES, NOINIT, NS, PID1, TOOLS, Failed, Run, log, med,
                    num, pct, prefix, ratio, spread, table)
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


def storm(root, pre, n, tag):
    """One storm of n orphans under the init argv pre:
    (orphans/s, peak, lag ms, init's CPU µs per orphan)."""
    cg = os.path.join(root, f"reaper-bench-{os.getpid()}-{tag}")
    out = tmpname("storm", tag)
    os.mkdir(cg)
    try:
        p = subprocess.run(pre + [T + "bstorm", cg, str(n), out], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           timeout=150)
        if p.returncode != 0 or not os.path.exists(out):
            raise Failed(f"storm under {pre[len(NS)] if pre[0] == NS[0] else pre[0]}: "
                         f"{p.stderr.strip() or p.returncode}")
        with open(out) as f:
            made, elapsed, forked, peak, cpu = (int(x) for x in f.read().split())
    finally:
        for _ in range(1000):   # the storm itself may still be on its way out
            try:
                os.rmdir(cg)
                break
            except OSError:
                pass
    return (made / (elapsed / 1e9), peak if peak >= 0 else None, (elapsed - forked) / 1e6,
            cpu / 1000 / made if cpu >= 0 else None)


def reap(rounds=3, n=20000):
    root = pids_root()
    if root is None:
        table("4. Orphan reaping", "Not measured: no cgroup of the pids controller here.",
              NAMES, [])
        return {}
    rate, peak, lag, cpu = {}, {}, {}, {}
    for rnd in range(rounds):
        for mode in MODES:
            for name in NAMES:
                pre = prefix(name, mode)
                if pre is None:
                    continue
                r, p, l, c = storm(root, pre, n, f"{rnd}-{name}-{mode.replace(' ', '')}")
                rate.setdefault((name, mode), []).append(r)
                peak.setdefault((name, mode), []).append(p)
                lag.setdefault((name, mode), []).append(l)
                if c is not None:
                    cpu.setdefault((name, mode), []).append(c)
    rows, res = [], {}
    for mode in MODES:
        have = [x for x in NAMES if (x, mode) in rate]
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
        for x in have:
            res[(x, mode, "reap")] = rate[(x, mode)]
            res[(x, mode, "reapcpu")] = cpu.get((x, mode), [])
    table("4. Orphan reaping",
          f"The init's child makes {n} orphans as fast as it can (a middle process starts "
          "each and exits; the orphan exits at once, so it reaches the init as a zombie). "
          "Orphans per second from the first made to the last reaped; the most unreaped at "
          "once is the pids cgroup's peak (the kernel counts a process until it is reaped: "
          "zombies, plus the few not yet through exit). Where every init keeps up, the "
          "storm's own pace bounds the rate; the init's CPU time per orphan "
          "(/proc/PID/schedstat over the storm) shows what reaping costs each. "
          "Not PID 1: only subreapers "
          f"(dumb-init is none). Median (min–max) of {rounds} interleaved runs.", NAMES, rows)
    return res


def receiver(name, mode):
    """name's init (or none) running bchild sig: (Run, fifo)."""
    tag = f"{name}-{mode}".replace(" ", "")
    fifo, ready = tmpname("fifo", tag), tmpname("sigready", tag)
    os.mkfifo(fifo)
    cmd = [T + "bchild", "sig", fifo, ready]
    if name == NOINIT:
        return Run((NS if mode == PID1 else []) + cmd, mode, ready, noinit=True), fifo
    return Run(prefix(name, mode, plain=True) + cmd, mode, ready), fifo


def signals(rounds=10, count=50, gap_us=1000):
    cols = [x for x in NAMES if x != BASE] + [NOINIT]
    runs, lat = {}, {}
    try:
        for mode in MODES:
            for name in cols:
                runs[(name, mode)] = receiver(name, mode)
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
    rows, res = [], {}
    for mode in MODES:
        every = {x: [v for b in lat[(x, mode)] for v in b] for x in cols}
        base = med(every[NOINIT])
        rows.append((f"{mode}: median µs", {
            x: f"{num(med(every[x]))} ({num(min(med(b) for b in lat[(x, mode)]))}–"
               f"{num(max(med(b) for b in lat[(x, mode)]))})" for x in cols}))
        rows.append(("  p99 µs", {x: num(pct(every[x], 99)) for x in cols}))
        rows.append(("  ratio to no init (median)", {x: ratio(med(every[x]), base) for x in cols}))
        for x in cols:
            res[(x, mode, "signal")] = [med(every[x])]
    table("5. Signal forwarding latency",
          f"From kill(SIGUSR1) on the init to the first instruction of the child's handler "
          f"(CLOCK_MONOTONIC on both sides); no init: kill on the child itself. "
          f"{rounds * count} signals each, {gap_us} µs apart, in {rounds} interleaved rounds; "
          "median (min–max of the rounds' medians), p99. minreap forwards nothing.", cols, rows)
    return res
