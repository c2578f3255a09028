/* Signal routing: rewrite (-r) first, then hold (-D), in arrival order. */
#include <signal.h>
#include <string.h>

#include "fwd.h"
#include "log.h"
#include "num.h"
#include "sig.h"

void
fwd_init(struct fwd *f, const struct opts *o)
{
	memset(f, 0, sizeof(*f));
	f->o = o;
}

static int
fwd_find(const struct fwd *f, int sig)
{
	int i;

	for (i = 0; i < f->nheld; i++)
		if (f->held[i].sig == sig)
			return i;
	return -1;
}

/*
 * What to do with sig, received at now: the signal to forward at once, or
 * 0 when it is dropped or held for later (see fwd_due).
 */
int
fwd_route(struct fwd *f, int sig, int64_t now)
{
	int64_t delay;

	if (f->o->rewrite[sig] >= 0)
		sig = f->o->rewrite[sig];
	if (sig == 0)
		return 0;
	delay = f->o->delay_ms[sig];
	if (delay == 0)
		return sig;
	/* A standard signal merges with one already held, as in the kernel. */
	if ((sig < SIGRTMIN || sig > SIGRTMAX) && fwd_find(f, sig) >= 0)
		return 0;
	if (f->nheld == HOLD_MAX) {
		char name[16];

		log_msg(LV_WARN, "too many held signals; forwarding %s now",
		    sig_name(sig, name, sizeof(name)));
		return sig;
	}
	f->held[f->nheld].sig = sig;
	f->held[f->nheld].due = now + delay;
	f->nheld++;
	return 0;
}

/* The earliest held signal due by now, taken out of the queue; 0 if none. */
int
fwd_due(struct fwd *f, int64_t now)
{
	int i, best = -1, sig;

	for (i = 0; i < f->nheld; i++)
		if (f->held[i].due <= now &&
		    (best < 0 || f->held[i].due < f->held[best].due))
			best = i;
	if (best < 0)
		return 0;
	sig = f->held[best].sig;
	memmove(&f->held[best], &f->held[best + 1],
	    (size_t)(f->nheld - best - 1) * sizeof(f->held[0]));
	f->nheld--;
	return sig;
}

/* When the next held signal is due, or -1 when none is held. */
int64_t
fwd_deadline(const struct fwd *f)
{
	int64_t dl = -1;
	int i;

	for (i = 0; i < f->nheld; i++)
		dl = num_earliest(dl, f->held[i].due);
	return dl;
}
