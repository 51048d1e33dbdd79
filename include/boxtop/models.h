/* models.h - the E2B platform objects boxtop shows, and their strict JSON parsers.
 *
 * Every parser takes the raw response body, checks every field it reads (a wrong type or a
 * missing required field is ERROR_PROTOCOL with a message naming the field, e.g.
 * "sandboxes[2].cpuCount: expected a number"), and fills a struct that owns its strings.
 * Optional fields that are absent or null read as NULL / 0. Secrets (envdAccessToken,
 * trafficAccessToken) are kept for the envd client but never printed: the JSON emitters
 * here leave them out. */
#ifndef BOXTOP_MODELS_H
#define BOXTOP_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "boxtop/error.h"

struct kv {
    char *key;
    char *value;
};

struct kv_list {
    struct kv *items;
    int n;
};

int kv_list_add(struct kv_list *l, const char *key, const char *value);
const char *kv_list_get(const struct kv_list *l, const char *key);
void kv_list_free(struct kv_list *l);

enum sandbox_state {
    SANDBOX_STATE_OTHER = 0, /* a state this version does not know (kept in state_name) */
    SANDBOX_RUNNING,
    SANDBOX_PAUSED,
};

struct sandbox {
    char *id;          /* sandboxID */
    char *template_id; /* templateID */
    char *alias;       /* template alias, may be NULL */
    char *client_id;   /* deprecated, may be NULL */
    enum sandbox_state state;
    char *state_name; /* "running", "paused", ... (NULL in create/connect responses) */
    int cpu_count;
    int memory_mb;
    int disk_size_mb;
    char *envd_version;
    char *envd_access_token;    /* SECRET: never print or log */
    char *traffic_access_token; /* SECRET */
    int64_t started_at_ms;      /* 0 when absent (create/connect responses) */
    int64_t end_at_ms;
    struct kv_list metadata;
    char *domain;       /* sandbox domain override, may be NULL */
    int allow_internet; /* -1 unknown, 0, 1 (detail only) */
    char *on_timeout;   /* lifecycle.onTimeout "kill"/"pause", may be NULL */
};

struct sandbox_list {
    struct sandbox *items;
    int n;
    int skipped;                  /* items that were not valid sandboxes (left out) */
    char skip_why[ERROR_MSG_MAX]; /* the first of their errors */
};

/* GET /v2/sandboxes (array of ListedSandbox). An item that is not a valid sandbox is left
 * out and counted (skipped, skip_why): one bad item does not hide the others. */
int sandbox_list_parse(const char *text, size_t len, struct sandbox_list *out, struct error *err);
/* GET /sandboxes/{id} (SandboxDetail). */
int sandbox_detail_parse(const char *text, size_t len, struct sandbox *out, struct error *err);
/* POST /v2/sandboxes, connect (Sandbox: ids, envdVersion, tokens, domain). */
int sandbox_created_parse(const char *text, size_t len, struct sandbox *out, struct error *err);
void sandbox_free(struct sandbox *s);
void sandbox_list_free(struct sandbox_list *l);
const char *sandbox_state_name(const struct sandbox *s);

/* One metrics sample (SandboxMetric). */
struct metric_sample {
    int64_t ts; /* timestampUnix, seconds */
    int cpu_count;
    double cpu_pct;                         /* cpuUsedPct, 0..100 of the whole sandbox */
    int64_t mem_used, mem_total, mem_cache; /* bytes */
    int64_t disk_used, disk_total;          /* bytes */
};

struct metric_list {
    struct metric_sample *items;
    int n;
};

/* Latest sample of one sandbox from the batch endpoint. */
struct sandbox_metric {
    char *sandbox_id;
    struct metric_sample m;
};

struct sandbox_metric_list {
    struct sandbox_metric *items;
    int n;
};

/* GET /sandboxes/{id}/metrics (array, ascending). */
int metrics_parse(const char *text, size_t len, struct metric_list *out, struct error *err);
/* GET /sandboxes/metrics?sandbox_ids= ({"sandboxes":{"id":SandboxMetric}}). Appends to out. */
int metrics_batch_parse(const char *text, size_t len, struct sandbox_metric_list *out,
                        struct error *err);
void metric_list_free(struct metric_list *l);
void sandbox_metric_list_free(struct sandbox_metric_list *l);

enum log_entry_level {
    LOG_ENTRY_DEBUG = 0,
    LOG_ENTRY_INFO,
    LOG_ENTRY_WARN,
    LOG_ENTRY_ERROR,
};

struct log_entry {
    char *timestamp; /* as sent (RFC 3339, up to ns): the de-duplication key with message */
    int64_t ts_ms;
    enum log_entry_level level;
    char *message;
    struct kv_list fields; /* at most LOG_FIELDS_KEPT, in the order sent */
    int fields_dropped;    /* fields beyond LOG_FIELDS_KEPT, left out */
};
/* Fields kept per entry: an entry of 1 500 fields of 1 000 bytes is not worth 1.5 MB. */
#define LOG_FIELDS_KEPT 64

struct log_list {
    struct log_entry *items;
    int n;
};

/* GET /v2/sandboxes/{id}/logs ({"logs":[SandboxLogEntry]}). */
int logs_v2_parse(const char *text, size_t len, struct log_list *out, struct error *err);
/* GET /sandboxes/{id}/logs ({"logs":[{timestamp,line}],"logEntries":[...]}): the structured
 * logEntries are used. */
int logs_v1_parse(const char *text, size_t len, struct log_list *out, struct error *err);
void log_list_free(struct log_list *l);
const char *log_entry_level_name(enum log_entry_level l);
int log_entry_level_parse(const char *name, enum log_entry_level *out); /* case-insensitive */

struct template_info {
    char *id; /* templateID */
    char *build_id;
    int cpu_count, memory_mb, disk_size_mb;
    bool public_;
    char **aliases;
    int n_aliases;
    char **names;
    int n_names;
    int64_t created_at_ms, updated_at_ms, last_spawned_at_ms; /* last_spawned 0 = never */
    int64_t spawn_count;
    int build_count;
    char *envd_version;
    char *build_status; /* building|waiting|ready|error|... */
};

struct template_list {
    struct template_info *items;
    int n;
};

/* GET /v2/templates or /templates (array of Template). */
int templates_parse(const char *text, size_t len, struct template_list *out, struct error *err);
void template_list_free(struct template_list *l);

struct team_metric {
    int64_t ts; /* timestampUnix */
    int concurrent_sandboxes;
    double start_rate; /* sandboxes started per second */
};

struct team_metric_list {
    struct team_metric *items;
    int n;
};

struct team_metric_max {
    int64_t ts;
    double value;
};

int team_metrics_parse(const char *text, size_t len, struct team_metric_list *out,
                       struct error *err);
int team_metric_max_parse(const char *text, size_t len, struct team_metric_max *out,
                          struct error *err);
void team_metric_list_free(struct team_metric_list *l);

/* JSON documents for `--json` output and recordings; never contain access tokens. */
cJSON *sandbox_to_json(const struct sandbox *s);
cJSON *metric_sample_to_json(const struct metric_sample *m);
cJSON *log_entry_to_json(const struct log_entry *e);
cJSON *template_to_json(const struct template_info *t);

#endif
