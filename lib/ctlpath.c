/*
 * The control socket's path when set control= is not written. Root, or a
 * container with a /run it may write, gets /run/reaper.sock. Elsewhere
 * (podman run --user 1000, no /run at all) the socket goes to a folder of
 * the user's own: $XDG_RUNTIME_DIR, or /tmp/reaper-EUID made with mode
 * 0700. Either is taken only as a real folder (lstat: never through a
 * symlink) that belongs to the euid and that nobody else may write, so
 * another user can neither see the socket, nor plant one for reaperctl to
 * trust. Once checked it cannot be swapped: /tmp is sticky (else it is
 * refused), and only the owner may rename or remove what is in it.
 * reaperctl finds it the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"
#include "ctlpath.h"
#include "fmt.h"
#include "log.h"
#include "sys.h"

#define CTLPATH_SOCK	"/reaper.sock"
#define CTLPATH_STICKY	01000		/* S_ISVTX, which POSIX without XSI does not name */

/* /tmp/reaper-EUID: the folder when $XDG_RUNTIME_DIR will not do. */
void
ctlpath_tmpdir(uid_t euid, char *dir, size_t len)
{
	(void)fmt_print(dir, len, "/tmp/reaper-%lu", (unsigned long)euid);
}

/* Whether dir/reaper.sock fits a socket's path: then it is in cp. */
static bool
ctlpath_put(struct ctlpath *cp, const char *dir)
{
	size_t n = strlen(dir);

	if (n + sizeof(CTLPATH_SOCK) > sizeof(cp->path))
		return false;
	memcpy(cp->dir, dir, n + 1);
	memcpy(cp->path, dir, n);
	memcpy(cp->path + n, CTLPATH_SOCK, sizeof(CTLPATH_SOCK));
	return true;
}

/* $XDG_RUNTIME_DIR: absolute, a folder (not a symlink) of euid's that no one else may write. */
static bool
ctlpath_xdg(const struct ctlpath_in *in)
{
	const struct ctlpath_st *st = &in->xdg_st;

	return in->xdg && in->xdg[0] == '/' && st->err == 0 && S_ISDIR(st->mode) &&
	    st->uid == in->euid && (st->mode & 022) == 0;
}

/*
 * /tmp itself: only a sticky /tmp keeps others from renaming or removing
 * the folder we checked (and putting theirs in its place). A /tmp others
 * may write that is not sticky refuses the per-user path there.
 */
static void
ctlpath_tmp_safe(const struct ctlpath_st *st, struct ctlpath *cp)
{
	if (st->err != 0)
		(void)fmt_print(cp->why, sizeof(cp->why), "/tmp: %s", strerror(st->err));
	else if (S_ISLNK(st->mode))
		(void)fmt_print(cp->why, sizeof(cp->why), "/tmp is a symlink");
	else if ((st->mode & 022) && !(st->mode & CTLPATH_STICKY))
		(void)fmt_print(cp->why, sizeof(cp->why),
		    "/tmp may be written by others and is not sticky: mode %04o", st->mode & 07777);
	else
		return;
	cp->how = CP_REFUSE;
}

/*
 * The folder /tmp/reaper-EUID, as lstat saw it (cp->dir): to be made
 * (CP_MAKE) if it is not there; if it is, only a real folder of euid's
 * with no permission at all for group or others (a folder someone else
 * made for us, or opened up, is refused, not repaired).
 */
static void
ctlpath_tmp_verdict(const struct ctlpath_st *st, uid_t euid, struct ctlpath *cp)
{
	const char *dir = cp->dir;

	cp->why[0] = '\0';
	cp->how = CP_REFUSE;
	if (st->err == ENOENT)
		cp->how = CP_MAKE;
	else if (st->err != 0)
		(void)fmt_print(cp->why, sizeof(cp->why), "%s: %s", dir, strerror(st->err));
	else if (S_ISLNK(st->mode))
		(void)fmt_print(cp->why, sizeof(cp->why), "%s is a symlink", dir);
	else if (!S_ISDIR(st->mode))
		(void)fmt_print(cp->why, sizeof(cp->why), "%s is not a folder", dir);
	else if (st->uid != euid)
		(void)fmt_print(cp->why, sizeof(cp->why), "%s belongs to uid %lu, not %lu",
		    dir, (unsigned long)st->uid, (unsigned long)euid);
	else if (st->mode & 077)
		(void)fmt_print(cp->why, sizeof(cp->why), "%s is open to others: mode %04o",
		    dir, st->mode & 07777);
	else
		cp->how = CP_USE;
}

/*
 * The choice, a pure function of its input: $XDG_RUNTIME_DIR/reaper.sock
 * if that folder will do, else /tmp/reaper-EUID/reaper.sock as its
 * folder and /tmp allow.
 */
void
ctlpath_choose(const struct ctlpath_in *in, struct ctlpath *cp)
{
	char dir[CTL_PATH_MAX];

	cp->why[0] = '\0';
	cp->how = CP_USE;
	cp->xdg = true;
	if (ctlpath_xdg(in) && ctlpath_put(cp, in->xdg))
		return;
	cp->xdg = false;
	ctlpath_tmpdir(in->euid, dir, sizeof(dir));
	(void)ctlpath_put(cp, dir);	/* fits: "/tmp/reaper-" and a number */
	ctlpath_tmp_verdict(&in->tmp_st, in->euid, cp);
	if (cp->how != CP_REFUSE)
		ctlpath_tmp_safe(&in->root_st, cp);
}

/* Whether a failure at /run/reaper.sock sends us to the per-user path: to bind, or to connect. */
bool
ctlpath_falls_back(int err, bool connecting)
{
	if (connecting)
		return err == ENOENT || err == ECONNREFUSED || err == EACCES || err == ENOTDIR;
	return err == EACCES || err == EPERM || err == EROFS || err == ENOENT;
}

static void
ctlpath_stat(const char *path, struct ctlpath_st *st)
{
	st->err = sys_link_owner(path, &st->uid, &st->mode) < 0 ? errno : 0;
}

/* What the choice is made from, for this process. */
static void
ctlpath_look(struct ctlpath_in *in)
{
	char dir[CTL_PATH_MAX];

	in->euid = sys_geteuid();
	in->xdg = getenv("XDG_RUNTIME_DIR");
	in->xdg_st.err = ENOENT;
	if (in->xdg && in->xdg[0] == '/')
		ctlpath_stat(in->xdg, &in->xdg_st);
	ctlpath_tmpdir(in->euid, dir, sizeof(dir));
	ctlpath_stat(dir, &in->tmp_st);
	ctlpath_stat("/tmp", &in->root_st);
}

/*
 * reaper's per-user socket, into cp: 0, or -1 with cp->why. A missing
 * /tmp/reaper-EUID is made, then looked at again as if it had been there
 * (someone may have been first).
 */
int
ctlpath_find(struct ctlpath *cp)
{
	struct ctlpath_in in;

	ctlpath_look(&in);
	ctlpath_choose(&in, cp);
	if (cp->how != CP_MAKE)
		return cp->how == CP_REFUSE ? -1 : 0;
	if (sys_mkdir_private(cp->dir) < 0 && errno != EEXIST) {
		(void)fmt_print(cp->why, sizeof(cp->why), "%s: %s", cp->dir, strerror(errno));
		cp->how = CP_REFUSE;
		return -1;
	}
	ctlpath_stat(cp->dir, &in.tmp_st);
	ctlpath_choose(&in, cp);
	if (cp->how == CP_MAKE) {	/* made, and gone at once */
		(void)fmt_print(cp->why, sizeof(cp->why), "%s: %s", cp->dir, strerror(ENOENT));
		cp->how = CP_REFUSE;
	}
	return cp->how == CP_USE ? 0 : -1;
}

/*
 * reaper's control socket with no set control=: /run/reaper.sock, or, if
 * it cannot be made there for want of rights or of /run, the per-user one.
 * Which one is said once, and so is having none.
 */
int
ctlpath_open(struct ctl *c, const char *group)
{
	static const char def[] = CONTROL_PATH_DEFAULT;
	gid_t gid = ctl_gid(group);
	struct ctlpath cp;
	int r = ctl_listen(c, def, gid, group), err = errno;

	if (r != -1)
		return r == 0 ? 0 : -1;
	if (!ctlpath_falls_back(err, false)) {
		log_sys(LV_WARN, "unable to listen on %s; no reaperctl", def);
		return -1;
	}
	if (ctlpath_find(&cp) < 0) {
		log_msg(LV_WARN, "no control socket: %s (%s: %s)", cp.why, def, strerror(err));
		return -1;
	}
	if ((r = ctl_listen(c, cp.path, gid, group)) == -1) {
		log_msg(LV_WARN, "no control socket: %s: %s (%s: %s)", cp.path, strerror(errno),
		    def, strerror(err));
		return -1;
	}
	if (r == 0)
		log_msg(LV_INFO, "control socket at %s (%s: %s)", cp.path, def, strerror(err));
	return r < 0 ? -1 : 0;
}

/*
 * reaperctl's per-user sockets, in the order tried: $XDG_RUNTIME_DIR's
 * when that folder will do (reaper may have run without it), then
 * /tmp/reaper-EUID's; each checked as reaper checks it. Their number.
 */
static int
ctlpath_tries(struct ctlpath cp[CTLPATH_TRIES])
{
	struct ctlpath_in in;

	ctlpath_look(&in);
	ctlpath_choose(&in, &cp[0]);
	if (!cp[0].xdg)
		return 1;
	in.xdg = NULL;
	ctlpath_choose(&in, &cp[1]);
	return 2;
}

/*
 * Connected to cp->path: whether its folder is still one checked as
 * before (else cp->why), so that it was not swapped while connecting.
 */
static bool
ctlpath_still(struct ctlpath *cp)
{
	struct ctlpath_in in = { sys_geteuid(), cp->dir, { ENOENT, 0, 0 }, { ENOENT, 0, 0 },
		{ ENOENT, 0, 0 } };
	struct ctlpath_st st;

	ctlpath_stat(cp->dir, &st);
	if (cp->xdg) {
		in.xdg_st = st;
		if (ctlpath_xdg(&in))
			return true;
		(void)fmt_print(cp->why, sizeof(cp->why), "%s is no longer a folder of uid %lu's "
		    "that only it may write", cp->dir, (unsigned long)in.euid);
		return false;
	}
	ctlpath_tmp_verdict(&st, in.euid, cp);
	if (cp->how == CP_MAKE)
		(void)fmt_print(cp->why, sizeof(cp->why), "%s: %s", cp->dir, strerror(ENOENT));
	return cp->how == CP_USE;
}

/*
 * reaperctl with no --socket: /run/reaper.sock; if nothing answers there,
 * each per-user socket in turn. A missing folder is not connected into
 * (another user could make it first, and listen there). The fd, with
 * *used the path; or -1 once said why, naming each path tried, with *rc
 * the exit status: 1 refused, 3 unreachable.
 */
int
ctlpath_connect(const char **used, int *rc)
{
	static const char def[] = CONTROL_PATH_DEFAULT;
	static struct ctlpath cp[CTLPATH_TRIES];
	char msg[LOG_LINE_MAX];
	int fd, err, i, n;
	bool refused;

	*used = def;
	if ((fd = sys_connect_unix(def, false)) >= 0)
		return fd;
	err = errno;
	refused = err == EACCES || err == EPERM;
	(void)fmt_print(msg, sizeof(msg), "%s: %s", def, strerror(err));
	n = ctlpath_falls_back(err, true) ? ctlpath_tries(cp) : 0;
	for (i = 0; i < n; i++) {
		size_t len = strlen(msg);

		if (cp[i].how == CP_REFUSE) {
			(void)fmt_print(msg + len, sizeof(msg) - len, "; %s", cp[i].why);
			continue;
		}
		fd = -1;
		errno = ENOENT;		/* CP_MAKE: no folder, so no socket */
		if (cp[i].how == CP_USE)
			fd = sys_connect_unix(cp[i].path, false);
		if (fd < 0) {
			refused |= errno == EACCES || errno == EPERM;
			(void)fmt_print(msg + len, sizeof(msg) - len, ", nor at %s: %s", cp[i].path,
			    strerror(errno));
			continue;
		}
		if (!ctlpath_still(&cp[i])) {
			(void)sys_close(fd);
			log_msg(LV_ERR, "not trusting %s: its folder changed while connecting: %s",
			    cp[i].path, cp[i].why);
			*rc = 1;
			return -1;
		}
		*used = cp[i].path;
		return fd;
	}
	log_msg(LV_ERR, "%s %s", refused ? "refused (root, reaper's own user or control-group only):" :
	    "cannot reach reaper at", msg);
	*rc = refused ? 1 : 3;
	return -1;
}
