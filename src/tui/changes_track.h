/* changes_track.h - the sandbox side of "changed files" (issue 17), for views/view_changes.c (which
 * never talks to envd itself): marks, the watcher that sees deletions, the scan, reading a
 * file for the pager and downloading the changed files.
 *
 * A scan runs one process in the sandbox, as root, through envd: `find /` (skipping /proc,
 * /sys and /dev) for files modified after the mark (or the sandbox's start), printing
 * NUL-terminated records that are parsed as they stream in (changes.h). It works the same on
 * E2B cloud and boxtopd. Deletions cannot be found afterwards: from `m` on, a recursive
 * WatchDir on the user's home records the removals it sees, and the list says so. */
#ifndef BOXTOP_TUI_CHANGES_TRACK_H
#define BOXTOP_TUI_CHANGES_TRACK_H

#include <stddef.h>
#include <stdint.h>

#include "boxtop/changes.h"
#include "boxtop/error.h"

struct app;
struct chg_scan;

enum chg_state { CHG_CONNECTING = 0, CHG_SCANNING, CHG_DONE, CHG_CANCELLED, CHG_FAILED };

/* `m`: from now on, changes of sandbox id count from here; deletions are watched. */
void chg_mark(struct app *a, const char *id);
void chg_marks_free(struct app *a); /* app_run, at exit */

/* Something changed (entries, state, a download's progress): redraw. */
typedef void (*chg_cb)(void *ud);
struct chg_scan *chg_scan_start(struct app *a, const char *id, chg_cb cb, void *ud);
void chg_scan_cancel(struct chg_scan *s); /* stop the scan (the process is killed), keep rows */
void chg_scan_free(struct chg_scan *s);   /* cancels everything, no callback afterwards */
enum chg_state chg_scan_state(const struct chg_scan *s);
const char *chg_scan_error(const struct chg_scan *s); /* raw */
const struct chg_list *chg_scan_list(const struct chg_scan *s);
int64_t chg_scan_since(const struct chg_scan *s); /* wall ms */
int chg_scan_from_mark(const struct chg_scan *s); /* 1: since `m`, 0: since the start */
int chg_scan_watched(const struct chg_scan *s);   /* deletions were watched since the mark */

/* Read the head of a changed file for the pager: cb(fd, len, more, err, ud) once. */
typedef void (*chg_peek_cb)(int fd, size_t len, int more, const struct error *err, void *ud);
int chg_scan_peek(struct chg_scan *s, const char *path, chg_peek_cb cb, void *ud,
                  struct error *err);
/* Download paths (absolute) into dir, each at dir + its path, modes kept. */
int chg_scan_download(struct chg_scan *s, const char *dir, const char *const *paths, size_t n,
                      struct error *err);
/* "2 of 5 files, 1.2M" of the downloads, or "" when none; failed: the first error. */
void chg_scan_download_text(const struct chg_scan *s, char *out, size_t n, int *failed);

#endif
