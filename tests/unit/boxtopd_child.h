/* boxtopd_child.h - a boxtopd of its own for an end-to-end unit test: started on free loopback
 * ports with its state under the test's temporary directory, stopped (and waited for) at the
 * end, so a test leaves no process behind. */
#ifndef BOXTOP_TESTS_BOXTOPD_CHILD_H
#define BOXTOP_TESTS_BOXTOPD_CHILD_H

#include <stddef.h>
#include <sys/types.h>

struct boxtopd_child {
    pid_t pid; /* 0 = not running */
    char api_url[128], sandbox_url[128], api_key[128];
};

/* Run $abs_top_builddir/src/boxtopd --foreground with --state-dir DIR/state, its output in
 * DIR/boxtopd.log, and wait (30 s at most) until its boxtopd.json says where it listens.
 * 0, or -1 with a line on stderr. */
int boxtopd_child_start(struct boxtopd_child *c, const char *dir);

/* Append a whole file to out (nothing when it cannot be opened). */
struct buf;
void slurp_file(const char *path, struct buf *out);

/* The string value of "key" in a flat JSON text we trust the shape of (boxtopd.json, the
 * command-line mode's --json output): 0, or -1 when absent or longer than n - 1. */
int json_flat_str(const char *doc, const char *key, char *out, size_t n);

/* Create a base sandbox the way the SDK does (POST /sandboxes with curl, 600 s timeout), its
 * response kept in DIR/create.json: its id into id, its envd access token into token ("" when
 * it has none). 0, or -1 with the response on stderr. */
int boxtopd_child_create_sandbox(const struct boxtopd_child *c, const char *dir, char *id,
                                 size_t idn, char *token, size_t tokn);

/* SIGTERM, then SIGKILL after 15 s; waits for it. */
void boxtopd_child_stop(struct boxtopd_child *c);

/* The end-to-end tests' group set-up: a temporary directory from the mkdtemp template dir
 * (rewritten in place), a boxtopd in it and, when id is not NULL, one base sandbox
 * (boxtopd_child_create_sandbox). 0, or -1. */
int boxtopd_child_setup(struct boxtopd_child *c, char *dir, char *id, size_t idn, char *token,
                        size_t tokn);
/* Their group tear-down (after their sandbox is gone): boxtopd stopped, dir removed. */
void boxtopd_child_teardown(struct boxtopd_child *c, const char *dir);

#endif
