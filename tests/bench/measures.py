"""Measures 1 to 5: footprint, start-up, idle wake-ups, orphan reaping, signal latency.

Each returns {(name, mode, what): [values]} for the target check, and prints
its table. Runs are interleaved: round after round, every init once.
"""
import os
import subprocess
import tempfile
import time

from common import (BASE, MODES, NAMES, NOINIT, NS, PID1, REAPER, TOOLS, Failed,
                    Run, exe, med, num, prefix, ratio, spread,
                    status, table)

T = os.path.join(TOOLS, "")
TMP = tempfile.mkdtemp(prefix="reaper-bench.")
SYSCONF = """\
set control={dir}/sock
sysinit banner sh -c 'echo sysinit ran'
service napper sh -c 'exec sleep 7100000'
service orphan-maker sh -c 'while :; do sh -c "sleep 1.5 & exit 0"; sleep 1; done'
service crashy restart-delay=200ms restart-limit=4/1m sh -c 'exit 1'
service up sh -c 'touch {dir}/ready; exec sleep 7100001'
once director sh -c 'exit 0'
shutdown bye sh -c 'exit 0'
"""
# For the idle measure: the same, less what wakes PID 1 on purpose (a crash
# loop, an orphan a second).
IDLECONF = "\n".join(l for l in SYSCONF.splitlines() if "crashy" not in l and "orphan" not in l)


def tmpname(*parts):
    return os.path.join(TMP, "-".join(str(p) for p in parts))


def idle(name, mode, tag, plain=True):
    """name's init running bchild idle; None where it does not apply."""
    pre = prefix(name, mode, plain)
    if pre is None:
        return None
    ready = tmpname("ready", tag, name, mode.replace(" ", ""))
    return Run(pre + [T + "bchild", "idle", ready], mode, ready)


def system(mode, tag, conf=SYSCONF):
    """reaper in system mode on a demo-like config, once its services are up."""
    d = tmpname("sys", tag, mode.replace(" ", ""))
    os.makedirs(d)
    with open(os.path.join(d, "conf"), "w") as f:
        f.write(conf.format(dir=d) + "\n")
    argv = [REAPER, "-f", os.path.join(d, "conf")]
    r = Run((NS + argv) if mode == PID1 else argv, mode,
            os.path.join(d, "ready"))
    # What the demo's director does: ask over the control socket.
    for what in ("status", "tree"):
        subprocess.run([os.path.join(os.path.dirname(REAPER), "reaperctl"), "--socket",
                        os.path.join(d, "sock"), what], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10, check=False)
    return r


def is_static(path):
    """No PT_INTERP program header: nothing loads it but the kernel."""
    with open(path, "rb") as f:
        h = f.read(64)
        if h[:4] != b"\x7fELF" or h[4] != 2:
            return None
        phoff = int.from_bytes(h[32:40], "little")
        phentsize = int.from_bytes(h[54:56], "little")
        phnum = int.from_bytes(h[56:58], "little")
        f.seek(phoff)
        for _ in range(phnum):
            if int.from_bytes(f.read(phentsize)[:4], "little") == 3:
                return False
    return True


def footprint(rounds=3):
    res, hwm = {}, {}
    parts = {}
    for rnd in range(rounds):
        for mode in MODES:
            for name in NAMES + ["reaper -f"]:
                r = system(mode, rnd) if name == "reaper -f" else idle(name, mode, rnd)
                try:
                    st = status(r.init)
                    hwm.setdefault((name, mode), []).append(int(st["VmHWM"]))
                    parts.setdefault((name, mode), []).append(
                        (int(st.get("RssFile", 0)), int(st.get("RssAnon", 0))))
                finally:
                    r.stop()
    cells = {"file size, KiB": {}, "static": {}}
    for name in NAMES:
        size = os.path.getsize(exe(name))
        res[(name, "", "size")] = [size]
        res[(name, "", "static")] = [is_static(exe(name))]
        cells["file size, KiB"][name] = num(size / 1024, 1)
        cells["static"][name] = {True: "yes", False: "no", None: "?"}[is_static(exe(name))]
    rows = list(cells.items())
    for mode in MODES:
        base = med(hwm[(BASE, mode)])
        rows.append((f"VmHWM {mode}, KiB", {n: spread(hwm[(n, mode)]) for n in NAMES}))
        rows.append((f"  ratio to {BASE}", {n: ratio(med(hwm[(n, mode)]), base) for n in NAMES}))
        rows.append(("  of it now: file pages / anonymous, KiB", {
            n: f"{med([a for a, _ in parts[(n, mode)]]):.0f} / "
               f"{med([b for _, b in parts[(n, mode)]]):.0f}" for n in NAMES}))
        rows.append((f"reaper system mode, {mode}, KiB", {"reaper": spread(hwm[("reaper -f", mode)])}))
        for n in NAMES + ["reaper -f"]:
            res[(n, mode, "hwm")] = hwm[(n, mode)]
    table("1. Static footprint",
          f"File size; static or not; the init's own peak RSS (VmHWM of the init, not of its "
          f"child) while it runs an idle child, median (min–max) of {rounds} interleaved runs. "
          "System mode: `reaper -f` on a demo-like config (four services, a sysinit, a once and a "
          "shutdown entry; the control socket asked for status and tree).", NAMES, rows)
    return res


def startup(rounds=20, batch=5):
    cols = NAMES + [NOINIT]
    us = {}
    for _ in range(rounds):
        for mode in MODES:
            for name in cols:
                pre = (NS if mode == PID1 else []) if name == NOINIT \
                    else prefix(name, mode, plain=True)
                out = subprocess.run([T + "btime", str(batch)] + pre + ["/bin/true"],
                                     capture_output=True, text=True, timeout=60)
                if out.returncode != 0:
                    raise Failed(f"start-up, {name} {mode}: {out.stderr.strip()}")
                us.setdefault((name, mode), []).extend(int(x) / 1000 for x in out.stdout.split())
    rows, res = [], {}
    for mode in MODES:
        base = med(us[(NOINIT, mode)])
        rows.append((f"{mode}, µs per run", {n: spread(us[(n, mode)]) for n in cols}))
        rows.append((f"  overhead over no init, µs",
                     {n: num(med(us[(n, mode)]) - base) for n in cols}))
        rows.append((f"  ratio to no init", {n: ratio(med(us[(n, mode)]), base) for n in cols}))
        for n in cols:
            res[(n, mode, "startup")] = [med(us[(n, mode)]) - base]
    table("2. Start-up overhead",
          f"`INIT -- /bin/true` from fork to reaped, against `/bin/true` alone; PID 1 runs "
          f"(and no init's) go through `unshare --pid --fork --mount-proc`. "
          f"Median (min–max) of {rounds * batch} runs each, in {rounds} interleaved rounds.",
          cols, rows)
    return res


def switches(pid):
    s = status(pid)
    return int(s["voluntary_ctxt_switches"]) + int(s["nonvoluntary_ctxt_switches"])


def wakeups(seconds=10):
    runs = {}
    try:
        for mode in MODES:
            for name in NAMES:
                runs[(name, mode)] = idle(name, mode, "idle")
            runs[("reaper -f", mode)] = system(mode, "idle", IDLECONF)
        time.sleep(1)   # let every init settle after starting its child
        before = {k: switches(r.init) for k, r in runs.items()}
        time.sleep(seconds)
        after = {k: switches(r.init) for k, r in runs.items()}
    finally:
        for r in runs.values():
            r.stop()
    count = {k: after[k] - before[k] for k in runs}
    rows = [(f"{mode}", {n: num(count[(n, mode)]) for n in NAMES}) for mode in MODES]
    rows += [(f"reaper system mode, {mode}", {"reaper": num(count[("reaper -f", mode)])})
             for mode in MODES]
    table("3. Idle wake-ups",
          f"Context switches of the init (voluntary + involuntary, /proc/PID/status) over "
          f"{seconds} s while its child sleeps; all inits run at once, so one window of "
          f"{seconds} s serves all.", NAMES, rows)
    return {(k[0], k[1], "wakeups"): [v] for k, v in count.items()}
