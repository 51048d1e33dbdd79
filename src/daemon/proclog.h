/* proclog.h - envd's structured process log lines (process_start, process_end,
 * process_output and its truncation marker), built exactly as envd writes them
 * (../shared/protocol/envd-process-logs.md §1-3), and the output capture that cuts a
 * command's stdout/stderr into process_output records under envd's limits. Pure: no I/O;
 * envd (envd/process.c) stamps and stores what these build. */
#ifndef BOXTOPD_PROCLOG_H
#define BOXTOPD_PROCLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/buf.h"

struct cJSON;

#define PROCLOG_OUT_BYTES   (2 << 20)  /* per command, stdout + stderr line payloads */
#define PROCLOG_OUT_RECORDS 10000      /* per command */
#define PROCLOG_LINE_MAX    (64 << 10) /* longer lines are split into records of this size */
#define PROCLOG_TRUNCATED   "[output truncated: command exceeded log capture limit]"

/* Who wrote the line: the keys envd's exporter and the collector add to every line. */
struct proclog_ids {
    const char *operation_id; /* NULL: a line without one */
    const char *sandbox_id;
    const char *template_id; /* NULL -> "unknown" */
    const char *team_id;
};

/* The stored line's keys besides level and message (caller owns; NULL on ENOMEM). */
struct cJSON *proclog_start_raw(const struct proclog_ids *ids, uint32_t pid, const char *command,
                                double request_timeout_ms);
/* exit_code/signo as the runtime reports them (signo > 0: killed by that signal). */
struct cJSON *proclog_end_raw(const struct proclog_ids *ids, uint32_t pid, int exit_code, int signo,
                              uint64_t stdout_bytes, uint64_t stderr_bytes, uint64_t pty_bytes);
struct cJSON *proclog_output_raw(const struct proclog_ids *ids, uint32_t pid, bool is_stderr);

/* "cmd arg1 arg2": envd joins with single spaces, no quoting (malloc'd). */
char *proclog_command(const char *cmd, const char *const *args, size_t nargs);
/* Go's ProcessState.String(): "exit status 1", "signal: killed". */
void proclog_status_text(int exit_code, int signo, char *out, size_t n);

/* One command's output capture. */
struct proclog_out {
    struct buf part[2]; /* the unfinished line of stdout, stderr */
    int64_t budget;     /* bytes left; a line is emitted while > 0 (may overshoot by one) */
    unsigned records;
    bool truncated;
};
/* A record to store: a line (marker false) or the truncation marker (line NULL). */
typedef void (*proclog_line_cb)(void *ud, bool is_stderr, bool marker, const char *line,
                                size_t len);
void proclog_out_init(struct proclog_out *o);
void proclog_out_feed(struct proclog_out *o, bool is_stderr, const char *data, size_t n,
                      proclog_line_cb cb, void *ud);
/* At the end: the partial last lines become records. */
void proclog_out_flush(struct proclog_out *o, proclog_line_cb cb, void *ud);
void proclog_out_free(struct proclog_out *o);

#endif
