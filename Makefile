# reaper: one plain Makefile, no configure step.
.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all check lint unit ns vm fuzz fuzz-build memcheck deps install demo qemu clean bench mutants \
	container \
	bench-build bench-deps vm-arm64 check-arm64 demo-arm64 qemu-arm64

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
B        := build
A        := $(B)/arm64
ARCH     ?= amd64

MUSLCC   ?= musl-gcc
HOSTCC   ?= cc
WARN     := -Wall -Wextra -Werror
STD      := -std=c99 -D_POSIX_C_SOURCE=200809L -DREAPER_VERSION='"$(VERSION)"'
CFLAGS   ?= -Os
# Size: every function and object in its own section so the linker drops
# what nothing calls. No unwind tables (C without exceptions or backtraces
# never reads them: .eh_frame was 9 KB). -fno-pie -no-pie: the binary is a
# static ET_EXEC at a fixed address anyway, so PIC code only cost size.
# -fno-jump-tables: a switch as compares costs less code than its table
# costs .rodata (180 bytes in all). The layout is reaper.ld's: one page
# padding at most, where ld's own script with -z separate-code and RELRO
# padded three times (6.9 KB; 7.6 KB of file with the section headers).
# Measured and not used (bytes of segments, padding aside; VmHWM of
# reaper -- sleep): -Oz 1.7 KB less, the same VmHWM (SPEC says -Os);
# -flto 2.9 KB less, but its code comes out of one object, which reaper.ld
# cannot place by module: VmHWM 60 -> 132 KiB; LTO of each group apart
# only 650 bytes; -fipa-pta, -fno-inline-small-functions 60 bytes each;
# -fmerge-all-constants 32; clang 14 with musl's headers 7.7 KB more at
# -Os, 1.3 KB more at -Oz.
SIZE     := -ffunction-sections -fdata-sections -Wl,--gc-sections -fno-jump-tables \
            -fno-asynchronous-unwind-tables -fno-unwind-tables -fno-pie -no-pie
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -g -O1

LIB      := sys sysfd sysnet sysmach fmt ids log sig num opt fwd reap orphan desc end spawn catch ep loop tty word conf confset confinc match envfile load svc start run ask reload confsame confval file evt buf ctl ctlpath ctlfollow req report klog klogout wdog graph confdep plan failact ready cg cgroup owner repsvc pkey pkeys
LIB_SRC  := $(LIB:%=lib/%.c)
LIB_HDR  := $(wildcard lib/*.h)
UNITS    := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
HELPERS  := $(patsubst tests/helpers/%.c,%,$(wildcard tests/helpers/*.c))

# Debian packages the build and the tests need, with a command each proves.
DEPS     := musl-tools:musl-gcc libcmocka-dev:/usr/include/cmocka.h \
            util-linux:unshare procps:ps python3:python3 bash:bash \
            coreutils:timeout gcc:cc make:make cppcheck:cppcheck \
            qemu-system-x86:qemu-system-x86_64 busybox-static:/bin/busybox \
            cpio:cpio gzip:gzip gcc-aarch64-linux-gnu:aarch64-linux-gnu-gcc \
            qemu-system-arm:qemu-system-aarch64 clang:clang \
            libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a \
            clang-tidy:clang-tidy valgrind:valgrind podman:podman runc:runc \
            strace:strace
# The inits make bench compares reaper with; only make bench installs them.
BENCH_DEPS := tini:/usr/bin/tini-static dumb-init:dumb-init catatonit:catatonit \
              supervisor:supervisord

# make ARCH=arm64: the same binary cross-built for aarch64 into build/arm64.
ifeq ($(ARCH),arm64)
all: $(A)/reaper
else ifeq ($(ARCH),amd64)
all: $(B)/reaper
else
$(error ARCH=$(ARCH): amd64 or arm64)
endif

INIT_SRC := init/main.c init/entry.c init/boot.c init/halt.c init/system.c init/control.c

# The modules `reaper -- CMD` runs (checked with callgrind, both as PID 1 and
# not: start-up, the child, forwarded signals, reaped orphans). reaper.ld
# maps their code and constants apart from the rest, so the pages the
# entrypoint faults in, fault-around's 64 KiB included, hold nothing else.
# A module the entrypoint comes to call belongs here: else one call maps
# up to 16 pages of system-mode code (VmHWM in `make bench` shows it).
EP_MOD   := init/main init/entry init/boot lib/ep lib/loop lib/reap lib/fwd lib/orphan \
            lib/sig lib/sys lib/sysfd lib/sysmach lib/log lib/fmt lib/opt lib/spawn \
            lib/tty lib/end lib/num lib/desc lib/file lib/evt lib/catch
MOD      := $(INIT_SRC:.c=) $(LIB_SRC:.c=)
# build/ep/*.o and build/o/*.o (build/arm64/... alike): reaper.ld tells
# them apart by the directory.
OBJ       = $(EP_MOD:%=$(1)/ep/%.o) $(filter-out $(EP_MOD:%=$(1)/o/%.o),$(MOD:%=$(1)/o/%.o))
COMPILE   = $(MUSLCC) $(STD) $(WARN) $(CFLAGS) $(SIZE) -Ilib -Iinit -c -o $@ $<

$(B)/ep/%.o: %.c $(LIB_HDR) $(wildcard init/*.h) Makefile | $(B)/.deps
	@mkdir -p $(@D)
	$(COMPILE)
$(B)/o/%.o: %.c $(LIB_HDR) $(wildcard init/*.h) Makefile | $(B)/.deps
	@mkdir -p $(@D)
	$(COMPILE)
$(A)/ep/%.o: %.c $(LIB_HDR) $(wildcard init/*.h) Makefile $(A)/musl.specs
	@mkdir -p $(@D)
	$(COMPILE)
$(A)/o/%.o: %.c $(LIB_HDR) $(wildcard init/*.h) Makefile $(A)/musl.specs
	@mkdir -p $(@D)
	$(COMPILE)

# The section headers follow the code in the file (reaper.ld), so they
# would be mapped executable with its last page: the file is cut where
# the last segment ends, and e_shoff, e_shnum and e_shstrndx are zeroed.
# strip and objcopy refuse the result ("no sections"): it has nothing
# left to strip. readelf -l and gdb still read it.
$(B)/reaper: $(call OBJ,$(B))
$(A)/reaper: $(call OBJ,$(A))
$(B)/reaper $(A)/reaper: %/reaper: reaper.ld
	$(MUSLCC) $(CFLAGS) $(SIZE) -static -s -T reaper.ld -o $@ $(filter %.o,$^)
	@end=0; for e in $$(readelf -lW $@ | awk '$$1 == "LOAD" { print $$2 "+" $$5 }'); do \
		e=$$(($$e)); [ $$e -gt $$end ] && end=$$e; done; \
	printf '\000\000\000\000\000\000\000\000' | dd of=$@ bs=1 seek=40 conv=notrunc 2>/dev/null && \
	printf '\000\000\000\000' | dd of=$@ bs=1 seek=60 conv=notrunc 2>/dev/null && \
	truncate -s $$end $@
	ln -sf reaper $(@D)/reaperctl

# Unit tests: the host compiler with sanitizers, and the fake sys layer
# linked in place of lib/sys.c (test_sys alone takes the real one).
$(B)/host/%.o: lib/%.c $(LIB_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -c -o $@ $<

$(B)/host/fake_sys.o: tests/fake_sys.c tests/fake_sys.h $(LIB_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -c -o $@ $<

HOST_OBJ := $(filter-out $(B)/host/sys.o $(B)/host/sysfd.o $(B)/host/sysnet.o $(B)/host/sysmach.o,\
            $(LIB:%=$(B)/host/%.o))

$(B)/host/test_sys: tests/unit/test_sys.c $(B)/host/sys.o $(B)/host/sysfd.o $(B)/host/sysnet.o \
		$(B)/host/log.o $(B)/host/fmt.o
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -o $@ $^ -lcmocka

# test_svc brings its own spawn_service and spawn_report, so it links without spawn.o.
$(B)/host/test_svc: tests/unit/test_svc.c $(filter-out %/spawn.o,$(HOST_OBJ)) \
		$(B)/host/fake_sys.o
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -Itests -o $@ $^ -lcmocka

# test_machine drives the PID-1 glue that only touches the kernel through
# sys_*: boot's mounts and halt's reboot, against the fake layer.
$(B)/host/init_%.o: init/%.c $(LIB_HDR) $(wildcard init/*.h) | $(B)/.deps
	@mkdir -p $(@D)
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -Iinit -c -o $@ $<

$(B)/host/test_machine: tests/unit/test_machine.c $(HOST_OBJ) $(B)/host/fake_sys.o \
		$(B)/host/init_boot.o $(B)/host/init_halt.o
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -Iinit -Itests -o $@ $^ -lcmocka

# test_ctl asks init/control.c's answers of parked requests (reaperctl wait).
$(B)/host/test_ctl: tests/unit/test_ctl.c $(HOST_OBJ) $(B)/host/fake_sys.o \
		$(B)/host/init_control.o
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -Iinit -Itests -o $@ $^ -lcmocka

$(B)/host/test_%: tests/unit/test_%.c $(HOST_OBJ) $(B)/host/fake_sys.o
	$(HOSTCC) $(STD) $(WARN) $(SAN) -Ilib -Itests -o $@ $^ -lcmocka

$(B)/helpers/%: tests/helpers/%.c | $(B)/.deps
	@mkdir -p $(@D)
	$(HOSTCC) -std=c99 -D_GNU_SOURCE $(WARN) -O1 -o $@ $<

unit: $(UNITS:%=$(B)/host/%)
ns: $(B)/reaper $(HELPERS:%=$(B)/helpers/%)

# Fuzzing: clang's libFuzzer with ASan and UBSan on the pure parsers and the
# control protocol. `make check` runs each target FUZZ_TIME seconds; a long
# campaign is `make fuzz FUZZ_TIME=3600`. New inputs go to build/, not tests/.
FUZZCC   ?= clang
FUZZ_TIME ?= 45
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer -g -O1
FUZZ     := conf opt ctl
F        := $(B)/fuzz

$(F)/%.o: lib/%.c $(LIB_HDR) | $(B)/.deps
	@mkdir -p $(@D)
	$(FUZZCC) $(STD) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Ilib -c -o $@ $<

$(F)/fuzz_conf: tests/fuzz/fuzz_conf.c $(F)/conf.o $(F)/confset.o $(F)/confinc.o $(F)/match.o $(F)/confval.o $(F)/confdep.o $(F)/graph.o $(F)/word.o $(F)/num.o $(F)/sig.o $(F)/fmt.o
$(F)/fuzz_opt: tests/fuzz/fuzz_opt.c $(F)/opt.o $(F)/num.o $(F)/sig.o $(F)/fmt.o
# fuzz_ctl: the socket (ctl, loop) and the answer that runs (init/control.c)
# with the supervisor it asks; its own stub kernel stands in for lib/sys*.c.
FUZZ_CTL := ctl ctlpath ctlfollow loop req word buf evt log num fmt ids conf confset confinc match envfile confval \
            confdep confsame graph run ask svc start spawn ready cgroup cg klog klogout reap end \
            desc owner orphan plan failact reload load file report repsvc sig
$(F)/init_%.o: init/%.c $(LIB_HDR) $(wildcard init/*.h) | $(B)/.deps
	@mkdir -p $(@D)
	$(FUZZCC) $(STD) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Ilib -Iinit -c -o $@ $<

$(F)/fuzz_ctl: tests/fuzz/fuzz_ctl.c $(F)/init_control.o $(FUZZ_CTL:%=$(F)/%.o) \
		$(wildcard init/*.h)
$(F)/fuzz_%: $(LIB_HDR)
	$(FUZZCC) $(STD) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer -Ilib -Iinit -o $@ \
		$(filter %.c %.o,$^)

fuzz-build: $(FUZZ:%=$(F)/fuzz_%)

fuzz: fuzz-build
	@sh tests/fuzz/run.sh $(B) $(FUZZ_TIME) $(FUZZ)

# valgrind memcheck wants a plain host build: glibc, dynamic, -O1 -g, no ASan.
$(B)/vg/reaper: $(LIB_SRC) $(LIB_HDR) $(INIT_SRC) $(wildcard init/*.h) | $(B)/.deps
	@mkdir -p $(@D)
	$(HOSTCC) $(STD) $(WARN) -O1 -g -Ilib -Iinit -o $@ $(INIT_SRC) $(LIB_SRC)
	ln -sf reaper $(B)/vg/reaperctl

memcheck: $(B)/vg/reaper
	@bash tests/ns/valgrind.sh

# The container suite alone (tests/container, podman with runc; DEVELOPERS.md).
container: $(B)/reaper
	@REAPER=$(B)/reaper bash tests/container/run.sh

check: lint unit ns vm vm-arm64 fuzz-build $(B)/vg/reaper
	@FUZZ_TIME=$(FUZZ_TIME) sh tests/check.sh $(B) $(UNITS)

# Mutation testing (tests/mutants/list): each change applied to a scratch
# copy of the tracked files, built, and run against the tests named for it.
# MUTANTS="id id" runs some. Not part of check: about 10 minutes.
mutants: | $(B)/.deps
	@bash tests/mutants/run.sh tests/mutants/list $(MUTANTS)

# Static analysis must stay clean; a suppression carries a comment saying why.
lint: | $(B)/.deps
	cppcheck --enable=warning,style,performance,portability --std=c99 \
		--error-exitcode=1 --inline-suppr -q -Ilib -Iinit lib init
	@for f in $(LIB_SRC) $(INIT_SRC); do \
		$(HOSTCC) $(STD) $(WARN) -fanalyzer -Ilib -Iinit -c -o /dev/null $$f \
			|| exit 1; \
	done; echo "gcc -fanalyzer: clean"
	@for f in $(LIB_SRC) $(INIT_SRC); do \
		clang-tidy --quiet $$f -- $(STD) -Ilib -Iinit 2>/dev/null || exit 1; \
	done; echo "clang-tidy (checks in .clang-tidy): clean"

# Install what is missing from Debian's archive, and nothing else.
deps $(B)/.deps: Makefile
	@missing=""; for d in $(DEPS); do \
		pkg=$${d%%:*}; probe=$${d#*:}; \
		case $$probe in /*) test -e $$probe ;; \
		*) command -v $$probe >/dev/null ;; esac || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make deps: installing$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@dpkg --print-foreign-architectures | grep -qx arm64 || { \
		echo "make deps: adding arm64 to dpkg, to apt-get download its packages"; \
		dpkg --add-architecture arm64 && apt-get update -q; }
	@mkdir -p $(B) && touch $(B)/.deps

install: $(B)/reaper
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/share/man/man8
	install -m 755 $(B)/reaper $(DESTDIR)$(PREFIX)/sbin/reaper
	ln -sf reaper $(DESTDIR)$(PREFIX)/sbin/reaperctl
	install -m 644 man/reaper.8 man/reaperctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -d $(DESTDIR)$(PREFIX)/share/man/man5
	install -m 644 man/reaper.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/reaper.conf.5

# The VM: Debian's kernel (downloaded and unpacked, never installed), an
# initramfs of rootfs/ and busybox-static with reaper as /sbin/init.
Q := $(B)/qemu

$(Q)/vmlinuz: | $(B)/.deps
	@mkdir -p $(Q)
	cp "$$(sh qemu/kernel.sh $(Q))" $@

# What the VM tests add to rootfs/: the watchdog's driver from the same
# kernel package, the power key's drivers (evdev and the ACPI button, for
# /sbin/load-modules: qemu/modules.sh), freeze (ptrace) to make PID 1 hang,
# notify (READY=1 to $$NOTIFY_SOCKET) for the readiness chain, and bomb
# (forks until pids.max refuses) for the cgroups scenario.
$(Q)/overlay: $(Q)/vmlinuz qemu/modules.sh tests/vm/freeze.c tests/vm/notify.c tests/vm/bomb.c
	rm -rf $@ && mkdir -p $@/lib/modules $@/test
	sh qemu/modules.sh $(Q)/kernel $@ evdev button
	cp $(Q)/kernel/lib/modules/*/kernel/drivers/watchdog/watchdog.ko \
		$(Q)/kernel/lib/modules/*/kernel/drivers/watchdog/i6300esb.ko $@/lib/modules/
	$(MUSLCC) -std=c99 -D_GNU_SOURCE $(WARN) -Os -static -s -o $@/test/freeze tests/vm/freeze.c
	$(MUSLCC) -std=c99 -D_GNU_SOURCE $(WARN) -Os -static -s -o $@/test/notify tests/vm/notify.c
	$(MUSLCC) -std=c99 -D_GNU_SOURCE $(WARN) -Os -static -s -o $@/test/bomb tests/vm/bomb.c

$(Q)/initramfs.gz: $(B)/reaper qemu/initramfs.sh $(shell find rootfs -type f) $(Q)/overlay \
		| $(B)/.deps
	@mkdir -p $(Q)
	sh qemu/initramfs.sh $(B)/reaper $@ $(Q)/overlay

vm: $(Q)/vmlinuz $(Q)/initramfs.gz

demo: vm
	@sh qemu/boot.sh demo $(Q)/vmlinuz $(Q)/initramfs.gz

qemu: vm
	@sh qemu/boot.sh interactive $(Q)/vmlinuz $(Q)/initramfs.gz

# Benchmarks (tests/bench): markdown tables on stdout, everything else on
# stderr, so `make bench > file` is the table alone. BENCH_ONLY=MEASURE...
# runs some: footprint startup idle reap signal cgroups vm several.
BENCH_ONLY ?=
BENCH_VM := $(if $(BENCH_ONLY),$(filter vm,$(BENCH_ONLY)),vm)
BENCH    := bchild bsigsend btime bstorm

bench:
	@$(MAKE) --no-print-directory bench-build >&2
	@BUILD=$(B) python3 -B tests/bench/bench.py $(BENCH_ONLY)

bench-build: bench-deps $(B)/reaper $(BENCH:%=$(B)/bench/%) $(B)/bench/minreap \
		$(if $(BENCH_VM),$(Q)/vmlinuz $(B)/bench/vm/bench-reaper.gz)

bench-deps: | $(B)/.deps
	@$(MAKE) --no-print-directory deps DEPS='$(BENCH_DEPS)'

# The physical limit is built like reaper: static musl.
$(B)/bench/minreap: tests/bench/minreap.c | $(B)/.deps
	@mkdir -p $(@D)
	$(MUSLCC) -std=c99 $(WARN) -O2 -static -s -o $@ $<

$(B)/bench/%: tests/bench/%.c tests/bench/clock.h | $(B)/.deps
	@mkdir -p $(@D)
	$(HOSTCC) -std=c99 $(WARN) -O2 -o $@ $<

# The VM images (bench-busybox.gz, bench-busybox-stubborn.gz and
# bench-busybox-acpid.gz too) come from one run of the script.
$(B)/bench/vm/bench-reaper.gz: $(Q)/initramfs.gz tests/bench/initramfs.sh \
		$(wildcard tests/bench/vm/*)
	@mkdir -p $(@D)
	sh tests/bench/initramfs.sh $(Q)/initramfs.gz $(@D)

# arm64: Debian's cross gcc with Debian's musl for arm64 (musl-dev:arm64,
# unpacked under build/arm64/musl, never installed), through musl's own gcc
# specs file with its paths moved there; then the same VM on QEMU's virt
# board with Debian's arm64 kernel and busybox-static.
$(A)/musl.specs: | $(B)/.deps
	sh qemu/fetch.sh musl-dev:arm64 $(A)/musl
	sed 's|/usr/|$(CURDIR)/$(A)/musl/usr/|g' \
		$(A)/musl/usr/lib/aarch64-linux-musl/musl-gcc.specs >$@

$(A)/%: MUSLCC = aarch64-linux-gnu-gcc -specs $(A)/musl.specs

$(A)/qemu/vmlinuz: | $(B)/.deps
	@mkdir -p $(@D)
	cp "$$(sh qemu/kernel.sh $(@D) arm64)" $@

# The arm64 busybox goes over the host's one. The host's busybox-static names
# the applet links, as a foreign one cannot run here: Debian builds it with one
# configuration for every architecture (checked: the same 269 applets). The
# power key's drivers: evdev and gpio_keys (the virt board's PL061 GPIO
# controller is built in).
$(A)/qemu/overlay: $(A)/qemu/vmlinuz qemu/modules.sh | $(B)/.deps
	sh qemu/fetch.sh busybox-static:arm64 $(A)/busybox
	rm -rf $@ && mkdir -p $@/bin
	cp $(A)/busybox/bin/busybox $@/bin/busybox
	sh qemu/modules.sh $(A)/qemu/kernel $@ evdev gpio_keys

$(A)/qemu/initramfs.gz: $(A)/reaper qemu/initramfs.sh $(shell find rootfs -type f) \
		$(A)/qemu/overlay
	sh qemu/initramfs.sh $(A)/reaper $@ $(A)/qemu/overlay

vm-arm64: $(A)/qemu/vmlinuz $(A)/qemu/initramfs.gz

check-arm64: vm-arm64
	python3 tests/qemu/run.py --arch arm64 $(A)/qemu/vmlinuz $(A)/qemu/initramfs.gz \
		$(A)/qemu/logs

demo-arm64: vm-arm64
	@sh qemu/boot.sh demo $(A)/qemu/vmlinuz $(A)/qemu/initramfs.gz arm64

qemu-arm64: vm-arm64
	@sh qemu/boot.sh interactive $(A)/qemu/vmlinuz $(A)/qemu/initramfs.gz arm64

clean:
	rm -rf $(B)
