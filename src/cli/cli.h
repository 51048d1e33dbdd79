/* cli.h - boxtop's command-line mode (`boxtop ls`, `boxtop info ID`, ...).
 *
 * main() hands argv to cli_main(): global flags are taken out first (anywhere before a
 * `--`), then the subcommand runs with its own arguments. Commands reach the backend through
 * struct cli, which they connect lazily with cli_connect(). Exit codes: CLI_EXIT_*. */
#ifndef BOXTOP_CLI_H
#define BOXTOP_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "boxtop/buf.h"
#include "boxtop/config.h"
#include "boxtop/error.h"

struct loop;
struct http;
struct api;
struct kv_list;

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_NOT_FOUND = 3,
    CLI_EXIT_AUTH = 4,
};

enum cli_output { CLI_OUT_TABLE = 0, CLI_OUT_JSON };

struct cli {
    struct config_flags flags;  /* global flags as given (point into argv) */
    const char *state_dir_flag; /* --state-dir */
    bool no_start;              /* --no-start: never start the local backend */
    struct config cfg;
    bool cfg_loaded;
    char *state_dir; /* boxtopd state dir in use */

    /* Set by cli_connect(): */
    struct loop *loop;
    struct http *http;
    struct api *api;
    char *api_url;     /* effective platform API URL */
    char *api_key;     /* SECRET: effective key (NULL = none) */
    char *sandbox_url; /* effective envd base URL, NULL = per-sandbox URL */
    char *domain;      /* sandbox domain (default e2b.app) */
    bool local;        /* using the local boxtopd */

    enum cli_output out; /* --json sets CLI_OUT_JSON (per command) */
    FILE *stdout_fp;     /* where results go (stdout) */
    FILE *stderr_fp;     /* where messages go (stderr) */
};

/* True when argv names no subcommand (only global flags and TUI options): main() then runs
 * tui_main() with the unchanged argv. */
bool cli_wants_tui(int argc, char **argv);
/* The whole command line; returns the process exit code. */
int cli_main(int argc, char **argv);

/* Take global flags (--api-key --api-url --sandbox-url --domain --context --config
 * --state-dir, as "--x V" or "--x=V") out of argv, stopping at "--". argv is compacted in
 * place and *argc updated. */
int cli_take_global_flags(struct cli *c, int *argc, char **argv, struct error *err);

/* Load the configuration and open the backend (flags/env/config key, else the running local
 * boxtopd). Idempotent. */
int cli_connect(struct cli *c, struct error *err);
void cli_free(struct cli *c);

/* Exit code for an error kind; print "boxtop: <sanitized message>" on stderr. */
int cli_exit_code(const struct error *err);
/* Print "PREFIX<message>" and, when err has one, "  detail: <detail>" under it (both
 * sanitized) on fp. */
void cli_print_error(FILE *fp, const char *prefix, const struct error *err);
int cli_fail(struct cli *c, const struct error *err); /* prints, returns the exit code */
int cli_usage_error(struct cli *c, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* `boxtop cp`'s progress line: "12.0 MiB / 40.0 MiB  30%  8.1 MiB/s  0:03  files 3/9", the
 * rate "—" until one is known (xfer_rate_known); final: without the ETA. */
struct xfer_job;
void cp_progress_text(char *out, size_t n, const struct xfer_job *j, int64_t now, bool final);

/* ---- argument parsing: getopt_long, options and positionals may mix --------------------- */

/* A command's options are a getopt_long table (struct option, <getopt.h>): an option with a
 * short form answers with that letter, a long-only one with one of these (shared, so the same
 * option has the same name in every command). */
enum cli_long_opt {
    OPT_JSON = 256,
    OPT_LEVEL,
    OPT_SEARCH,
    OPT_STATE,
    OPT_METADATA,
    OPT_CPU,
    OPT_MEMORY,
    OPT_NAME,
    OPT_URL,
    OPT_EVENTS,
    OPT_SECRET_FROM,
    OPT_ENABLE,
    OPT_DISABLE,
    OPT_DISABLED,
    OPT_USER,
};

struct cli_args {
    int argc;
    char **argv;
    int i;                /* the index of the next argument */
    bool only_positional; /* after "--" */
    bool started;         /* getopt_long has been reset for this argv */
    const char *value;    /* option value or positional */
    const char *arg;      /* the argument that gave the last item (for error messages) */
};

enum { CLI_ARG_END = -1, CLI_ARG_POSITIONAL = -2, CLI_ARG_ERROR = -3, CLI_ARG_DASHDASH = -4 };

/* argv[0] is the command name and is skipped. One argv is parsed at a time (getopt_long
 * keeps its place in libc's optind). */
void cli_args_init(struct cli_args *a, int argc, char **argv);
/* Next item: an option's val from opts (its value in a->value when it takes one), a
 * positional (CLI_ARG_POSITIONAL, a->value), CLI_ARG_DASHDASH once when "--" is seen (the
 * rest are positionals; a->i is the index after "--"), CLI_ARG_END, or CLI_ARG_ERROR with
 * err. Long options are matched whole (no abbreviations), so a typo is an error. */
int cli_args_next(struct cli_args *a, const struct option *opts, struct error *err);

/* What a "COMMAND [options] SANDBOX_ID" loop treats like every other: -h/--help (help),
 * --json, the one positional (into *id), a second one, a parse error. Returns -1 when k is
 * done with (or is the command's own option), else the exit code to return. */
int cli_args_common(struct cli *c, const char *cmd, const char *help, int k,
                    const struct cli_args *a, const struct error *err, const char **id);

/* The same for a "COMMAND [options] ARGS..." loop: -h/--help, --json, the positionals (into
 * pos[*npos], at most max), a parse error; "--" is skipped. Usage errors name argv[0]. */
int cli_args_many(struct cli *c, const char *help, int k, const struct cli_args *a,
                  const struct error *err, const char **pos, int max, int *npos);

/* "k=v" into l (key must be non-empty). */
int cli_parse_kv(const char *arg, struct kv_list *l, struct error *err);
/* "running,paused" into API_STATE_* bits. */
int cli_parse_states(const char *arg, int *states, struct error *err);
/* A non-negative integer that fits in int. */
int cli_parse_int(const char *arg, const char *what, int *out, struct error *err);

/* ---- output ------------------------------------------------------------------------------ */

struct cli_table;
struct cli_table *cli_table_new(int ncols, const char *const *headers);
/* Cells are sanitized (controls, escapes, bidi removed) when added; NULL prints as "-". */
int cli_table_add_row(struct cli_table *t, const char *const *cells);
void cli_table_print(struct cli_table *t, FILE *fp);
void cli_table_free(struct cli_table *t);
/* Print text to fp after sanitizing it (one line, '\n' appended). */
void cli_print_line(FILE *fp, const char *text);
/* Append JSON text to out with everything a terminal could act on that cJSON leaves raw
 * written as a \u escape: DEL, C1 controls (U+0080-U+009F), bidi controls; invalid UTF-8
 * becomes \ufffd. The result is equivalent JSON (cJSON already escapes C0 controls). */
int cli_json_escape_controls(struct buf *out, const char *txt, size_t len);
/* Local time "YYYY-MM-DD HH:MM:SS" of Unix ms (or "-" for 0). */
void cli_format_time(int64_t ms, char *out, size_t n);

/* Subcommands (src/cli/cmd_*.c). exec and cp live in cmd_exec.c / cmd_cp.c. */
int cli_cmd_ls(struct cli *c, int argc, char **argv);
int cli_cmd_info(struct cli *c, int argc, char **argv);
int cli_cmd_create(struct cli *c, int argc, char **argv);
int cli_cmd_lifecycle(struct cli *c, int argc, char **argv); /* kill|pause|resume */
int cli_cmd_timeout(struct cli *c, int argc, char **argv);
int cli_cmd_metrics(struct cli *c, int argc, char **argv);
int cli_cmd_logs(struct cli *c, int argc, char **argv);
int cli_cmd_postmortem(struct cli *c, int argc, char **argv); /* cmd_postmortem.c */
int cli_cmd_commands(struct cli *c, int argc, char **argv);   /* cmd_commands.c */
int cli_cmd_exec(struct cli *c, int argc, char **argv);
int cli_cmd_exec_all(struct cli *c, int argc, char **argv); /* exec --all: cmd_fleet.c */
int cli_cmd_cp(struct cli *c, int argc, char **argv);
int cli_cmd_webhook(struct cli *c, int argc, char **argv);   /* cmd_webhook.c */
int cli_cmd_snapshot(struct cli *c, int argc, char **argv);  /* cmd_snapvol.c */
int cli_cmd_snapshots(struct cli *c, int argc, char **argv); /* list | rm */
int cli_cmd_fork(struct cli *c, int argc, char **argv);
int cli_cmd_volume(struct cli *c, int argc, char **argv);   /* ls | create | rm */
int cli_cmd_template(struct cli *c, int argc, char **argv); /* cmd_template.c */

#endif
