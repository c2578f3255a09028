"""Measure 6: in the VM, reaper against busybox init on the same kernel and rootfs.

Each boot is timed from the kernel's own log: from "Run /init as init
process" (the hand-over to PID 1) to the first service's line in /dev/kmsg;
the guest prints both (dmesg), then "bench: poweroff now" and runs poweroff;
from the moment the host reads that line to QEMU's exit is the power-off.
A second kind of boot runs three services that ignore SIGTERM (reaper:
stop-timeout=2s each, no dependency between them, so stopped in parallel;
busybox init: respawn entries) and times only its power-off. A third loads
the power key's drivers and, once the guest says the ACPI power button is
watched ("bench: press now"), presses it from the host (the QEMU monitor's
system_powerdown) and times that to QEMU's exit: reaper as PID 1 on its own,
busybox init with busybox's acpid running poweroff (busybox init alone
ignores the key).
"""
import os
import re
import select
import shutil
import socket
import subprocess
import tempfile
import time

from common import B, Failed, med, ratio, spread, table

KVM = os.environ.get("QEMU_KVM") == "1" and os.access("/dev/kvm", os.R_OK | os.W_OK)
APPEND = "console=ttyS0 panic=-1 loglevel=4 printk.devkmsg=on"
INITS = {"reaper": APPEND + " -- -f /etc/bench.conf", "busybox init": APPEND}
IMAGES = {"reaper": "bench-reaper.gz", "busybox init": "bench-busybox.gz"}
# The boot with three TERM-ignoring services: its command line and image per init.
STUBBORN = {"reaper": (APPEND + " -- -f /etc/stubborn.conf", "bench-reaper.gz"),
            "busybox init": (APPEND, "bench-busybox-stubborn.gz")}
# The boot whose power-off the host asks for with the power key.
POWERKEY = {"reaper": (APPEND + " -- -f /etc/powerkey.conf", "bench-reaper.gz"),
            "busybox init": (APPEND, "bench-busybox-acpid.gz")}


def monitor(path, command, limit):
    """One HMP command on QEMU's monitor socket, once it greets; returns
    the moment it was sent, once QEMU prompts again after it (closing the
    socket before that may lose the command)."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(limit)
    try:
        s.connect(path)
        got, sent = b"", None
        for _ in range(2):      # the greeting's prompt, then the command's
            while b"(qemu) " not in got:
                data = s.recv(4096)
                if not data:
                    raise Failed("VM: the monitor closed before its prompt")
                got += data
            got = got[got.index(b"(qemu) ") + 7:]
            if sent is None:
                sent = time.monotonic()
                s.sendall((command + "\n").encode())
        return sent
    finally:
        s.close()


def press(name, limit=180):
    """One boot: ms from system_powerdown, sent once the guest watches the key, to QEMU's exit."""
    append, image = POWERKEY[name]
    tmp = tempfile.mkdtemp(prefix="reaper-bench.")
    mon = os.path.join(tmp, "monitor")
    cmd = ["qemu-system-x86_64", "-nographic", "-no-reboot", "-m", "256",
           "-kernel", os.path.join(B, "qemu", "vmlinuz"),
           "-initrd", os.path.join(B, "bench", "vm", image), "-append", append,
           "-monitor", f"unix:{mon},server,nowait"]
    if KVM:
        cmd += ["-enable-kvm", "-cpu", "host"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    text, sent, end = "", None, time.monotonic() + limit
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
                raise Failed(f"VM with {name}: no power-off within {limit} s of booting")
            data = os.read(p.stdout.fileno(), 65536)
            if not data:
                break
            text += data.decode("utf-8", "replace")
            if sent is None and "bench: press now" in text:
                sent = monitor(mon, "system_powerdown", max(1, end - time.monotonic()))
        p.wait(timeout=max(1, end - time.monotonic()))
        gone = time.monotonic()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    if sent is None or p.returncode != 0 or "reboot: Power down" not in text:
        raise Failed(f"VM with {name}: exit status {p.returncode}, press sent: "
                     f"{sent is not None}, {text.strip().splitlines()[-1:]}")
    return (gone - sent) * 1000


def stamp(text, what):
    m = re.search(r"\[\s*([0-9]+\.[0-9]+)\] " + re.escape(what), text)
    if not m:
        raise Failed(f"VM: no '{what}' in the console")
    return float(m.group(1))


def boot(name, limit=180, stubborn=False):
    """One boot: (ms from PID 1 to the first service, ms from poweroff to QEMU's exit)."""
    append, image = STUBBORN[name] if stubborn else (INITS[name], IMAGES[name])
    cmd = ["qemu-system-x86_64", "-nographic", "-no-reboot", "-m", "256",
           "-kernel", os.path.join(B, "qemu", "vmlinuz"),
           "-initrd", os.path.join(B, "bench", "vm", image), "-append", append]
    if KVM:
        cmd += ["-enable-kvm", "-cpu", "host"]
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    text, off, end = "", None, time.monotonic() + limit
    try:
        while True:
            left = end - time.monotonic()
            if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
                raise Failed(f"VM with {name}: no power-off within {limit} s")
            data = os.read(p.stdout.fileno(), 65536)
            if not data:
                break
            text += data.decode("utf-8", "replace")
            if off is None and "bench: poweroff now" in text:
                off = time.monotonic()
        p.wait(timeout=max(1, end - time.monotonic()))
        gone = time.monotonic()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    if "bench: stubborn service" in text:
        raise Failed(f"VM with {name}: a TERM-ignoring service never ran")
    if off is None or p.returncode != 0:
        raise Failed(f"VM with {name}: exit status {p.returncode}, poweroff line seen: {off is not None}")
    first = stamp(text, "bench-first-service") - stamp(text, "Run /init as init process")
    return first * 1000, (gone - off) * 1000


def vm(rounds=3):
    first, off, off3, key = {}, {}, {}, {}
    for _ in range(rounds):
        for name in INITS:
            f, o = boot(name)
            first.setdefault(name, []).append(f)
            off.setdefault(name, []).append(o)
        for name in INITS:
            off3.setdefault(name, []).append(boot(name, stubborn=True)[1])
        for name in INITS:
            key.setdefault(name, []).append(press(name))
    cols = list(INITS)
    bb = "busybox init"
    rows = [("PID 1 to first service, ms", {n: spread(first[n], 1) for n in cols}),
            ("  ratio to busybox init", {n: ratio(med(first[n]), med(first[bb])) for n in cols}),
            ("poweroff to QEMU exit, ms", {n: spread(off[n]) for n in cols}),
            ("  ratio to busybox init", {n: ratio(med(off[n]), med(off[bb])) for n in cols}),
            ("poweroff with 3 TERM-ignoring services, ms", {n: spread(off3[n]) for n in cols}),
            ("  ratio to busybox init", {n: ratio(med(off3[n]), med(off3[bb])) for n in cols}),
            ("power key (system_powerdown) to QEMU exit, ms", {n: spread(key[n]) for n in cols}),
            ("  ratio to busybox init (+ acpid)", {n: ratio(med(key[n]), med(key[bb])) for n in cols})]
    table("6. In the VM",
          f"Debian's kernel under QEMU ({'KVM' if KVM else 'TCG, no KVM'}), the test VM's busybox "
          "initramfs. First service: kernel timestamps from the hand-over to /init to the "
          "first service's line in /dev/kmsg; reaper mounts /proc, /sys, /dev, /dev/pts and "
          "/run before it, busybox init mounts nothing (the image carries /dev/console and "
          "/dev/kmsg), which favours busybox. Power-off: `poweroff` in the guest to QEMU's "
          "exit, as the host sees it. With 3 TERM-ignoring services: the same, once three "
          "services that ignore SIGTERM run; reaper gives each `stop-timeout=2s` and stops "
          "the three in parallel (no dependency between them; one at a time would take "
          "3 × 2 s), busybox init sends SIGTERM to every process and SIGKILL to what is left. "
          "Power key: evdev and the ACPI button loaded at boot; once the power button is held "
          "open (by reaper, or by busybox's `acpid`, whose action runs `poweroff`: busybox init "
          "alone ignores the key), the host sends the QEMU monitor's `system_powerdown` and "
          "times it to QEMU's exit. "
          f"Median (min–max) of {rounds} interleaved boots.",
          cols, rows)
    return ({(n, "", "first"): first[n] for n in cols} | {(n, "", "off"): off[n] for n in cols}
            | {(n, "", "off3"): off3[n] for n in cols} | {(n, "", "key"): key[n] for n in cols})
