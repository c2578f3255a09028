/* Signal names and numbers: "TERM", "SIGTERM", "15", "RTMIN+2", "RTMAX-1". */
#include <signal.h>
#include <string.h>

#include "fmt.h"
#include "limits.h"
#include "num.h"
#include "sig.h"

static const struct {
	const char	*name;
	int		sig;
} sig_tab[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "ILL", SIGILL }, { "TRAP", SIGTRAP }, { "ABRT", SIGABRT },
	{ "IOT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM },
	{ "TERM", SIGTERM }, { "STKFLT", 16 }, { "CHLD", SIGCHLD },
	{ "CLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
	{ "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "POLL", SIGIO }, { "PWR", SIGPWR },
	{ "SYS", SIGSYS },
};

/* Whether a and b agree in their first n bytes, ASCII case aside. */
static bool
sig_same(const char *a, const char *b, size_t n)
{
	for (; n > 0; a++, b++, n--) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		x = x >= 'a' && x <= 'z' ? (unsigned char)(x - 32u) : x;
		y = y >= 'a' && y <= 'z' ? (unsigned char)(y - 32u) : y;

		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
	return true;
}

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N"; RTMIN is the C library's. */
static int
sig_parse_rt(const char *s)
{
	unsigned long off = 0;
	int base, sign, sig;

	if (sig_same(s, "RTMIN", 5)) {
		base = SIGRTMIN;
		sign = 1;
	} else if (sig_same(s, "RTMAX", 5)) {
		base = SIGRTMAX;
		sign = -1;
	} else
		return -1;
	s += 5;
	if (*s != '\0') {
		if (*s != (sign > 0 ? '+' : '-') || num_ulong(s + 1, SIG_COUNT, &off) < 0)
			return -1;
	}
	sig = base + sign * (int)off;
	return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
}

/* A signal number from a name or number; -1 if it is not one. */
int
sig_parse(const char *s)
{
	unsigned long n;
	size_t i;

	if (num_ulong(s, SIG_COUNT, &n) == 0)
		return n >= 1 ? (int)n : -1;
	if (sig_same(s, "SIG", 3))
		s += 3;
	for (i = 0; i < sizeof(sig_tab) / sizeof(sig_tab[0]); i++)
		if (sig_same(s, sig_tab[i].name, (size_t)-1))
			return sig_tab[i].sig;
	return sig_parse_rt(s);
}

/* The name of sig for messages: "TERM", "RTMIN+3", or the number. */
const char *
sig_name(int sig, char *buf, unsigned len)
{
	size_t i;

	for (i = 0; i < sizeof(sig_tab) / sizeof(sig_tab[0]); i++)
		if (sig_tab[i].sig == sig) {
			(void)fmt_print(buf, len, "%s", sig_tab[i].name);
			return buf;
		}
	if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		(void)fmt_print(buf, len, "RTMIN+%d", sig - SIGRTMIN);
	else
		(void)fmt_print(buf, len, "%d", sig);
	return buf;
}

/* What reaper passes on: everything catchable but SIGCHLD, its own business. */
bool
sig_forwardable(int sig)
{
	return sig >= 1 && sig <= SIG_COUNT && sig != SIGKILL &&
	    sig != SIGSTOP && sig != SIGCHLD;
}
