/* Reload (SIGHUP, reaperctl reload): a new config file, all or nothing. */
#include "load.h"
#include "log.h"
#include "reload.h"

/*
 * Reload (SIGHUP, reaperctl reload): the file is parsed whole into the
 * spare table first; with any error nothing changes. 0, or -1 if refused.
 */
int
reload_conf(struct run *r, const char *path, struct conf *spare, int64_t now)
{
	int n;

	if (!run_can_reload(r)) {
		log_msg(LV_WARN, "reload refused: booting, shutting down, "
		    "or still stopping for the last reload");
		return -1;
	}
	if ((n = load_conf(path, spare)) < 0) {
		log_sys(LV_ERR, "reload: unable to read %s; nothing changed", path);
		return -1;
	}
	if (n > 0) {
		load_report(path, spare);
		log_msg(LV_ERR, "reload: %d errors in %s; nothing changed", n, path);
		return -1;
	}
	run_reload(r, spare, now);
	return 0;
}
