/* postmortem.h - why a sandbox ended: the record boxtop keeps of every sandbox that left the
 * list (issue 17), its cause, the card's text, and the store on disk.
 *
 * The record is filled by the TUI (src/tui/postmortem_track.c) from what it saw (metric
 * samples, the planned end, whether the backend answered) and what it asks afterwards (the
 * lifecycle events, the last log lines, the commands history). It is kept as JSON under
 * $XDG_STATE_HOME/boxtop/postmortems/ID.json (the last PM_STORE_MAX, oldest dropped) so that
 * `:postmortem ID` and `boxtop postmortem ID` work after a restart. Strings are kept raw, as
 * the backend sent them: whoever draws or prints them sanitizes. Pure (no ncurses). */
#ifndef BOXTOP_POSTMORTEM_H
#define BOXTOP_POSTMORTEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boxtop/error.h"

#define PM_STORE_MAX 200 /* post-mortems kept on disk */
#define PM_CMDS      5   /* last commands on the card */
#define PM_LOGS      20  /* last log lines on the card */
#define PM_SAMPLES   120 /* metric samples kept (10 min at 5 s) */
#define PM_EVENTS    20  /* lifecycle events kept */

enum pm_cause {
    PM_CAUSE_PENDING = 0, /* still asking the events API */
    PM_CAUSE_REQUEST,     /* killed event, kill_reason request */
    PM_CAUSE_TIMEOUT,     /* killed event, kill_reason timeout */
    PM_CAUSE_KILLED,      /* killed event with another reason (kept in cause_detail) */
    PM_CAUSE_TTL_SEEN,    /* no event, but boxtop saw its end time pass */
    PM_CAUSE_UNREACHABLE, /* no event; the backend did not answer when it went */
    PM_CAUSE_UNKNOWN,     /* no event, no clue */
};

struct pm_sample {
    int64_t t_ms;
    double cpu_pct;
    int64_t mem_used, mem_total;
};

struct pm_cmd {
    char *command; /* as a person reads it */
    char *result;  /* "exit 1", "running", "ended with the sandbox" */
    int64_t start_ms, end_ms;
    bool failed, running;
};

struct pm_log {
    int64_t t_ms;
    char *level;
    char *msg;
};

struct pm_event {
    int64_t t_ms;
    char *type;   /* "created", "killed", ... */
    char *detail; /* "kill_reason=timeout", may be NULL */
};

struct postmortem {
    char *id;
    char *template_id; /* may be NULL */
    char *alias;       /* may be NULL */
    int cpu_count, memory_mb;
    int64_t started_ms;     /* 0 = unknown */
    int64_t planned_end_ms; /* the end time it had when last listed, 0 = unknown */
    int64_t ended_ms;       /* from the killed event, else when boxtop noticed */
    int64_t noticed_ms;     /* when the row left the list */
    bool auto_pause;        /* set to pause instead of dying */
    enum pm_cause cause;
    char *cause_detail; /* the raw kill_reason of PM_CAUSE_KILLED, may be NULL */
    bool events_failed, logs_failed, cmds_failed; /* could not ask: said on the card */
    struct pm_sample *samples;                    /* oldest first */
    int n_samples;
    struct pm_cmd *cmds; /* newest first, at most PM_CMDS */
    int n_cmds;
    struct pm_log *logs; /* oldest first, at most PM_LOGS */
    int n_logs;
    struct pm_event *events; /* oldest first, at most PM_EVENTS */
    int n_events;
};

void pm_free(struct postmortem *p);

/* The cause from the lifecycle events (p->events) and what boxtop saw (planned end,
 * unreachable): sets p->cause, p->cause_detail and, from a killed event, p->ended_ms. */
void pm_decide_cause(struct postmortem *p, bool was_unreachable);
/* One line: "time to live reached", "killed by a request", ... (translated). */
const char *pm_cause_text(const struct postmortem *p, char *buf, size_t n);
/* The memory peak of the samples: index into p->samples, -1 when none with a limit. */
int pm_mem_peak(const struct postmortem *p);

/* The card as text lines (translated, raw strings not yet sanitized: the caller does).
 * lines is filled with malloc'd strings; returns the count or -1 (ENOMEM). now_ms for ages. */
int pm_card_lines(const struct postmortem *p, char ***lines, int64_t now_ms);
void pm_lines_free(char **lines, int n);

/* JSON (cJSON is not exposed: text in, text out). */
char *pm_to_json(const struct postmortem *p); /* malloc'd, NULL on ENOMEM */
int pm_from_json(const char *text, size_t len, struct postmortem *out, struct error *err);

/* The directory (malloc'd): $XDG_STATE_HOME/boxtop/postmortems, else
 * ~/.local/state/boxtop/postmortems; NULL when neither is known. */
char *pm_store_dir(void);
/* Write p as dir/ID.json (atomically), then drop the oldest beyond PM_STORE_MAX. */
int pm_store_save(const char *dir, const struct postmortem *p, struct error *err);
/* Load by id or a unique id prefix. ERROR_NOT_FOUND when none. */
int pm_store_load(const char *dir, const char *id, struct postmortem *out, struct error *err);

#endif
