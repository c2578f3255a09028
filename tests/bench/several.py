"""Measure 8: several processes in one container: reaper in combined mode
with three services, beside supervisord and s6-overlay.

reaper: `reaper -f CONF -- sleep` with three services (stdout=prefix, as in a
container whose logs say who printed a line), its own peak RSS (VmHWM) once
the services are up and reaperctl status has answered; on the host and in a
podman container (runc, the settings of DEVELOPERS.md, a store of its own).
What it adds to an image is measured too: podman's size of an image of the
busybox-static rootfs with /sbin/reaper and the reaperctl symlink, less the
size of the same rootfs without them.

supervisord: Debian's `supervisor` package on the host (a Python process),
three programs and its control socket, peak RSS once they run and
`supervisorctl status` has answered. What it adds to an image: Debian's
Installed-Size of supervisor and of the Python packages it needs, read from
dpkg, not a measured image (an image that has Python already pays less).

s6-overlay is not measured: its figures are the ones its README documents
(just-containers/s6-overlay, README.md, section "Performance", at commit
9658b23e of 2026-07-16): the biggest tarball, the one with the binaries, is
"around 650 kB" (xz); unpacked, the scripts take about 120 kB and the x86_64
binaries about 5.7 MB. It documents no RSS.
"""
import os
import shutil
import subprocess
import tempfile

from common import B, REAPER, SUB, Failed, Run, children, med, poll, spread, status, table
from measures import TMP

COLS = ["reaper", "supervisord", "s6-overlay"]
CONF = """\
service web stdout=prefix sh -c 'echo web up; exec sleep 7200011'
service worker stdout=prefix sh -c 'echo worker up; exec sleep 7200012'
service cron stdout=prefix sh -c 'echo cron up; exec sleep 7200013'
"""
SUPERVISORD = """\
[supervisord]
nodaemon=true
logfile={d}/supervisord.log
pidfile={d}/supervisord.pid
childlogdir={d}

[unix_http_server]
file={d}/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{d}/supervisor.sock
"""
PROGRAM = """
[program:{name}]
command=sh -c 'echo {name} up; exec sleep {n}'
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
"""
# What Debian's supervisor needs of Python, by name (Depends, followed by hand
# for Debian 12: python3 -> python3.11 -> their -minimal and stdlib packages).
SUPERVISOR_PKGS = ["supervisor", "python3-pkg-resources", "python3", "python3-minimal",
                   "python3.11", "python3.11-minimal", "libpython3.11-minimal",
                   "libpython3.11-stdlib"]
S6_DOC = "documented: ≈650 kB (xz), ≈5.8 MB unpacked"


def installed_kib(pkgs):
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Installed-Size}\n"] + pkgs,
                         capture_output=True, text=True, check=False)
    sizes = [int(x) for x in out.stdout.split()]
    if len(sizes) != len(pkgs):
        raise Failed(f"dpkg-query: not every one of {' '.join(pkgs)} is installed")
    return sum(sizes)


def hwm_host(tag):
    """VmHWM of reaper -f CONF -- sleep on the host, KiB."""
    d = os.path.join(TMP, f"several-{tag}")
    os.makedirs(d)
    conf = os.path.join(d, "conf")
    with open(conf, "w") as f:
        f.write(f"set control={d}/sock\n" + CONF)
    r = Run([REAPER, "-f", conf, "--", "sleep", "7200010"], SUB)
    try:
        ctl = [os.path.join(os.path.dirname(REAPER), "reaperctl"), "--socket", f"{d}/sock", "status"]
        up = poll(lambda: len(children(r.init)) == 4 and subprocess.run(
            ctl, capture_output=True, text=True, check=False).stdout.count(" running ") == 3)
        if not up:
            raise Failed("reaper -f: the three services and the command never ran")
        return int(status(r.init)["VmHWM"])
    finally:
        r.stop()


def hwm_supervisord(tag):
    """VmHWM of supervisord with three programs on the host, KiB."""
    d = os.path.join(TMP, f"supervisord-{tag}")
    os.makedirs(d)
    conf = os.path.join(d, "supervisord.conf")
    with open(conf, "w") as f:
        f.write(SUPERVISORD.format(d=d))
        for i, name in enumerate(("web", "worker", "cron")):
            f.write(PROGRAM.format(name=name, n=7200021 + i))
    r = Run(["supervisord", "-c", conf], SUB)
    try:
        ctl = ["supervisorctl", "-c", conf, "status"]
        up = poll(lambda: len(children(r.init)) == 3 and subprocess.run(
            ctl, capture_output=True, text=True, check=False).stdout.count("RUNNING") == 3,
            limit=30, step=0.05)
        if not up:
            raise Failed("supervisord: the three programs never ran")
        return int(status(r.init)["VmHWM"])
    finally:
        r.stop()


class Podman:
    """podman on a store of its own under d (the settings of DEVELOPERS.md)."""

    def __init__(self, d):
        self.d = d
        os.makedirs(os.path.join(d, "tmp"))
        with open(os.path.join(d, "containers.conf"), "w") as f:
            f.write(f"""[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
netns = "none"
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "{d}/events.log"
lock_type = "file"
tmp_dir = "{d}/tmp"
static_dir = "{d}/store/libpod"
volume_path = "{d}/store/volumes"
""")
        with open(os.path.join(d, "storage.conf"), "w") as f:
            f.write(f'[storage]\ndriver = "overlay"\ngraphroot = "{d}/store"\n'
                    f'runroot = "{d}/run"\n')
        self.env = dict(os.environ, CONTAINERS_CONF=os.path.join(d, "containers.conf"),
                        CONTAINERS_STORAGE_CONF=os.path.join(d, "storage.conf"))
        if self.out("info", "--format", "{{.Store.GraphRoot}}") != os.path.join(d, "store"):
            raise Failed("podman does not use the bench's own store")
        self.ours = True

    def run(self, *args, check=True):
        p = subprocess.run(["podman", *args], env=self.env, capture_output=True, text=True,
                           timeout=120, check=False)
        if check and p.returncode != 0:
            raise Failed(f"podman {args[0]}: {p.stderr.strip()[-300:]}")
        return p

    def out(self, *args):
        return self.run(*args).stdout.strip()

    def close(self):
        if getattr(self, "ours", False):
            self.run("rm", "-f", "-a", "-t", "0", check=False)
            self.run("rmi", "-f", "-a", check=False)
        with open("/proc/self/mounts") as f:
            mounts = [l.split()[1] for l in f if l.split()[1].startswith(self.d + "/")]
        for m in sorted(mounts, reverse=True):
            subprocess.run(["umount", "-l", m], check=False)
        shutil.rmtree(self.d, ignore_errors=True)


def rootfs(d, with_reaper):
    r = os.path.join(d, "rootfs-r" if with_reaper else "rootfs")
    for sub in ("bin", "sbin", "etc", "tmp", "run", "proc", "sys", "dev"):
        os.makedirs(os.path.join(r, sub))
    shutil.copy("/bin/busybox", os.path.join(r, "bin", "busybox"))
    applets = subprocess.run(["/bin/busybox", "--list"], capture_output=True, text=True,
                             check=True).stdout.split()
    for a in applets:
        if a != "busybox":
            os.symlink("busybox", os.path.join(r, "bin", a))
    if with_reaper:
        shutil.copy(REAPER, os.path.join(r, "sbin", "reaper"))
        os.symlink("reaper", os.path.join(r, "sbin", "reaperctl"))
    tar = r + ".tar"
    # -b 1: no padding of the archive to 10 KiB records, which would round
    # the difference between the two images to 10 KiB.
    subprocess.run(["tar", "-b", "1", "-C", r, "--owner=0", "--group=0", "-cf", tar, "."],
                   check=True)
    return tar


def in_podman(rounds):
    """(image bytes reaper adds, [VmHWM of reaper in a container, KiB])."""
    if not shutil.which("podman"):
        raise Failed("podman is missing (make deps installs it)")
    d = tempfile.mkdtemp(prefix="podman.", dir=os.path.realpath(B))
    pm = None
    try:
        pm = Podman(d)
        tag = f"bench{os.getpid()}"
        sizes = {}
        for with_reaper in (False, True):
            name = f"localhost/reaper-bench-{'r' if with_reaper else 'base'}:{tag}"
            pm.run("import", "-q", "--change", "ENV PATH=/sbin:/bin", rootfs(d, with_reaper), name)
            sizes[with_reaper] = int(pm.out("image", "inspect", "--format", "{{.Size}}", name))
        ctx = os.path.join(d, "ctx")
        os.makedirs(ctx)
        with open(os.path.join(ctx, "reaper.conf"), "w") as f:
            f.write(CONF)
        with open(os.path.join(ctx, "Containerfile"), "w") as f:
            f.write(f"FROM localhost/reaper-bench-r:{tag}\nCOPY reaper.conf /etc/reaper.conf\n"
                    'ENTRYPOINT ["/sbin/reaper", "-f", "/etc/reaper.conf", "--"]\n'
                    'CMD ["sleep", "7200010"]\n')
        img = f"localhost/reaper-bench-multi:{tag}"
        pm.run("build", "-q", "--pull=never", "-t", img, ctx)
        hwm = []
        for i in range(rounds):
            c = f"{tag}-{i}"
            pm.run("run", "-d", "--pull=never", "--name", c, img)
            up = poll(lambda: pm.run("exec", c, "reaperctl", "status", check=False)
                      .stdout.count(" running ") == 3, limit=30, step=0.1)
            if not up:
                raise Failed("reaper in podman: the three services never ran")
            pid = int(pm.out("inspect", "--format", "{{.State.Pid}}", c))
            hwm.append(int(status(pid)["VmHWM"]))
            pm.run("rm", "-f", "-t", "0", c)
        return sizes[True] - sizes[False], hwm
    finally:
        if pm is not None:
            pm.close()
        else:
            shutil.rmtree(d, ignore_errors=True)


def several(rounds=3):
    if not shutil.which("supervisord"):
        raise Failed("supervisord is missing (make bench installs Debian's supervisor)")
    conf = os.path.join(TMP, "several.conf")
    with open(conf, "w") as f:
        f.write(CONF)
    check = subprocess.run([REAPER, "-n", "-f", conf], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise Failed(f"this reaper does not take the config: {check.stdout.strip()}")
    host, sup = [], []
    for rnd in range(rounds):
        host.append(hwm_host(rnd))
        sup.append(hwm_supervisord(rnd))
    added, ctr = in_podman(rounds)
    sup_kib = installed_kib(SUPERVISOR_PKGS)
    rows = [
        ("adds to an image, KiB", {"reaper": f"{added / 1024:.1f} (measured)",
                                   "supervisord": f"{sup_kib} (Debian's Installed-Size)",
                                   "s6-overlay": S6_DOC}),
        ("peak RSS of the supervisor, host, KiB", {"reaper": spread(host),
                                                   "supervisord": spread(sup),
                                                   "s6-overlay": "not documented"}),
        ("peak RSS of the supervisor, in podman, KiB", {"reaper": spread(ctr)}),
        ("  ratio to reaper on the host", {"reaper": "×1.00",
                                           "supervisord": f"×{med(sup) / med(host):.1f}"}),
    ]
    table("8. Several processes in one container",
          "Three services, each printing a line and sleeping, with the control socket "
          f"asked for status once; median (min–max) of {rounds} runs. reaper: `reaper -f "
          "CONF -- sleep` (combined mode, `stdout=prefix`), on the host and in a podman "
          "container; the image size it adds is podman's size of a busybox-static image with "
          "`/sbin/reaper` and the `reaperctl` symlink less the same image without them. "
          "supervisord: Debian's `supervisor` (Python), three programs, on the host; its size "
          f"is dpkg's Installed-Size of {', '.join(SUPERVISOR_PKGS)}, not an image. "
          "s6-overlay: not measured here; the sizes are those its README documents (the "
          "binaries' tarball around 650 kB, unpacked about 120 kB of scripts and 5.7 MB of "
          "x86_64 binaries), and it documents no RSS.", COLS, rows)
    return {("reaper", "", "several hwm"): host, ("supervisord", "", "several hwm"): sup,
            ("reaper", "", "several hwm podman"): ctr}
