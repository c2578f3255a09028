/*
 * Unit tests: requests parked on the control socket (reaperctl wait) and
 * followers (reaperctl events --follow). lib/ctl.c parks what its answer
 * function cannot answer yet, asks it again on ctl_recheck and at its
 * deadline, and never lets waiters take every slot; it streams events to
 * followers and never waits on a slow one; init/control.c answers wait
 * from the supervisor's table. Real socketpairs, the fake clock, and a
 * poll that never sleeps.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "control.h"
#include "ctl.h"
#include "evt.h"
#include "fake_sys.h"
#include "loop.h"

static struct ctl ctl;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];

/* The stub answer function's script: wait is up once up is set. */
static bool up;
static int64_t wait_ms = -1;	/* how long a wait may take; -1: for ever */
static int asked;
static bool was_late;

static bool
answer(void *ctx, struct ctl_req *q, struct buf *out)
{
	(void)ctx;
	asked++;
	was_late = q->late;
	if (strncmp(q->line, "wait ", 5) != 0) {
		buf_add(out, "0\nyou said %s\n", q->line);
		return true;
	}
	/* Each ask gets the line as sent, though the last one cut it up. */
	assert_string_equal(q->line, "wait db");
	q->line[4] = '\0';
	if (up || q->late) {
		buf_add(out, up ? "0\ndb up\n" : "1\ntimed out waiting for db\n");
		return true;
	}
	buf_add(out, "half an answer");	/* dropped: it parks */
	q->until = wait_ms < 0 ? -1 : q->now + wait_ms;
	return false;
}

static void
setup_ctl(ctl_answer_fn *fn, void *ctx)
{
	up = false;
	wait_ms = -1;
	asked = 0;
	was_late = false;
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&ctl, &l, fn, ctx);
}

/* One wake-up of PID 1's loop at time now, then the step's recheck. */
static void
round_at(int64_t now)
{
	fake_now = now;
	loop_once(&l);
	ctl_recheck(&ctl, now);
}

/* A client in the next free slot that sent req; its end of the pair in *peer. */
static int
client(const char *req, bool may_change, int *peer)
{
	int sv[2], i;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(ctl_adopt(&ctl, sv[0], may_change, fake_now), 0);
	for (i = 0; ctl.cl[i].fd != sv[0]; i++)
		;
	assert_int_equal(write(sv[1], req, strlen(req)), (ssize_t)strlen(req));
	*peer = sv[1];
	return i;
}

/* What the client has been sent so far ("" for nothing yet). */
static const char *
got(int fd)
{
	static char b[4096];
	ssize_t n = read(fd, b, sizeof(b) - 1);

	b[n > 0 ? n : 0] = '\0';
	return b;
}

/* Answered later, when what it waits for comes: not polled, not sent, meanwhile. */
static void
test_parked_then_answered(void **state)
{
	int peer, s;

	(void)state;
	setup_ctl(answer, NULL);
	s = client("wait db\n", false, &peer);
	round_at(100);
	assert_true(ctl.cl[s].parked);
	assert_false(ctl.cl[s].answered);
	assert_int_equal(ctl.cl[s].deadline, -1);	/* no timeout: no deadline */
	assert_int_equal(loop_deadline(&l), -1);
	assert_int_equal(l.src[ctl.cl[s].lid].events, POLLPRI);
	assert_string_equal(got(peer), "");
	round_at(5000);
	round_at(3600 * 1000);		/* long past any request timeout: still waits */
	assert_int_equal(asked, 4);	/* at its read, then on each recheck */
	assert_true(ctl.cl[s].parked);
	assert_string_equal(got(peer), "");
	up = true;
	round_at(3600 * 1000 + 1);
	assert_false(was_late);
	assert_int_equal(ctl.cl[s].fd, -1);		/* all sent, let go */
	assert_string_equal(got(peer), "0\ndb up\n");
	(void)close(peer);
}

/* At its deadline a parked request is asked once more, late, and answered. */
static void
test_deadline_answers(void **state)
{
	int peer, s;

	(void)state;
	setup_ctl(answer, NULL);
	wait_ms = 500;
	s = client("wait db\n", true, &peer);
	round_at(100);
	assert_true(ctl.cl[s].parked);
	assert_int_equal(ctl.cl[s].deadline, 600);
	assert_int_equal(loop_deadline(&l), 600);
	round_at(599);
	assert_true(ctl.cl[s].parked);
	assert_false(was_late);
	assert_string_equal(got(peer), "");
	round_at(600);
	assert_true(was_late);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer), "1\ntimed out waiting for db\n");
	(void)close(peer);
}

/* A timeout of 0: a look, and the answer in the same wake-up. */
static void
test_deadline_now(void **state)
{
	int peer, s;

	(void)state;
	setup_ctl(answer, NULL);
	wait_ms = 0;
	s = client("wait db\n", true, &peer);
	fake_now = 50;
	loop_once(&l);
	assert_int_equal(asked, 2);
	assert_true(was_late);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer), "1\ntimed out waiting for db\n");
	(void)close(peer);
}

/* A waiter that hangs up frees its slot; one that only shut its sending side waits on. */
static void
test_hangup_frees_slot(void **state)
{
	struct pollfd pfd;
	int peer, s;

	(void)state;
	setup_ctl(answer, NULL);
	s = client("wait db\n", true, &peer);
	round_at(0);
	assert_true(ctl.cl[s].parked);
	assert_int_equal(shutdown(peer, SHUT_WR), 0);
	pfd.fd = ctl.cl[s].fd;
	pfd.events = (short)l.src[ctl.cl[s].lid].events;
	assert_int_equal(poll(&pfd, 1, 0), 0);	/* nothing to wake PID 1 for */
	round_at(1);
	assert_true(ctl.cl[s].parked);
	(void)close(peer);
	round_at(2);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_int_equal(l.top, 0);
	assert_int_equal(asked, 3);	/* gone: never asked again */
}

/* CTL_WAITS_MAX parked at once; the next is told so, others are still served. */
static void
test_waits_max(void **state)
{
	int peer[CTL_WAITS_MAX + 2], slot[CTL_WAITS_MAX], i, other, s;

	(void)state;
	setup_ctl(answer, NULL);
	for (i = 0; i < CTL_WAITS_MAX; i++) {
		slot[i] = client("wait db\n", false, &peer[i]);
		round_at(i);
		assert_true(ctl.cl[slot[i]].parked);
	}
	s = client("wait db\n", false, &peer[CTL_WAITS_MAX]);
	round_at(10);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer[CTL_WAITS_MAX]), "1\ntoo many waiting clients\n");
	other = client("status\n", false, &peer[CTL_WAITS_MAX + 1]);
	round_at(11);
	assert_int_equal(ctl.cl[other].fd, -1);
	assert_string_equal(got(peer[CTL_WAITS_MAX + 1]), "0\nyou said status\n");
	(void)close(peer[0]);		/* one waiter goes: room for another */
	round_at(12);
	assert_int_equal(ctl.cl[slot[0]].fd, -1);
	s = client("wait db\n", false, &peer[0]);
	round_at(13);
	assert_true(ctl.cl[s].parked);
	up = true;			/* every waiter answered at once */
	round_at(14);
	for (i = 0; i < CTL_WAITS_MAX; i++) {
		assert_string_equal(got(peer[i]), "0\ndb up\n");
		(void)close(peer[i]);
	}
	(void)close(peer[CTL_WAITS_MAX]);
	(void)close(peer[CTL_WAITS_MAX + 1]);
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		assert_int_equal(ctl.cl[i].fd, -1);
}

/* control_answer's wait, on a supervisor table whose states the test sets. */
static struct conf c;
static struct run r;
static struct control ctrl;

static void
setup_run(void)
{
	static const char text[] =
	    "service db sleep 1\n"
	    "service web sleep 2\n"
	    "once mig true\n";
	int i;

	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	run_init(&r, &c, 1, false, NULL, NULL);
	r.phase = RUN_UP;
	for (i = 0; i < c.n; i++)	/* as run_up leaves them: each waits its turn */
		svc_wait(&r.svc[i]);
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.r = &r;
	ctrl.mode = "container";
	setup_ctl(control_answer, &ctrl);
}

/* The entry called name, now in state st. */
static void
set_state(const char *name, enum svc_state st)
{
	r.svc[conf_find(&c, name)].state = st;
}

static void
test_wait_all_up(void **state)
{
	int peer, s;

	(void)state;
	setup_run();
	set_state("db", SV_STARTING);
	set_state("web", SV_WAITING);
	s = client("wait db web\n", false, &peer);	/* anyone may wait */
	round_at(0);
	assert_true(ctl.cl[s].parked);
	set_state("db", SV_RUNNING);
	round_at(10);
	assert_true(ctl.cl[s].parked);			/* web is not up yet */
	assert_string_equal(got(peer), "");
	set_state("web", SV_RUNNING);
	round_at(20);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer), "0\ndb up\nweb up\n");
	(void)close(peer);
}

/* Up at once: answered at once, never parked. A once is up when it exited 0. */
static void
test_wait_up_at_once(void **state)
{
	struct svc *mig;
	int peer, s;

	(void)state;
	setup_run();
	mig = &r.svc[conf_find(&c, "mig")];
	mig->state = SV_DONE;
	mig->last.kind = SX_EXITED;
	mig->last.code = 0;
	s = client("wait --timeout 0 mig\n", false, &peer);
	round_at(0);
	assert_false(ctl.cl[s].parked);
	assert_string_equal(got(peer), "0\nmig up\n");
	(void)close(peer);
}

static void
test_wait_failed(void **state)
{
	int peer, s;

	(void)state;
	setup_run();
	s = client("wait --timeout 1m db web\n", false, &peer);
	round_at(0);
	assert_true(ctl.cl[s].parked);
	assert_int_equal(ctl.cl[s].deadline, 60000);
	set_state("web", SV_FAILED);
	round_at(30);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer), "1\nweb failed\n");
	(void)close(peer);
}

/* The deadline names only what is not up. */
static void
test_wait_timed_out(void **state)
{
	int peer, s;

	(void)state;
	setup_run();
	set_state("web", SV_RUNNING);
	s = client("wait --timeout 2s db web mig\n", false, &peer);
	round_at(1000);
	assert_int_equal(loop_deadline(&l), 3000);
	round_at(2999);
	assert_string_equal(got(peer), "");
	round_at(3000);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer), "1\ntimed out waiting for db mig\n");
	(void)close(peer);
}

/* Unknown names and bad words are answered at once. */
static void
test_wait_refused(void **state)
{
	static const struct { const char *req, *ans; } tab_[] = {
		{ "wait db nope\n", "1\nno entry called nope\n" },
		{ "wait\n", "2\nwait wants a NAME\n" },
		{ "wait --timeout 5x db\n", "2\nwait: bad duration '5x'\n" },
		{ "wait --timeout\n", "2\nwait: --timeout wants a DURATION\n" },
		{ "wait a b c d e f g h i j k l m n o p q\n", "2\nwait takes 16 names at most\n" },
	};
	size_t i;
	int peer, s;

	(void)state;
	setup_run();
	for (i = 0; i < sizeof(tab_) / sizeof(tab_[0]); i++) {
		s = client(tab_[i].req, false, &peer);
		round_at((int64_t)i);
		assert_int_equal(ctl.cl[s].fd, -1);
		assert_string_equal(got(peer), tab_[i].ans);
		(void)close(peer);
	}
}

/* Everything the client has been sent so far, appended at *len into b. */
static void
drain(int fd, char *b, size_t size, size_t *len)
{
	ssize_t n;

	while (*len < size - 1 && (n = read(fd, b + *len, size - 1 - *len)) > 0)
		*len += (size_t)n;
	b[*len] = '\0';
}

/* How many times s occurs in b. */
static int
count(const char *b, const char *s)
{
	int n = 0;

	for (; (b = strstr(b, s)) != NULL; b += strlen(s))
		n++;
	return n;
}

/* The events counted by the missed lines of b: the numbers after key ("... " or {"missed":). */
static unsigned long
missed_in(const char *b, const char *key)
{
	unsigned long n = 0;

	for (; (b = strstr(b, key)) != NULL; b += strlen(key)) {
		const char *p = b + strlen(key);
		unsigned long k = 0;

		while (*p >= '0' && *p <= '9')
			k = k * 10 + (unsigned long)(*p++ - '0');
		n += k;
	}
	return n;
}

/* The ring first, then each new event as it is recorded; no deadline. */
static void
test_follow_ring_then_new(void **state)
{
	char b[8192];
	size_t len = 0;
	int peer, s;

	(void)state;
	setup_run();
	evt_add(100, EVT_SPAWN, "before", 7, 0);
	s = client("events --follow\n", false, &peer);	/* anyone may follow */
	round_at(100);
	assert_int_equal(ctl.cl[s].follow, CTL_FOLLOW_TEXT);
	assert_int_equal(ctl.cl[s].deadline, -1);
	drain(peer, b, sizeof(b), &len);
	assert_int_equal(strncmp(b, "0\n", 2), 0);
	assert_int_equal(count(b, "\n"), 1 + evt_count());	/* the status line, the ring */
	assert_non_null(strstr(b, "    0.000 s ago  spawned       before           pid 7       0\n"));
	assert_int_equal(strcmp(b + len - strlen("pid 7       0\n"), "pid 7       0\n"), 0);
	assert_int_equal(l.src[ctl.cl[s].lid].events, POLLPRI);	/* all sent: its hang-up alone */
	round_at(3600 * 1000);		/* long past any deadline: still there */
	assert_true(ctl.cl[s].fd >= 0);
	fake_now = 3600 * 1000 + 5;
	evt_add_from(3600 * 1000 + 5, EVT_ORPHAN, "sleep", 42, 0, "web");
	assert_int_equal(l.src[ctl.cl[s].lid].events, POLLOUT);
	assert_string_equal(got(peer), "");	/* sent from the loop, not from evt_add */
	round_at(3600 * 1000 + 5);
	assert_string_equal(got(peer), "    0.000 s ago  orphan-reaped sleep from web   pid 42      0\n");
	evt_add(3600 * 1000 + 6, EVT_STOP, "db", 9, 15);
	evt_add(3600 * 1000 + 7, EVT_EXIT, "db", 9, 143);
	round_at(3600 * 1000 + 8);
	assert_string_equal(got(peer), "    0.000 s ago  stop          db               pid 9       15\n"
	    "    0.000 s ago  exited        db               pid 9       143\n");
	(void)close(peer);
	round_at(3600 * 1000 + 9);
	assert_int_equal(ctl.cl[s].fd, -1);
}

/* With --json: one object a line for everything, the ring included. */
static void
test_follow_json(void **state)
{
	char b[CTL_RESP_MAX];
	size_t len = 0;
	int peer, s;

	(void)state;
	setup_run();
	evt_add(5, EVT_SPAWN, "web", 3, 0);
	s = client("events -f --json\n", false, &peer);
	round_at(10);
	assert_int_equal(ctl.cl[s].follow, CTL_FOLLOW_JSON);
	drain(peer, b, sizeof(b), &len);
	assert_int_equal(strncmp(b, "0\n{", 3), 0);
	assert_int_equal(count(b, "}\n"), evt_count());
	assert_int_equal(count(b, "\n{"), evt_count());
	assert_non_null(strstr(b, "\n{\"t_ms\":5,\"kind\":\"spawned\",\"name\":\"web\","
	    "\"from\":null,\"pid\":3,\"value\":0}\n"));
	evt_add_from(20, EVT_ORPHAN, "sleep", 44, 1, "web");
	round_at(20);
	assert_string_equal(got(peer), "{\"t_ms\":20,\"kind\":\"orphan-reaped\",\"name\":\"sleep\","
	    "\"from\":\"web\",\"pid\":44,\"value\":1}\n");
	(void)close(peer);
	round_at(21);
	assert_int_equal(ctl.cl[s].fd, -1);
}

/*
 * Two followers that never read, while 3000 events come: PID 1 goes on
 * (nothing blocks, a status is answered meanwhile), each buffer stays in
 * bounds, and once they read they are told how many they missed: every
 * event is either sent or counted.
 */
static void
test_follow_slow(void **state)
{
	static char tb[1 << 20], jb[1 << 20];
	size_t tl = 0, jl = 0;
	int tp, jp, ts, js, other, op, i, small = 4096;
	const int total = 3000;

	(void)state;
	setup_run();
	ts = client("events -f\n", false, &tp);
	js = client("events --json --follow\n", false, &jp);
	assert_int_equal(setsockopt(ctl.cl[ts].fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	assert_int_equal(setsockopt(ctl.cl[js].fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	round_at(0);
	assert_int_equal(ctl.cl[ts].follow, CTL_FOLLOW_TEXT);
	assert_int_equal(ctl.cl[js].follow, CTL_FOLLOW_JSON);
	for (i = 0; i < total; i++) {
		evt_add(1 + i, EVT_ORPHAN, "slow", 10000 + i, 0);
		if (i % 50 == 0)
			round_at(1 + i);
	}
	round_at(total);
	assert_true(ctl.cl[ts].missed > 0);
	assert_true(ctl.cl[js].missed > 0);
	assert_true(ctl.cl[ts].out.len <= ctl.cl[ts].out.cap);
	assert_true(ctl.cl[js].out.len <= ctl.cl[js].out.cap);
	other = client("wait --timeout 0 db\n", false, &op);
	round_at(total + 1);
	assert_int_equal(ctl.cl[other].fd, -1);
	assert_string_equal(got(op), "1\ntimed out waiting for db\n");
	(void)close(op);
	for (i = 0; i < 10000; i++) {	/* now they read, as fast as they can */
		drain(tp, tb, sizeof(tb), &tl);
		drain(jp, jb, sizeof(jb), &jl);
		round_at(total + 2 + i);
		if (ctl.cl[ts].missed == 0 && ctl.cl[js].missed == 0 &&
		    ctl.cl[ts].outoff == ctl.cl[ts].out.len &&
		    ctl.cl[js].outoff == ctl.cl[js].out.len)
			break;
	}
	drain(tp, tb, sizeof(tb), &tl);
	drain(jp, jb, sizeof(jb), &jl);
	assert_true(count(tb, "events missed\n") >= 1);
	assert_true(count(jb, "{\"missed\":") >= 1);
	assert_int_equal((unsigned long)count(tb, " slow ") + missed_in(tb, "... "),
	    (unsigned long)total);
	assert_int_equal((unsigned long)count(jb, "\"name\":\"slow\"") +
	    missed_in(jb, "{\"missed\":"), (unsigned long)total);
	assert_int_equal(count(tb, "\n"), count(tb, " s ago ") + count(tb, "missed\n") + 1);
	/* Gone with bytes still to send: the next send fails, the slot is free. */
	evt_add(total + 20000, EVT_ORPHAN, "slow", 1, 0);
	(void)close(tp);
	(void)close(jp);
	round_at(total + 20000);
	assert_int_equal(ctl.cl[ts].fd, -1);
	assert_int_equal(ctl.cl[js].fd, -1);
	assert_int_equal(l.top, 0);
}

/* At reaper's end a follower is sent what it still had coming, then let go. */
static void
test_follow_close(void **state)
{
	char b[8192];
	size_t len = 0;
	int peer, s;

	(void)state;
	setup_run();
	s = client("events -f\n", false, &peer);
	round_at(0);
	drain(peer, b, sizeof(b), &len);
	evt_add(7, EVT_SHUTDOWN, "", 0, 4);
	ctl_close(&ctl);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer), "    0.000 s ago  shutdown      -                pid 0       4\n");
	assert_int_equal(read(peer, b, sizeof(b)), 0);	/* end of file */
	evt_add(8, EVT_SPAWN, "web", 2, 0);	/* no listener now */
	(void)close(peer);
}

/* CTL_FOLLOW_MAX follow at once; the next is told so, others are served; one gone makes room. */
static void
test_follow_max(void **state)
{
	int peer[CTL_FOLLOW_MAX + 2], slot[CTL_FOLLOW_MAX], i, s, other;

	(void)state;
	setup_run();
	for (i = 0; i < CTL_FOLLOW_MAX; i++) {
		slot[i] = client(i % 2 ? "events --json -f\n" : "events -f\n", false, &peer[i]);
		round_at(i);
		assert_true(ctl.cl[slot[i]].follow != CTL_ONCE);
		assert_int_equal(strncmp(got(peer[i]), "0\n", 2), 0);
	}
	s = client("events --follow\n", true, &peer[CTL_FOLLOW_MAX]);
	round_at(10);
	assert_int_equal(ctl.cl[s].fd, -1);
	assert_string_equal(got(peer[CTL_FOLLOW_MAX]), "1\ntoo many followers\n");
	(void)close(peer[CTL_FOLLOW_MAX]);
	other = client("events\n", false, &peer[CTL_FOLLOW_MAX + 1]);
	round_at(11);
	assert_int_equal(ctl.cl[other].fd, -1);
	assert_int_equal(strncmp(got(peer[CTL_FOLLOW_MAX + 1]), "0\n", 2), 0);
	(void)close(peer[CTL_FOLLOW_MAX + 1]);
	(void)close(peer[0]);		/* a follower goes: its slot is free, room for another */
	round_at(12);
	assert_int_equal(ctl.cl[slot[0]].fd, -1);
	s = client("events -f\n", false, &peer[0]);
	round_at(13);
	assert_int_equal(ctl.cl[s].follow, CTL_FOLLOW_TEXT);
	for (i = 0; i < CTL_FOLLOW_MAX; i++)
		(void)close(peer[i]);
	round_at(14);
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		assert_int_equal(ctl.cl[i].fd, -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parked_then_answered, fake_setup),
		cmocka_unit_test_setup(test_deadline_answers, fake_setup),
		cmocka_unit_test_setup(test_deadline_now, fake_setup),
		cmocka_unit_test_setup(test_hangup_frees_slot, fake_setup),
		cmocka_unit_test_setup(test_waits_max, fake_setup),
		cmocka_unit_test_setup(test_wait_all_up, fake_setup),
		cmocka_unit_test_setup(test_wait_up_at_once, fake_setup),
		cmocka_unit_test_setup(test_wait_failed, fake_setup),
		cmocka_unit_test_setup(test_wait_timed_out, fake_setup),
		cmocka_unit_test_setup(test_wait_refused, fake_setup),
		cmocka_unit_test_setup(test_follow_ring_then_new, fake_setup),
		cmocka_unit_test_setup(test_follow_json, fake_setup),
		cmocka_unit_test_setup(test_follow_slow, fake_setup),
		cmocka_unit_test_setup(test_follow_max, fake_setup),
		cmocka_unit_test_setup(test_follow_close, fake_setup),
	};

	return cmocka_run_group_tests_name("ctl", tests, NULL, NULL);
}
