#!/usr/bin/env python3
"""make bench: reaper against tini, tini-static, dumb-init, catatonit, busybox
init and a minimal reaper (the physical limit), in one run.

usage: tests/bench/bench.py [MEASURE...]   (env BUILD: the build directory)
MEASURE: footprint startup idle reap signal cgroups vm several (default: all, in that order)

Prints markdown only to stdout (a header, one table per measure, the targets
met or missed), progress to stderr, so `make bench > file` is the table to
paste. Exits 1 if a measure could not run; a missed target is not a failure.
"""
import os
import platform
import shutil
import subprocess
import sys
import time

from common import ANCHORS, MODES, Failed, log, med
import measures
import reaping
import cgroups
import vm
import several

MEASURES = {"footprint": measures.footprint, "startup": measures.startup,
            "idle": measures.wakeups, "reap": reaping.reap, "signal": reaping.signals,
            "cgroups": cgroups.cgroups, "vm": vm.vm, "several": several.several}


def version(pkg):
    p = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True,
                       text=True, check=False)
    return p.stdout.strip() or "?"


def header(names):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pkgs = ", ".join(f"{p} {version(p)}" for p in ("tini", "dumb-init", "catatonit")
                     + (("busybox-static",) if "vm" in names else ())
                     + (("supervisor", "podman", "runc") if "several" in names else ()))
    print(f"_{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs ({cpu}), Linux "
          f"{platform.release()}, no KVM; {pkgs} (Debian); measures: {' '.join(names)}. "
          f"Reproduce: `make bench`._\n", flush=True)
    print("Each init runs as PID 1 of a new PID namespace (`unshare --pid --fork --mount-proc`) "
          "and not as PID 1, as a child subreaper: tini and tini-static with `-s`; reaper, "
          "catatonit and minreap become one by themselves; dumb-init cannot, so it runs plain "
          "there and is left out of the reaping measure. minreap is the physical limit: a "
          "minimal C init (tests/bench/minreap.c) that forks the command and only drains "
          "`waitpid(-1)`. Ratios are against the baseline measured in the same run.\n")


def verdicts(res, out):
    """say(ok, text): a target's line into out; m(name, mode, what): a median of res or None."""
    def say(ok, text):
        out.append(f"- {'met' if ok else '**missed**'}: {text}")

    def m(name, mode, what):
        v = res.get((name, mode, what))
        return med(v) if v else None
    return say, m


def check19(res):
    """Issue 19's targets, each met or missed, from this run's figures."""
    out = []
    say, m = verdicts(res, out)

    for mode in MODES:
        have = [a for a in ANCHORS if m(a, mode, "reapcalls") is not None]
        if m("reaper", mode, "reapcalls") is None or not have:
            continue
        low = min(have, key=lambda a: m(a, mode, "reapcalls"))
        r = m("reaper", mode, "reapcalls")
        say(r < m(low, mode, "reapcalls"), f"system calls per reaped orphan below every "
            f"anchor's, {mode}: {r:.2f}, lowest anchor {low} {m(low, mode, 'reapcalls'):.2f}")
        c, base = m("reaper", mode, "reapcpu"), m("minreap", mode, "reapcpu")
        have = [a for a in ANCHORS if m(a, mode, "reapcpu") is not None]
        low = min(have, key=lambda a: m(a, mode, "reapcpu"))
        say(c <= 1.10 * base and c < m(low, mode, "reapcpu"),
            f"CPU per orphan at most 1.10 × minreap's and below every anchor's, {mode}: "
            f"{c:.2f} µs (×{c / base:.2f}), lowest anchor {low} {m(low, mode, 'reapcpu'):.2f} µs")
    for mode in MODES:
        runs = res.get(("reaper", mode, "signal1"))
        if not runs:
            continue
        ok, parts = True, []
        for i, r in enumerate(runs):
            best = min(ANCHORS, key=lambda a: res[(a, mode, "signal1")][i])
            b = res[(best, mode, "signal1")][i]
            ok = ok and r <= b
            parts.append(f"{r:.0f} vs {best} {b:.0f}")
        say(ok, f"one-CPU signal median at or below the best anchor's in each of "
            f"{len(runs)} runs, {mode}: {'; '.join(parts)} µs")
    for mode in MODES:
        r, b = m("reaper", mode, "startup"), m("minreap", mode, "startup")
        if r is not None and b:
            say(r <= 1.5 * b, f"start-up overhead at most 1.5 × minreap's, {mode}: {r:.0f} µs "
                f"vs {b:.0f} µs (×{r / b:.2f})")
    if m("reaper", "", "size") is not None:
        size = m("reaper", "", "size")
        say(size <= 73728, f"static amd64 binary at most 73,728 bytes: {size:,.0f}")
    for mode in MODES:
        if m("reaper", mode, "hwm") is not None:
            say(m("reaper", mode, "hwm") <= 64, f"entrypoint peak RSS at most 64 KiB, {mode}: "
                f"{m('reaper', mode, 'hwm'):.0f} KiB")
    return out


def check(res):
    """Issue 7's targets, each met or missed, from this run's figures."""
    out = []
    say, m = verdicts(res, out)

    if m("reaper", "", "size") is not None:
        size, static = m("reaper", "", "size"), res[("reaper", "", "static")][0]
        say(size <= 48 * 1024 and static,
            f"static binary at most 48 KiB: {size / 1024:.1f} KiB, {'static' if static else 'not static'}")
    for mode in MODES:
        if m("reaper", mode, "hwm") is None:
            break
        low = min(ANCHORS, key=lambda a: m(a, mode, "hwm"))
        for who, label in (("reaper", "entrypoint"), ("reaper -f", "system mode")):
            say(m(who, mode, "hwm") <= m(low, mode, "hwm"),
                f"peak RSS at or below every anchor's, {label}, {mode}: {m(who, mode, 'hwm'):.0f} "
                f"KiB, lowest anchor {low} {m(low, mode, 'hwm'):.0f} KiB")
    for mode in MODES:
        for who, label in (("reaper", "entrypoint"), ("reaper -f", "system mode")):
            if m(who, mode, "wakeups") is not None:
                say(m(who, mode, "wakeups") == 0,
                    f"zero wake-ups in 10 s idle, {label}, {mode}: {m(who, mode, 'wakeups'):.0f}")
    for mode in MODES:
        if m("reaper", mode, "reap") is None:
            continue
        r, base = m("reaper", mode, "reap"), m("minreap", mode, "reap")
        say(r >= 0.95 * base, f"reaping at least 0.95 of minreap's, {mode}: {r / base:.2f}")
        ahead = [a for a in ANCHORS if m(a, mode, "reap") is not None]
        best = max(ahead, key=lambda a: m(a, mode, "reap"))
        say(r > m(best, mode, "reap"), f"reaping ahead of every anchor, {mode}: {r:.0f}/s, "
            f"best anchor {best} {m(best, mode, 'reap'):.0f}/s")
    for what, label, unit in (("signal", "signal latency median", "µs"),
                              ("startup", "start-up overhead", "µs")):
        for mode in MODES:
            if m("reaper", mode, what) is not None:
                say(m("reaper", mode, what) <= m("tini", mode, what),
                    f"{label} at or below tini's, {mode}: {m('reaper', mode, what):.0f} {unit}, "
                    f"tini {m('tini', mode, what):.0f} {unit}")
    if m("reaper", "", "first") is not None:
        r, b = m("reaper", "", "first"), m("busybox init", "", "first")
        say(r <= b, f"VM: first service no later than busybox init's: {r:.1f} ms, busybox {b:.1f} ms")
        r, b = m("reaper", "", "off"), m("busybox init", "", "off")
        say(r < b, f"VM: power-off faster than busybox init's: {r:.0f} ms, busybox {b:.0f} ms")
    return out


def main():
    names = sys.argv[1:] or list(MEASURES)
    bad = [n for n in names if n not in MEASURES]
    if bad:
        print(f"bench: unknown measure {' '.join(bad)}; known: {' '.join(MEASURES)}",
              file=sys.stderr)
        return 2
    for tool in ("tini", "tini-static", "dumb-init", "catatonit", "unshare"):
        if not shutil.which(tool):
            print(f"bench: {tool} is missing (make bench installs it)", file=sys.stderr)
            return 1
    start, res, failed = time.monotonic(), {}, []
    header(names)
    for n in names:
        log(f"{n} ...")
        t = time.monotonic()
        try:
            res.update(MEASURES[n]())
        except Failed as e:
            failed.append(n)
            print(f"### {n}\n\nNot measured: {e}\n", flush=True)
        log(f"{n}: {time.monotonic() - t:.0f} s")
    print("### Targets (issue 19), from this run\n")
    print("\n".join(check19(res)) or "(none measured)")
    print()
    print("### Earlier targets (issue 7), from this run\n")
    print("\n".join(check(res)) or "(none measured)")
    print()
    log(f"all: {time.monotonic() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        rc = main()
    finally:
        shutil.rmtree(measures.TMP, ignore_errors=True)
    sys.exit(rc)
