/*
 * The entrypoint's fast wait. While nothing is due, reaper sleeps in a
 * blocking waitid: each orphan costs that one system call, like the
 * plainest reaper, where a signal wait, a drain and a last empty wait cost
 * three. The signals to forward then come through a handler, which does
 * nothing but queue them (handlers never nest: they block everything).
 *
 * The race every handler-and-wait design has: a signal that comes after
 * the queue was found empty but before waitid sleeps would wait for the
 * next child event. So once the wait is under way (catch_waiting), the
 * handler jumps back to catch_wait, which returns; the kernel has written
 * a child's news, if the waitid got that far, into the caller's memory
 * (waitid's siginfo), so nothing is lost by jumping over its return.
 * Outside the wait, the handler returns and the interrupted call restarts
 * (SA_RESTART), as it would have with the signal blocked.
 */
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "catch.h"
#include "sig.h"

static struct sys_siginfo catch_ring[CATCH_MAX];
static volatile unsigned catch_head, catch_tail;	/* taken; queued */
static volatile sig_atomic_t catch_waiting;	/* in catch_wait, past the check */
static volatile sig_atomic_t catch_blocked;	/* the handler blocked some on return */
static uint64_t catch_set;		/* the signals caught */
static uint64_t catch_slow, catch_fast;	/* the mask outside, and inside, the fast wait */
static bool catch_armed;
static jmp_buf catch_env;

/*
 * What the handler makes of one signal: false when it is not queued. A
 * SIGTTOU or SIGTTIN from the kernel means reaper itself touched the
 * terminal from the background (a log line, tcsetpgrp): blocked, as it
 * always was, the kernel lets that through without the signal, so it is
 * blocked for the call's restart and dropped. When the queue fills, every
 * caught signal is blocked on return: the kernel keeps them meanwhile.
 * *block gets what to add to the mask on return.
 */
bool
catch_note(int sig, int code, pid_t pid, uint64_t *block)
{
	unsigned tail = catch_tail;

	if ((sig == SIGTTOU || sig == SIGTTIN) && code == SI_KERNEL) {
		*block |= SIG_BIT(sig);
		catch_blocked = 1;
		return false;
	}
	catch_ring[tail % CATCH_MAX].sig = sig;
	catch_ring[tail % CATCH_MAX].code = code;
	catch_ring[tail % CATCH_MAX].pid = pid;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	catch_tail = tail + 1;
	if (tail + 1 - catch_head == CATCH_MAX) {
		*block |= catch_set;
		catch_blocked = 1;
	}
	return true;
}

/* A fault of reaper's own, which a handler must not swallow: it would fault again forever. */
static bool
catch_fatal(int sig, int code)
{
	return code > 0 && (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
	    sig == SIGILL || sig == SIGTRAP || sig == SIGSYS);
}

void
catch_handler(int sig, siginfo_t *si, void *uc)
{
	uint64_t block = 0, mask;

	if (catch_fatal(sig, si->si_code)) {
		/* Back to the default, and the fault comes again: it ends reaper,
		 * as it did when every signal was blocked. */
		(void)sys_sig_set(sig, false);
		return;
	}
	if (catch_note(sig, si->si_code, si->si_pid, &block) && catch_waiting)
		longjmp(catch_env, 1);
	if (block) {
		ucontext_t *u = uc;

		memcpy(&mask, &u->uc_sigmask, sizeof(mask));
		mask |= block;
		memcpy(&u->uc_sigmask, &mask, sizeof(mask));
	}
}

/*
 * Catch set with the handler; slow is the mask of every other wait (all
 * blocked: those signals are read from the signalfd). -1 when one cannot
 * be caught: then the fast wait is never armed.
 */
int
catch_setup(uint64_t set, uint64_t slow)
{
	int sig;

	catch_set = set;
	catch_slow = slow;
	catch_fast = slow & ~set;
	for (sig = 1; sig <= SIG_COUNT; sig++)
		if ((set & SIG_BIT(sig)) && sys_sig_catch(sig, catch_handler) < 0)
			return -1;
	return 0;
}

/*
 * Into the fast wait's mask, or back to the slow one (every signal blocked,
 * for the signalfd). Only a change costs a system call.
 */
int
catch_arm(bool on)
{
	if (on == catch_armed)
		return 0;
	if (sys_sigmask(SIG_SETMASK, on ? &catch_fast : &catch_slow, NULL) < 0)
		return -1;
	catch_armed = on;
	catch_blocked = 0;
	return 0;
}

/*
 * Sleep until a child has news (into *got; peek: left to be reaped) or a
 * signal is caught. 1: news, 0: signals queued (catch_take), -1: waitid's
 * error (ECHILD: no child). Armed only (catch_arm(true)).
 */
int
catch_wait(struct sys_child *got, bool peek)
{
	int r;

	sys_child_clear(got);
	if (setjmp(catch_env)) {
		/* The handler jumped here with everything blocked, and so it
		 * stays until the next wait: the signal is forwarded first. */
		catch_waiting = 0;
		catch_blocked = 1;
		return sys_child_pid(got) > 0 ? 1 : 0;
	}
	catch_waiting = 1;
	if (catch_head != catch_tail) {
		catch_waiting = 0;
		return 0;
	}
	/* Blocked by the last jump, a full queue or a TTOU: open again now,
	 * past the check, so whatever the kernel kept meanwhile jumps back. */
	if (catch_blocked) {
		catch_blocked = 0;
		if (sys_sigmask(SIG_SETMASK, &catch_fast, NULL) < 0) {
			catch_waiting = 0;
			return -1;
		}
	}
	r = sys_wait_child(got, peek);
	catch_waiting = 0;
	return r;
}

/* The oldest signal caught and not yet taken. */
bool
catch_take(struct sys_siginfo *si)
{
	unsigned head = catch_head;

	if (head == catch_tail)
		return false;
	*si = catch_ring[head % CATCH_MAX];
	__atomic_signal_fence(__ATOMIC_SEQ_CST);	/* read before the slot is freed */
	catch_head = head + 1;
	return true;
}
