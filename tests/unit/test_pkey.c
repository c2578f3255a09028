/*
 * Unit tests: the power key. The pure part (lib/pkey.c): the capability
 * bit, event decoding, the inotify decision. The devices on the loop
 * (lib/pkeys.c) with the fake sys layer: a test's folder stands in for
 * /dev/input, FIFOs for its event nodes (the test writes input_event
 * records into them), the real inotify, and the capability ioctl answered
 * by node name.
 */
#define _GNU_SOURCE	/* mkdtemp */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "log.h"
#include "loop.h"
#include "pkey.h"
#include "pkeys.h"

#define LB	PKEY_LONG_BITS

static struct pkey_ev
ev(uint16_t type, uint16_t code, int32_t value)
{
	struct pkey_ev e;

	memset(&e, 0, sizeof(e));
	e.sec = 12;
	e.usec = 345;
	e.type = type;
	e.code = code;
	e.value = value;
	return e;
}

#define PRESS	ev(PKEY_EV_KEY, PKEY_KEY_POWER, 1)
#define RELEASE	ev(PKEY_EV_KEY, PKEY_KEY_POWER, 0)
#define REPEAT	ev(PKEY_EV_KEY, PKEY_KEY_POWER, 2)
#define SYN	ev(0, 0, 0)

/* The bit of KEY_POWER, in its unsigned long, and only with the bytes to hold it. */
static void
test_capability_bit(void **state)
{
	unsigned long bits[PKEY_BITS_LONGS];

	(void)state;
	memset(bits, 0, sizeof(bits));
	assert_false(pkey_has_power(bits, sizeof(bits)));
	bits[30 / LB] |= 1UL << (30 % LB);		/* KEY_A */
	bits[0x164 / LB] |= 1UL << (0x164 % LB);	/* KEY_POWER2 */
	bits[115 / LB] |= 1UL << (115 % LB);		/* KEY_VOLUMEUP, one below */
	bits[117 / LB] |= 1UL << (117 % LB);		/* KEY_KPEQUAL, one above */
	assert_false(pkey_has_power(bits, sizeof(bits)));	/* a keyboard without it */
	bits[116 / LB] |= 1UL << (116 % LB);
	assert_true(pkey_has_power(bits, sizeof(bits)));
	/* The ioctl wrote fewer bytes than bit 116 needs: the rest is not its answer. */
	assert_false(pkey_has_power(bits, 116 / LB * sizeof(long)));
	assert_false(pkey_has_power(bits, 0));
	assert_true(pkey_has_power(bits, (116 / LB + 1) * sizeof(long)));
	memset(bits, 0, sizeof(bits));
	bits[116 / LB] = 1UL << (116 % LB);		/* the power button alone */
	assert_true(pkey_has_power(bits, sizeof(bits)));
}

/* A press is value 1 of KEY_POWER; its release, repeats and SYN are nothing. */
static void
test_press_release_repeat(void **state)
{
	struct pkey_ev seq[] = { PRESS, SYN, REPEAT, SYN, REPEAT, RELEASE, SYN };
	struct pkey_ev other[] = {
		ev(PKEY_EV_KEY, 30, 1),			/* KEY_A pressed */
		ev(5, PKEY_KEY_POWER, 1),		/* EV_SW with the same code */
		ev(PKEY_EV_KEY, PKEY_KEY_POWER, -1),
	};
	struct pkey_dec d;
	struct pkey_ev e = PRESS;

	(void)state;
	pkey_dec_init(&d);
	assert_int_equal(pkey_feed(&d, &e, sizeof(e)), 1);
	e = RELEASE;
	assert_int_equal(pkey_feed(&d, &e, sizeof(e)), 0);
	e = REPEAT;
	assert_int_equal(pkey_feed(&d, &e, sizeof(e)), 0);
	assert_int_equal(pkey_feed(&d, seq, sizeof(seq)), 1);
	assert_int_equal(pkey_feed(&d, other, sizeof(other)), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(pkey_feed(&d, seq, 0), 0);
}

/* Short reads: an event cut anywhere is whole once the rest comes. */
static void
test_short_reads(void **state)
{
	struct pkey_ev two[] = { PRESS, RELEASE, PRESS };
	const unsigned char *b = (const unsigned char *)two;
	size_t cut, i, total = 0;
	struct pkey_dec d;

	(void)state;
	for (cut = 1; cut < sizeof(struct pkey_ev); cut++) {
		pkey_dec_init(&d);
		assert_int_equal(pkey_feed(&d, b, cut), 0);
		assert_int_equal(d.n, cut);
		assert_int_equal(pkey_feed(&d, b + cut, sizeof(two) - cut), 2);
		assert_int_equal(d.n, 0);
	}
	/* A byte at a time: each press counts when its last byte comes. */
	pkey_dec_init(&d);
	for (i = 0; i < sizeof(two); i++) {
		int n = pkey_feed(&d, b + i, 1);

		assert_int_equal(n, i == sizeof(struct pkey_ev) - 1 ||
		    i == sizeof(two) - 1 ? 1 : 0);
		total += (size_t)n;
	}
	assert_int_equal(total, 2);
	/* One and a half events, then the other half and one more. */
	pkey_dec_init(&d);
	assert_int_equal(pkey_feed(&d, b, sizeof(struct pkey_ev) * 3 / 2), 1);
	assert_int_equal(pkey_feed(&d, b + sizeof(struct pkey_ev) * 3 / 2,
	    sizeof(two) - sizeof(struct pkey_ev) * 3 / 2), 1);
}

static void
test_node_names(void **state)
{
	(void)state;
	assert_int_equal(pkey_node("event0"), 0);
	assert_int_equal(pkey_node("event12"), 12);
	assert_int_equal(pkey_node("event999999999"), 999999999);
	assert_int_equal(pkey_node("event"), -1);
	assert_int_equal(pkey_node("event1a"), -1);
	assert_int_equal(pkey_node("event-1"), -1);
	assert_int_equal(pkey_node("event1234567890"), -1);
	assert_int_equal(pkey_node("mice"), -1);
	assert_int_equal(pkey_node("mouse0"), -1);
	assert_int_equal(pkey_node("by-path"), -1);
}

/* What an inotify record asks for: a node to try, the folder, a rescan, nothing. */
static void
test_inotify_decision(void **state)
{
	(void)state;
	/* On /dev: only the folder input appearing matters. */
	assert_int_equal(pkey_pick(true, IN_CREATE | IN_ISDIR, "input"), PKP_INPUT_DIR);
	assert_int_equal(pkey_pick(true, IN_MOVED_TO | IN_ISDIR, "input"), PKP_INPUT_DIR);
	assert_int_equal(pkey_pick(true, IN_CREATE, "input"), PKP_NOTHING);	/* a file */
	assert_int_equal(pkey_pick(true, IN_CREATE | IN_ISDIR, "block"), PKP_NOTHING);
	assert_int_equal(pkey_pick(true, IN_CREATE, "event0"), PKP_NOTHING);
	/* On /dev/input: event nodes made, changed or moved in. */
	assert_int_equal(pkey_pick(false, IN_CREATE, "event3"), PKP_DEVICE);
	assert_int_equal(pkey_pick(false, IN_ATTRIB, "event3"), PKP_DEVICE);
	assert_int_equal(pkey_pick(false, IN_MOVED_TO, "event3"), PKP_DEVICE);
	assert_int_equal(pkey_pick(false, IN_DELETE, "event3"), PKP_NOTHING);
	assert_int_equal(pkey_pick(false, IN_CREATE, "mice"), PKP_NOTHING);
	assert_int_equal(pkey_pick(false, IN_CREATE, "mouse1"), PKP_NOTHING);
	assert_int_equal(pkey_pick(false, IN_CREATE | IN_ISDIR, "by-path"), PKP_NOTHING);
	assert_int_equal(pkey_pick(false, IN_CREATE | IN_ISDIR, "event4"), PKP_NOTHING);
	assert_int_equal(pkey_pick(false, IN_DELETE_SELF, ""), PKP_INPUT_GONE);
	assert_int_equal(pkey_pick(false, IN_MOVE_SELF, ""), PKP_INPUT_GONE);
	assert_int_equal(pkey_pick(false, IN_IGNORED, ""), PKP_INPUT_GONE);
	/* Lost records: look again, from either watch. */
	assert_int_equal(pkey_pick(false, IN_Q_OVERFLOW, ""), PKP_RESCAN);
	assert_int_equal(pkey_pick(true, IN_Q_OVERFLOW, ""), PKP_RESCAN);
}

/* The devices on the loop. */
static char top[] = "/tmp/reaper-pkey-XXXXXX";
static char dir[64];
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct pkeys p;
static int writer[16];		/* the test's end of each FIFO, by N */
static int presses;
static char pressed[PKEY_PATH_MAX];

static void
on_press(void *ctx, const char *path, int64_t now)
{
	(void)ctx;
	(void)now;
	presses++;
	(void)snprintf(pressed, sizeof(pressed), "%s", path);
}

static int
setup(void **state)
{
	int i;

	(void)fake_setup(state);
	if (!mkdtemp(top))
		return -1;
	(void)snprintf(dir, sizeof(dir), "%s/input", top);
	for (i = 0; i < 16; i++)
		writer[i] = -1;
	presses = 0;
	pressed[0] = '\0';
	fake_now = 0;
	loop_init(&l, tab, LOOP_SRC_MAX);
	pkeys_init(&p, &l, on_press, NULL);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];
	int i;

	(void)state;
	for (i = 0; i < PKEY_DEVS_MAX; i++)
		if (p.dev[i].fd >= 0)
			(void)close(p.dev[i].fd);
	if (p.ifd >= 0)
		(void)close(p.ifd);
	for (i = 0; i < 16; i++)
		if (writer[i] >= 0)
			(void)close(writer[i]);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
	assert_int_equal(system(cmd), 0);
	memcpy(top + strlen(top) - 6, "XXXXXX", 6);
	return 0;
}

/* eventN as a FIFO, the test holding its writing end; keys as fake_evdev's. */
static void
node(int n, int keys)
{
	char path[160], name[16];

	(void)snprintf(name, sizeof(name), "event%d", n);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	fake_evdev(name, keys);
	assert_int_equal(mkfifo(path, 0600), 0);
	writer[n] = open(path, O_RDWR | O_NONBLOCK);
	assert_true(writer[n] >= 0);
}

static void
send_bytes(int n, const void *b, size_t len)
{
	assert_int_equal(write(writer[n], b, len), (ssize_t)len);
}

static void
send_ev(int n, struct pkey_ev e)
{
	send_bytes(n, &e, sizeof(e));
}

/* One wake-up of the loop (its poll does not sleep here). */
static void
round_once(void)
{
	fake_now++;
	loop_once(&l);
}

static bool
watched(int n)
{
	int i;

	for (i = 0; i < PKEY_DEVS_MAX; i++)
		if (p.dev[i].fd >= 0 && p.dev[i].num == n)
			return true;
	return false;
}

static int
count_logged(const char *text)
{
	const char *at = fake_log_buf;
	int n = 0;

	while ((at = strstr(at, text)) != NULL) {
		n++;
		at += strlen(text);
	}
	return n;
}

/* At start, the nodes there are scanned: the one with KEY_POWER is kept. */
static void
test_scan_and_press(void **state)
{
	struct pkey_ev press = PRESS;
	char want[160];

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	node(1, 0);			/* a keyboard with no power key */
	pkeys_start(&p, dir, top);
	assert_int_equal(p.n, 1);
	assert_true(watched(0));
	assert_false(watched(1));
	assert_true(p.wd_dir >= 0);
	assert_int_equal(p.wd_parent, -1);
	(void)snprintf(want, sizeof(want), "power key: watching %s/event0 (fake event0)", dir);
	assert_true(fake_logged(want));
	round_once();
	assert_int_equal(presses, 0);	/* nothing to read: nothing happens */
	send_ev(0, press);
	send_ev(0, SYN);
	round_once();
	assert_int_equal(presses, 1);
	(void)snprintf(want, sizeof(want), "%s/event0", dir);
	assert_string_equal(pressed, want);
	send_ev(0, REPEAT);
	send_ev(0, RELEASE);
	send_ev(0, SYN);
	round_once();
	assert_int_equal(presses, 1);	/* a repeat and a release are no press */
	/* A press cut in two reads. */
	send_bytes(0, &press, 10);
	round_once();
	assert_int_equal(presses, 1);
	send_bytes(0, (const char *)&press + 10, sizeof(press) - 10);
	round_once();
	assert_int_equal(presses, 2);
	assert_int_equal(p.presses, 2);
	/* The one without the key was closed: nothing of it is on the loop. */
	send_ev(1, press);
	round_once();
	assert_int_equal(presses, 2);
}

/* No /dev/input at start: /dev is watched until it comes, then it is. */
static void
test_pickup_by_inotify(void **state)
{
	(void)state;
	pkeys_start(&p, dir, top);
	assert_int_equal(p.n, 0);
	assert_true(p.wd_parent >= 0);
	assert_int_equal(p.wd_dir, -1);
	assert_int_equal(count_logged("warning"), 0);	/* no folder yet is no fault */
	assert_int_equal(mkdir(dir, 0755), 0);
	round_once();
	assert_true(p.wd_dir >= 0);
	assert_int_equal(p.wd_parent, -1);		/* /dev no longer watched */
	node(2, 1);			/* a sysinit entry loads the driver */
	node(3, 0);
	round_once();
	assert_true(watched(2));
	assert_false(watched(3));
	assert_int_equal(p.n, 1);
	/* Its owner or mode changes (IN_ATTRIB): still one slot, not two. */
	{
		char path[160];

		(void)snprintf(path, sizeof(path), "%s/event2", dir);
		assert_int_equal(chmod(path, 0640), 0);
	}
	round_once();
	assert_int_equal(p.n, 1);
	send_ev(2, PRESS);
	round_once();
	assert_int_equal(presses, 1);
}

/* A folder and nodes made before the watch saw the folder are found by the scan. */
static void
test_folder_with_nodes_at_once(void **state)
{
	(void)state;
	pkeys_start(&p, dir, top);
	assert_int_equal(mkdir(dir, 0755), 0);
	node(4, 1);			/* before PID 1 reads the folder's IN_CREATE */
	round_once();
	assert_true(watched(4));
	assert_int_equal(p.n, 1);
}

/* A device that goes away is dropped without a word: ENODEV, or a hang-up. */
static void
test_gone_quietly(void **state)
{
	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	node(1, 1);
	pkeys_start(&p, dir, top);
	assert_int_equal(p.n, 2);
	send_ev(0, SYN);		/* ready to read; the read says ENODEV */
	fake_script("read", -1, ENODEV, 1);
	round_once();
	assert_false(watched(0));
	assert_true(watched(1));
	(void)close(writer[1]);		/* the other end gone: POLLHUP */
	writer[1] = -1;
	round_once();
	assert_false(watched(1));
	assert_int_equal(p.n, 0);
	assert_int_equal(count_logged("warning"), 0);
	assert_int_equal(count_logged("error"), 0);
	assert_true(fake_logged("event1 went away"));	/* at debug level */
}

/*
 * A bad read or ioctl: said once for that node, until a device on it is
 * watched again (then a failure is news); the loop goes on.
 */
static void
test_bad_read_and_ioctl_said_once(void **state)
{
	char path[160];

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	pkeys_start(&p, dir, top);
	send_ev(0, SYN);
	fake_script("read", -1, EIO, 1);
	round_once();
	assert_false(watched(0));	/* dropped: a failing fd would wake the loop for ever */
	assert_int_equal(count_logged("reading "), 1);
	assert_true(fake_logged("no longer watched: Input/output error"));
	/* It comes back (IN_ATTRIB) and is watched, then fails again: said again. */
	(void)snprintf(path, sizeof(path), "%s/event0", dir);
	assert_int_equal(chmod(path, 0640), 0);
	round_once();
	assert_true(watched(0));
	fake_script("read", -1, EIO, 1);
	round_once();
	assert_false(watched(0));
	assert_int_equal(count_logged("reading "), 2);
	/* Tried again, with no device watched there since: not said again. */
	fake_script("evdev_keys", -1, EIO, 1);
	assert_int_equal(chmod(path, 0600), 0);
	round_once();
	assert_false(watched(0));
	assert_int_equal(count_logged("unable to read the keys of"), 0);
	/* A node whose capability ioctl fails: said once too. */
	node(5, -EINVAL);
	round_once();
	(void)snprintf(path, sizeof(path), "%s/event5", dir);
	assert_int_equal(chmod(path, 0640), 0);
	round_once();
	assert_false(watched(5));
	assert_int_equal(count_logged("unable to read the keys of"), 1);
	/* The rest still works. */
	node(6, 1);
	round_once();
	send_ev(6, PRESS);
	round_once();
	assert_int_equal(presses, 1);
}

/* More devices with the key than the table holds: the rest said once, not watched. */
static void
test_table_full(void **state)
{
	int i;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	pkeys_start(&p, dir, top);
	for (i = 0; i < PKEY_DEVS_MAX + 2; i++)
		node(i, 1);
	round_once();
	assert_int_equal(p.n, PKEY_DEVS_MAX);
	assert_int_equal(count_logged("not watched: 8 devices are already"), 1);
	/* One goes: the next that comes takes its slot. */
	(void)close(writer[0]);
	writer[0] = -1;
	round_once();
	assert_int_equal(p.n, PKEY_DEVS_MAX - 1);
	node(12, 1);
	round_once();
	assert_int_equal(p.n, PKEY_DEVS_MAX);
	assert_true(watched(12));
}

/* /dev/input removed (its last node gone) and made again: found again. */
static void
test_folder_gone_and_back(void **state)
{
	char path[160];

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	pkeys_start(&p, dir, top);
	assert_true(watched(0));
	(void)close(writer[0]);
	writer[0] = -1;
	(void)snprintf(path, sizeof(path), "%s/event0", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	round_once();
	assert_false(watched(0));
	/* The folder's IN_DELETE_SELF comes once nothing holds a node of it: our fd. */
	round_once();
	assert_int_equal(p.wd_dir, -1);
	assert_true(p.wd_parent >= 0);	/* /dev again */
	assert_int_equal(mkdir(dir, 0755), 0);
	round_once();
	assert_true(p.wd_dir >= 0);
	node(7, 1);
	round_once();
	assert_true(watched(7));
	send_ev(7, PRESS);
	round_once();
	assert_int_equal(presses, 1);
}

/*
 * Unplugged and plugged again at once: the new device gets the same N,
 * and the new node's IN_CREATE is read before the old fd's hang-up (the
 * inotify fd is first on the loop). The new one is watched, not lost.
 */
static void
test_replug_same_number(void **state)
{
	char path[160];

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	pkeys_start(&p, dir, top);
	assert_true(watched(0));
	(void)close(writer[0]);		/* unplugged: the old fd hangs up */
	writer[0] = -1;
	(void)snprintf(path, sizeof(path), "%s/event0", dir);
	assert_int_equal(unlink(path), 0);
	node(0, 1);			/* plugged again */
	round_once();
	assert_true(watched(0));
	assert_int_equal(p.n, 1);
	round_once();
	assert_true(watched(0));
	send_ev(0, PRESS);
	round_once();
	assert_int_equal(presses, 1);
	assert_int_equal(count_logged("watching "), 2);
}

/* eventN now another device (another device number) while the old fd still
 * lives: the node's device is watched in its place. */
static void
test_node_of_another_device(void **state)
{
	char path[160], want[200];

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	pkeys_start(&p, dir, top);
	assert_true(watched(0));
	(void)snprintf(path, sizeof(path), "%s/event0", dir);
	assert_int_equal(unlink(path), 0);
	fake_evdev("null", 1);
	assert_int_equal(symlink("/dev/null", path), 0);	/* device 1:3, not a FIFO's 0 */
	round_once();
	assert_int_equal(p.n, 1);
	(void)snprintf(want, sizeof(want), "power key: watching %s (fake null)", path);
	assert_true(fake_logged(want));
	assert_true(fake_logged("event0 is another device now"));	/* the FIFO's fd closed */
}

/* Records enough to overflow the inotify queue: attribute changes of two plain files. */
static void
overflow(void)
{
	char a[160], b[160];
	long i, max = atol(fake_slurp("/proc/sys/fs/inotify/max_queued_events"));
	int fd;

	assert_true(max > 0);
	(void)snprintf(a, sizeof(a), "%s/a", dir);
	(void)snprintf(b, sizeof(b), "%s/b", dir);
	assert_true((fd = open(a, O_WRONLY | O_CREAT, 0600)) >= 0);
	(void)close(fd);
	assert_true((fd = open(b, O_WRONLY | O_CREAT, 0600)) >= 0);
	(void)close(fd);
	for (i = 0; i <= max / 2; i++) {	/* alternate: like records in a row merge */
		assert_int_equal(chmod(a, i & 1 ? 0600 : 0640), 0);
		assert_int_equal(chmod(b, i & 1 ? 0600 : 0640), 0);
	}
	assert_int_equal(unlink(a), 0);
	assert_int_equal(unlink(b), 0);
}

/* Rounds until the inotify queue is read to its end. */
static void
drain(void)
{
	struct pollfd pfd = { .fd = p.ifd, .events = POLLIN, .revents = 0 };
	int rounds = 0;

	while (poll(&pfd, 1, 0) > 0 && rounds++ < 1000000)
		round_once();
}

/*
 * The folder removed while the inotify queue is full: its last records
 * (IN_DELETE_SELF, IN_IGNORED) are lost, only IN_Q_OVERFLOW says so. The
 * rescan sets the watch again: on the folder made again, or on /dev.
 */
static void
test_overflow_loses_folder(void **state)
{
	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	pkeys_start(&p, dir, top);
	assert_true(p.wd_dir >= 0);
	overflow();
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(mkdir(dir, 0755), 0);	/* back before PID 1 reads a record */
	drain();
	node(8, 1);			/* only a watch on the new folder sees it */
	round_once();
	assert_true(watched(8));
	/* Again, the folder not back yet: /dev watched for it, as at start. */
	(void)close(writer[8]);
	writer[8] = -1;
	round_once();
	assert_false(watched(8));
	drain();
	overflow();
	{
		char path[160];

		(void)snprintf(path, sizeof(path), "%s/event8", dir);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
	drain();
	assert_int_equal(p.wd_dir, -1);
	assert_true(p.wd_parent >= 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	round_once();
	assert_true(p.wd_dir >= 0);
	node(9, 1);
	round_once();
	assert_true(watched(9));
}

/* inotify refused: the devices there now are still watched, and it is said. */
static void
test_no_inotify(void **state)
{
	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	node(0, 1);
	fake_fail("inotify", EMFILE);
	pkeys_start(&p, dir, top);
	assert_true(watched(0));
	assert_true(fake_logged("devices that come later are not seen: Too many open files"));
	send_ev(0, PRESS);
	round_once();
	assert_int_equal(presses, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capability_bit),
		cmocka_unit_test(test_press_release_repeat),
		cmocka_unit_test(test_short_reads),
		cmocka_unit_test(test_node_names),
		cmocka_unit_test(test_inotify_decision),
		cmocka_unit_test_setup_teardown(test_scan_and_press, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pickup_by_inotify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_with_nodes_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gone_quietly, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_read_and_ioctl_said_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_gone_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_inotify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replug_same_number, setup, teardown),
		cmocka_unit_test_setup_teardown(test_node_of_another_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overflow_loses_folder, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
