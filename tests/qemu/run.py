#!/usr/bin/env python3
"""VM tests: boot a real kernel with reaper as PID 1, one VM per scenario.

usage: tests/qemu/run.py [--arch arm64] KERNEL INITRD LOGDIR [SCENARIO...]

Each scenario boots with its own config (the kernel passes "-- -f FILE" to
init), watches the serial console with a hard timeout, drives the guest
where needed (QEMU monitor, console input), and checks what the console
shows. Any "FAIL", a missing summary, a timeout, "Kernel panic" or
"Attempted to kill init" fails it. Prints "ok - ..." / "not ok - ..." and
"qemu: N passed, N failed" last ("arm64-vm: ..." for --arch arm64).
"""
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ARGS = sys.argv[1:]
ARCH = "amd64"
if ARGS[:1] == ["--arch"]:
    ARCH, ARGS = ARGS[1], ARGS[2:]
KERNEL, INITRD, LOGDIR = ARGS[0:3]
ONLY = ARGS[3:]
# Per architecture: the QEMU command, the serial console, the summary word, the
# scenarios it runs (None: all; arm64 leaves out cad, as the virt board has no PC
# keyboard to send it, the watchdog ones, which load an amd64 driver module, and
# chain and cgroups, which test nothing arch-specific and would double the time),
# and the bound for one VM run under software emulation (emulating another
# instruction set is slower: arm64's main scenario took 70 s to 165 s here).
MACHINES = {
    "amd64": (["qemu-system-x86_64"], "ttyS0", "qemu", None, 300),
    "arm64": (["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57"], "ttyAMA0",
              "arm64-vm", ("main", "reboot", "halt", "emergency", "powerkey"), 600),
}
QEMU, CONSOLE, WORD, RUNS, TCG_LIMIT = MACHINES[ARCH]
# KVM only when asked: on nested hosts (this workplace's) QEMU's KVM setup can
# abort on MSR writes, while software emulation always works.
KVM = (ARCH == "amd64" and os.environ.get("QEMU_KVM") == "1"
       and os.access("/dev/kvm", os.R_OK | os.W_OK))
BOOT_LIMIT = 60 if KVM else TCG_LIMIT  # seconds for one whole VM run (a bound, not a goal)
BAD = ("Kernel panic", "Attempted to kill init")
results = []


def result(name, why):
    results.append(why is None)
    print(f"ok - {name}" if why is None else f"not ok - {name}: {why}", flush=True)


class VM:
    """One QEMU run: the console as a growing text, the monitor on a socket."""

    def __init__(self, name, conf, extra="", devices=(), reboot=False):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="reaper-vm.")
        self.mon = os.path.join(self.dir, "monitor")
        # loglevel=5: reaper's warnings reach the serial console, its info
        # lines (2000 orphans) only the kernel log, which the guest reads.
        append = (f"console={CONSOLE} panic=-1 loglevel=5 printk.devkmsg=on "
                  f"log_buf_len=1M {extra} -- -f {conf}")
        # reboot: a reboot boots the guest again (else QEMU exits at a reset).
        cmd = [*QEMU, "-nographic", *([] if reboot else ["-no-reboot"]), "-m", "256",
               "-kernel", KERNEL, "-initrd", INITRD, "-append", append,
               "-monitor", f"unix:{self.mon},server,nowait", *devices]
        if KVM:
            cmd += ["-enable-kvm", "-cpu", "host"]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT)
        self.text = ""
        self.deadline = time.monotonic() + BOOT_LIMIT

    def pump(self, timeout):
        """Read what the console has, waiting at most timeout; False at EOF."""
        r, _, _ = select.select([self.p.stdout], [], [], max(0.0, timeout))
        if not r:
            return True
        data = os.read(self.p.stdout.fileno(), 65536)
        if not data:
            return False
        self.text += data.decode("utf-8", "replace")
        return True

    def expect(self, pattern, since=0):
        """Wait until pattern shows on the console (from offset since on);
        False on timeout or exit."""
        while pattern not in self.text[since:]:
            left = self.deadline - time.monotonic()
            if left <= 0 or not self.pump(min(left, 0.5)):
                return pattern in self.text[since:]
        return True

    def command(self, line, answer, tries=10):
        """Type line into the console shell until answer shows after it (the
        guest's commands here say it again if run twice); False if never."""
        since = len(self.text)
        for _ in range(tries):
            self.type(line + "\n")
            t = min(self.deadline, time.monotonic() + 30)
            while time.monotonic() < t and answer not in self.text[since:]:
                if not self.pump(0.2):
                    return False
            if answer in self.text[since:]:
                return True
        return False

    def type(self, keys):
        self.p.stdin.write(keys.encode())
        self.p.stdin.flush()

    def monitor(self, command):
        """Run one HMP command; return once the monitor prompts again after it."""
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(max(1.0, self.deadline - time.monotonic()))
        s.connect(self.mon)
        got = b""

        def until_prompt():
            nonlocal got
            while b"(qemu) " not in got:
                data = s.recv(4096)
                if not data:
                    raise OSError(f"monitor closed before its prompt: {got[-200:]!r}")
                got += data
            got = got[got.index(b"(qemu) ") + len(b"(qemu) "):]

        try:
            until_prompt()      # the greeting
            s.sendall((command + "\n").encode())
            until_prompt()      # the command's echo and reply, then a new prompt: done
        finally:
            s.close()

    def end(self):
        """Wait for QEMU to exit by itself; its status, or None on timeout."""
        while self.p.poll() is None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.kill()
                return None
            self.pump(min(left, 0.5))
        while self.pump(0):
            pass
        return self.p.returncode

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()

    def save(self):
        with open(os.path.join(LOGDIR, f"{self.name}.log"), "w") as f:
            f.write(self.text)
        self.kill()
        shutil.rmtree(self.dir, ignore_errors=True)     # the monitor's socket

    def bad(self):
        return next((b for b in BAD if b in self.text), None)


def guest_results(vm):
    """The PASS/FAIL lines the in-guest checks printed, as results; one may
    follow a shell prompt on the same console line ("/ # PASS ...")."""
    for line in vm.text.splitlines():
        m = re.match(r"^(?:/ # \S*)?(PASS|FAIL) (.*)$", line.strip())
        if m and m.group(1) == "PASS":
            result(f"{vm.name}: {m.group(2)}", None)
        elif m:
            name, _, why = m.group(2).partition(": ")
            result(f"{vm.name}: {name}", why or "failed")


def finish(vm, checks):
    """Host-side checks: each (name, problem or None)."""
    vm.save()
    b = vm.bad()
    checks.append(("no kernel panic, init never died", b and f"console shows '{b}'"))
    for name, why in checks:
        result(f"{vm.name}: {name}", why)


def stubborn_killed(text):
    """None when the leftover whose pid the guest printed (STUBBORN N) was
    reaped killed by signal 9 after the grace was over, as reaper's own reap
    says (what the process got, not what reaper meant to send)."""
    m = re.search(r"STUBBORN (\d+)", text)
    if not m:
        return "no STUBBORN line"
    over = text.find("grace of 1000 ms is over; sent SIGKILL")
    reap = re.search(r"reaped orphan %s \(sleep\) from stubborn: killed by signal 9 \(KILL\)"
                     % m.group(1), text)
    if over < 0:
        return "no end of the grace"
    if not reap:
        lines = [l for l in text.splitlines() if "orphan %s " % m.group(1) in l]
        return f"leftover {m.group(1)}: {lines[-1:] or 'never reaped'}"
    return None if reap.start() > over else "reaped before the grace was over"


def s_main():
    vm = VM("main", "/etc/scenarios/main.conf")
    summary = vm.expect("SUMMARY main")
    status = vm.end()
    guest_results(vm)
    finish(vm, [
        ("in-guest summary printed", None if summary else "no SUMMARY line"),
        ("poweroff ran the shutdown entry", None if "shutdown-entry-ran" in vm.text
         else "no shutdown-entry-ran"),
        ("the TERM-ignoring leftover was killed by SIGKILL after the grace",
         stubborn_killed(vm.text)),
        ("poweroff powered off (QEMU exited 0)",
         None if status == 0 and "reboot: Power down" in vm.text else f"status {status}"),
    ])


def s_reboot():
    vm = VM("reboot", "/etc/scenarios/reboot.conf")
    vm.expect("READY")
    status = vm.end()
    finish(vm, [
        ("reboot ran the shutdown entry", None if "shutdown-entry-ran" in vm.text
         else "no shutdown-entry-ran"),
        ("reboot restarted (QEMU exited)", None if status == 0 and
         "reboot: Restarting system" in vm.text else f"status {status}"),
    ])


def s_halt():
    vm = VM("halt", "/etc/scenarios/halt.conf")
    halted = vm.expect("reboot: System halted")
    vm.kill()       # a halted machine keeps QEMU running
    finish(vm, [
        ("halt ran the shutdown entry", None if "shutdown-entry-ran" in vm.text
         else "no shutdown-entry-ran"),
        ("halt halted", None if halted else "no 'System halted'"),
    ])


def s_cad():
    vm = VM("cad", "/etc/scenarios/cad.conf")
    ready = vm.expect("READY-CAD")
    if ready:
        vm.monitor("sendkey ctrl-alt-delete")
    status = vm.end()
    finish(vm, [
        ("Ctrl-Alt-Del reboots", None if ready and status == 0 and
         "reboot: Restarting system" in vm.text else f"ready {ready}, status {status}"),
        ("Ctrl-Alt-Del ran the shutdown entry", None if "shutdown-entry-ran" in vm.text
         else "no shutdown-entry-ran"),
    ])


def s_emergency():
    vm = VM("emergency", "/etc/scenarios/missing.conf")
    up = vm.expect("emergency shell on the console")
    shell = False
    if up:
        for _ in range(20):     # the shell reads the console once it runs
            vm.type("echo EMERGENCY-$((6*7))\n")
            vm.deadline = max(vm.deadline, time.monotonic() + 5)
            t = time.monotonic() + 1
            while time.monotonic() < t and "EMERGENCY-42" not in vm.text:
                vm.pump(0.2)
            if "EMERGENCY-42" in vm.text:
                shell = True
                break
        vm.type("poweroff\n")
    status = vm.end()
    finish(vm, [
        ("a missing config gives the emergency shell", None if shell else "no shell answer"),
        ("poweroff from the emergency shell", None if status == 0 else f"status {status}"),
    ])


def s_chain():
    """a ready=notify, b needs=a ready=fd:3, c needs=b: the guest checks the
    start order; the stop stamps on the console must come c, b, a, each
    link seeing the one that needs it already gone."""
    vm = VM("chain", "/etc/scenarios/chain.conf")
    summary = vm.expect("SUMMARY chain")
    status = vm.end()
    guest_results(vm)
    stops = [line.strip() for line in vm.text.splitlines()
             if line.strip().startswith("chain-stop-")]
    want = ["chain-stop-c", "chain-stop-b c-gone", "chain-stop-a b-gone"]
    finish(vm, [
        ("in-guest summary printed", None if summary else "no SUMMARY line"),
        ("shutdown stopped c, then b, then a (reverse dependency order)",
         None if stops == want else f"stop stamps {stops}, want {want}"),
        ("poweroff powered off (QEMU exited 0)",
         None if status == 0 and "reboot: Power down" in vm.text else f"status {status}"),
    ])


def s_cgroups():
    """Every entry in a cgroup of its own with all controllers (reaper is PID 1):
    the guest checks limits, containment and provenance by the cgroup files and
    the log; the host checks the kernel's own word on the OOM kills."""
    vm = VM("cgroups", "/etc/scenarios/cgroups.conf")
    summary = vm.expect("SUMMARY cgroups")
    status = vm.end()
    guest_results(vm)
    kills = [line for line in vm.text.splitlines()
             if "Memory cgroup out of memory: Killed process" in line]
    finish(vm, [
        ("in-guest summary printed", None if summary else "no SUMMARY line"),
        ("the kernel's memory cgroup OOM killer killed the hog (dd), 4 times",
         None if len(kills) == 4 and all("(dd)" in k for k in kills)
         else f"{len(kills)} memory cgroup kills: {kills[:2]}"),
        ("the OOM exits reach the console as warnings",
         None if vm.text.count("hog exited with status 137, out of memory") >= 4
         else "fewer than 4 'out of memory' exits on the console"),
        ("poweroff powered off (QEMU exited 0)",
         None if status == 0 and "reboot: Power down" in vm.text else f"status {status}"),
    ])


# The i6300esb watchdog: QEMU resets the machine when it fires, and with
# -no-reboot a reset ends QEMU, without the kernel's "reboot:" line.
WATCHDOG = ("-device", "i6300esb")
WATCHDOG_S = 4      # watchdog-timeout= in the two scenarios


def s_watchdog():
    vm = VM("watchdog", "/etc/scenarios/watchdog.conf", devices=WATCHDOG)
    summary = vm.expect("SUMMARY watchdog")
    status = vm.end()
    guest_results(vm)
    finish(vm, [
        ("in-guest summary printed", None if summary else "no SUMMARY line"),
        ("a clean poweroff with the watchdog armed powers off",
         None if status == 0 and "reboot: Power down" in vm.text else f"status {status}"),
        ("the magic close disarmed it (no 'did not stop')",
         "the kernel said 'watchdog did not stop'" if "did not stop" in vm.text else None),
    ])


def s_watchdog_hang():
    vm = VM("watchdog-hang", "/etc/scenarios/watchdog-hang.conf", devices=WATCHDOG)
    frozen = vm.expect("FROZEN 1")
    # No clock: a frozen PID 1 cannot power off or reboot, so QEMU ending by
    # itself (status 0, no "reboot:" line after the freeze) is the device's
    # reset; without one it would run on until BOOT_LIMIT and be killed.
    status = vm.end()
    after = vm.text[vm.text.find("FROZEN 1"):]
    guest_results(vm)
    finish(vm, [
        ("ptrace froze PID 1", None if frozen else "no FROZEN line"),
        ("the frozen PID 1 got the machine reset by the watchdog",
         None if frozen and status == 0 and "reboot:" not in after
         else f"status {status}, after the freeze: {after[-200:]!r}"),
    ])


def s_powerkey():
    """The power key from the QEMU monitor (system_powerdown), one VM booting
    twice: ignored (the guest answers a command after it), a device that goes
    and comes back, a reload to powerkey=reboot and a press (the guest boots
    again), then a reload to the default and two presses: the first powers
    off cleanly, the second, while shutting down, asks nothing new."""
    vm = VM("powerkey", "/etc/scenarios/powerkey.conf", reboot=True)
    ready = vm.expect("PK-READY")
    ignored = answered = set_reboot = rebooted = again = set_default = twice = False
    if ready:
        vm.monitor("system_powerdown")
        ignored = vm.expect("): ignored (powerkey=ignore)")
    if ignored:
        answered = vm.command("sh /test/powerkey.sh ignored", "PK-ANSWER 42")
    if answered:
        set_reboot = vm.command("sh /test/powerkey.sh set reboot", "PK-SET reboot")
    boot1 = len(vm.text)
    if set_reboot:
        vm.monitor("system_powerdown")
        rebooted = vm.expect("reboot: Restarting system", boot1)
    boot2 = len(vm.text)
    if rebooted:
        again = vm.expect("PK-READY", boot2)
    if again:
        set_default = vm.command("sh /test/powerkey.sh set default", "PK-SET poweroff")
    off = len(vm.text)
    if set_default:
        vm.monitor("system_powerdown")
        # The slow service holds the shutdown until the second press is heard.
        # The virt board's gpio-keys line stays up 100 ms after a press, and a
        # press then is no new edge: pressed again until heard (a bound).
        twice = vm.expect("shutting down", off)
        for _ in range(20 if twice else 0):
            try:
                vm.monitor("system_powerdown")
            except OSError:     # QEMU gone: the power-off came first
                break
            t = time.monotonic() + 1
            while time.monotonic() < t and "already shutting down" not in vm.text[off:]:
                if not vm.pump(0.1):
                    break
            if "already shutting down" in vm.text[off:] or vm.p.poll() is not None:
                break
    status = vm.end()
    guest_results(vm)
    first, second, last = vm.text[boot1:boot2], vm.text[boot2:off], vm.text[off:]
    steps = (f"ready {ready}, ignored {ignored}, answered {answered}, set reboot "
             f"{set_reboot}, rebooted {rebooted}, booted again {again}, set default "
             f"{set_default}, shutting down {twice}")

    def has_all(text, *parts):
        missing = [p for p in parts if p not in text]
        return None if not missing else f"missing {missing}; {steps}"

    finish(vm, [
        ("powerkey=ignore: nothing stops, the guest answers a console command after the press",
         None if answered and "shutting down" not in vm.text[:boot1] else steps),
        ("powerkey=reboot: web stopped, the shutdown entry ran, the machine restarted",
         has_all(first, "power key pressed (/dev/input/event", "): reboot",
                 "pk-web-stopped", "shutdown-entry-ran", "reboot: Restarting system")),
        ("powerkey=reboot: the guest booted a second time",
         None if again and vm.text.count("PK-READY") == 2 else steps),
        ("default poweroff: the press stops the services, runs the shutdown entry, powers off",
         has_all(last, "): power off", "pk-web-stopped", "reaper: web exited",
                 "reaper: slow exited", "shutdown-entry-ran", "reboot: Power down")),
        # One shutdown (its kernel-log line, with a timestamp), and the second
        # press's "already shutting down" heard while the slow service held it.
        ("a second press while shutting down asks nothing new",
         has_all(last, "): already shutting down", "pk-slow-saw-second-press")
         or (None if last.count("] reaper: warning: shutting down") == 1
             else f"{last.count('] reaper: warning: shutting down')} shutdowns")),
        ("QEMU exited 0 after the power-off", None if status == 0 else f"status {status}"),
    ])


SCENARIOS = {"main": s_main, "reboot": s_reboot, "halt": s_halt, "cad": s_cad,
             "emergency": s_emergency, "chain": s_chain, "powerkey": s_powerkey, "cgroups": s_cgroups, "watchdog": s_watchdog,
             "watchdog-hang": s_watchdog_hang}

os.makedirs(LOGDIR, exist_ok=True)
for name, fn in SCENARIOS.items():
    if (not ONLY or name in ONLY) and (RUNS is None or name in RUNS):
        fn()
n_ok = sum(results)
print(f"{WORD}: {n_ok} passed, {len(results) - n_ok} failed")
sys.exit(0 if all(results) and results else 1)
