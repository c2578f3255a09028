/*
 * Users and groups from /etc/passwd and /etc/group, read in pieces through
 * sys.c and parsed here without NSS, nscd or malloc (busybox and s6 do the
 * same on small systems). A line may be of any length: the text is fed
 * byte by byte to a scanner that keeps only what the question needs.
 */
#include <errno.h>
#include <string.h>

#include "ids.h"
#include "num.h"
#include "sys.h"

#define IDS_ID_MAX	0xfffffffeUL	/* (uid_t)-1 means "no change" */

enum ids_want { IDS_BY_NAME, IDS_BY_UID, IDS_GROUP_NAME, IDS_MEMBER };

/* One question asked of one file; the line state is reset at each '\n'. */
struct ids_scan {
	enum ids_want	want;
	const char	*key;		/* the name looked for */
	unsigned long	key_id;		/* IDS_BY_UID: the uid looked for */
	unsigned	field;		/* fields are split on ':' */
	size_t		at;		/* bytes of key matched in this item */
	bool		eq;		/* this item equals key so far */
	bool		name_eq, member;
	unsigned long	num[2];		/* fields 2 and 3 as numbers */
	enum { NUM_EMPTY, NUM_OK, NUM_BAD } num_st[2];
	size_t		name_len;	/* field 0, kept for IDS_BY_UID */
	char		name[IDS_NAME_MAX + 1];
	bool		found;		/* the answer: the first line that fits */
	unsigned long	id[2];
	struct ids	*out;		/* IDS_MEMBER: its gids are added here */
	bool		too_many;
};

static void
ids_line_reset(struct ids_scan *s)
{
	s->field = 0;
	s->at = 0;
	s->eq = true;
	s->name_eq = s->member = false;
	s->num_st[0] = s->num_st[1] = NUM_EMPTY;	/* an empty field is no number */
	s->num[0] = s->num[1] = 0;
	s->name_len = 0;
}

static void
ids_start(struct ids_scan *s, enum ids_want want, const char *key, unsigned long key_id)
{
	memset(s, 0, sizeof(*s));
	s->want = want;
	s->key = key;
	s->key_id = key_id;
	ids_line_reset(s);
}

static void
ids_add_group(struct ids_scan *s, gid_t gid)
{
	int i;

	for (i = 0; i < s->out->ngroups; i++)
		if (s->out->groups[i] == gid)
			return;
	if (s->out->ngroups == IDS_GROUPS_MAX)
		s->too_many = true;
	else
		s->out->groups[s->out->ngroups++] = gid;
}

/* A whole line was read: does it answer the question? */
static void
ids_line_end(struct ids_scan *s)
{
	bool ok = s->field >= 3 && s->num_st[0] == NUM_OK && (s->want == IDS_GROUP_NAME ||
	    s->want == IDS_MEMBER || s->num_st[1] == NUM_OK);

	if (ok && !s->found) {
		if (s->want == IDS_MEMBER)
			ok = s->member;
		else if (s->want == IDS_BY_UID)
			ok = s->num[0] == s->key_id;
		else
			ok = s->name_eq;
		if (s->want != IDS_MEMBER && s->name_len > IDS_NAME_MAX)
			ok = false;	/* no name of ours is that long */
		if (ok && s->want == IDS_MEMBER) {
			ids_add_group(s, (gid_t)s->num[0]);
		} else if (ok) {
			s->found = true;
			s->id[0] = s->num[0];
			s->id[1] = s->num[1];
			s->name[s->name_len] = '\0';
		}
	}
	ids_line_reset(s);
}

/* An item ended (a field, or a member of the list in field 3). */
static void
ids_item_end(struct ids_scan *s)
{
	bool match = s->eq && s->at > 0 && s->key[s->at] == '\0';

	if (s->field == 0)
		s->name_eq = match;
	else if (s->field == 3 && s->want == IDS_MEMBER && match)
		s->member = true;
	s->at = 0;
	s->eq = true;
}

static void
ids_byte(struct ids_scan *s, char ch)
{
	if (ch == '\n') {
		ids_item_end(s);
		ids_line_end(s);
		return;
	}
	if (ch == ':' || (ch == ',' && s->field == 3)) {
		ids_item_end(s);
		s->field += ch == ':';
		return;
	}
	if (s->eq && s->key && ch != '\0' && s->key[s->at] == ch)	/* never past key's end */
		s->at++;
	else
		s->eq = false;
	if (s->field == 0 && !s->found && s->name_len <= IDS_NAME_MAX)
		s->name[s->name_len++] = ch;	/* one past the limit marks it too long */
	if ((s->field == 2 || s->field == 3) && s->num_st[s->field - 2] != NUM_BAD) {
		unsigned long *n = &s->num[s->field - 2];
		unsigned d = (unsigned)(ch - '0');

		if (d > 9 || *n > (IDS_ID_MAX - d) / 10) {
			s->num_st[s->field - 2] = NUM_BAD;	/* junk or too big */
		} else {
			*n = *n * 10 + d;
			s->num_st[s->field - 2] = NUM_OK;
		}
	}
}

static void
ids_feed(struct ids_scan *s, const char *p, size_t n)
{
	while (n-- > 0)
		ids_byte(s, *p++);
}

/* Ask path the question in s; 0, or -1 with errno if it cannot be read. */
static int
ids_file(const char *path, struct ids_scan *s)
{
	char buf[1024];
	ssize_t n;
	int fd, err;

	if ((fd = sys_open(path, 0)) < 0)
		return -1;
	while ((n = sys_read(fd, buf, sizeof(buf))) > 0)
		ids_feed(s, buf, (size_t)n);
	err = errno;
	(void)sys_close(fd);
	if (n < 0)
		return errno = err, -1;
	ids_feed(s, "\n", 1);		/* a last line without its newline */
	return 0;
}

/* A number, or a name looked up in a file; 0 or -1 with errno (ENOENT: no such name). */
static int
ids_lookup(const char *path, enum ids_want want, const char *name, unsigned long *id,
    struct ids_scan *s)
{
	ids_start(s, want, name, 0);
	if (num_ulong(name, IDS_ID_MAX, id) == 0)
		return 0;
	if (ids_file(path, s) < 0)
		return -1;
	if (!s->found)
		return errno = ENOENT, -1;
	*id = s->id[0];
	return 0;
}

/*
 * The ids to drop to for user= and group= (either may be NULL). A user
 * name gives its uid and primary gid from passwd, a number its uid and
 * the gid of its passwd line if it has one (else the same number);
 * group= replaces the gid. The supplementary groups are the gid plus
 * every group of the group file that lists the user, as initgroups(3).
 * 0, or -1 with errno: ENOENT for an unknown name, ENOBUFS when the user
 * is in more than IDS_GROUPS_MAX groups.
 */
int
ids_get(const char *passwd, const char *group, const char *user, const char *grp,
    struct ids *out)
{
	struct ids_scan s;
	unsigned long id;
	char name[IDS_NAME_MAX + 1] = "";

	memset(out, 0, sizeof(*out));
	if (user) {
		if (ids_lookup(passwd, IDS_BY_NAME, user, &id, &s) < 0)
			return -1;
		if (!s.found) {		/* a number: its line, if any, for gid and name */
			ids_start(&s, IDS_BY_UID, NULL, id);
			(void)ids_file(passwd, &s);	/* none: no more than the number */
		}
		out->user = true;
		out->uid = (uid_t)id;
		out->gid = (gid_t)(s.found ? s.id[1] : id);
		if (s.found)
			memcpy(name, s.name, sizeof(name));
	}
	if (grp) {
		if (ids_lookup(group, IDS_GROUP_NAME, grp, &id, &s) < 0)
			return -1;
		out->gid = (gid_t)id;
	}
	out->groups[0] = out->gid;
	out->ngroups = 1;
	if (name[0]) {
		ids_start(&s, IDS_MEMBER, name, 0);
		s.out = out;
		if (ids_file(group, &s) < 0 && errno != ENOENT)
			return -1;
		if (s.too_many)
			return errno = ENOBUFS, -1;
	}
	return 0;
}
