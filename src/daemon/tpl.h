/* tpl.h - templates built on boxtopd (E2B's template build API), their builds and tags.
 *
 * A template has an alias ("my-app"), tags pointing at builds, and builds. A build goes
 * waiting -> building -> ready | error (tpl_build.c runs it); a ready build owns a layer in
 * DIR/templates/layers/<key>/upper plus the defaults its steps left (user, workdir, env, start
 * and ready commands). Where the runtime can stack layers (rt_can_stack) the layer is only
 * what the build changed (the build sandbox's writable layer, moved there read-only) and
 * `parents` names the layers under it, so a sandbox from the template stacks
 * layer : parents... : base image and copies nothing. Elsewhere (plain mode, --base host) the
 * layer is a full copy new sandboxes are seeded from. Layers are keyed by the hash of
 * everything that made them, so an unchanged rebuild reuses one (reported "CACHED"). A layer
 * is freed once no build, sandbox, snapshot or running build stacks on it (tpl_layers_gc).
 * Records live in DIR/templates/<templateID>.json, uploaded COPY archives in
 * DIR/templates/files/<hash>.tar. Shapes: protocol/templates-build.md. */
#ifndef BOXTOPD_TPL_H
#define BOXTOPD_TPL_H

#include <stdbool.h>
#include <stdint.h>

#include "boxtop/error.h"

struct daemon;
struct cJSON;

#define TPL_ALIAS_MAX 48
#define TPL_TAG_MAX   32
#define TPL_LOG_MAX   20000 /* entries kept per build */
#define TPL_CHAIN_MAX 32    /* layers a template may stack on (the runtime takes 64) */

enum tpl_status { TPL_WAITING, TPL_BUILDING, TPL_READY, TPL_ERROR };

struct tpl_log {
    int64_t ms;
    int level; /* enum log_level */
    char step[24];
    char *msg;
};

struct tpl_build {
    char id[40]; /* uuid */
    enum tpl_status status;
    int64_t created_ms, updated_ms, finished_ms;
    int cpu, memory_mb;
    char *reason; /* error message, or NULL */
    char reason_step[24];
    struct tpl_log *logs;
    size_t n_logs, cap_logs;
    /* the result (ready) */
    char layer[72]; /* layer key (hex), "" = none */
    bool stacked;   /* layer holds only this build's changes, over `parents` */
    char *parents;  /* keys of the layers under it, "k\n" each, topmost first, or NULL */
    uint32_t idbase;
    int64_t bytes;
    char *user, *workdir, *start_cmd, *ready_cmd;
    struct cJSON *envs; /* object of strings */
    void *job;          /* tpl_build.c while it runs */
};

struct tpl_tag {
    char name[TPL_TAG_MAX];
    char build[40];
    int64_t at_ms;
};

struct tpl {
    char id[24];
    char alias[TPL_ALIAS_MAX + 1];
    bool public;
    int64_t created_ms, updated_ms;
    struct tpl_build **builds; /* oldest first */
    size_t n_builds;
    struct tpl_tag *tags;
    size_t n_tags;
};

struct tpls {
    struct tpl **v;
    size_t n;
    int running; /* builds in progress */
};

int tpls_load(struct daemon *d, struct error *err);
void tpls_free(struct daemon *d);
int tpl_save(struct daemon *d, struct tpl *t);

/* Parse "[ns/]alias[:tag]" (trimmed, lower-cased) as E2B does; tag "" when none. */
int tpl_name_parse(const char *in, char *alias, size_t an, char *tag, size_t tn, struct error *err);
/* By id, alias, ns/alias, with an optional :tag (*build: the tagged build, or NULL). */
struct tpl *tpl_find(struct daemon *d, const char *ref, struct tpl_build **build);
struct tpl_build *tpl_build_find(struct tpl *t, const char *bid);
/* The build a bare reference means: the "default" tag's, else the newest ready one. */
struct tpl_build *tpl_current(struct tpl *t);
struct tpl *tpl_new(struct daemon *d, const char *alias, struct error *err);
struct tpl_build *tpl_build_add(struct tpl *t, int cpu, int memory_mb, struct error *err);
int tpl_tag_set(struct tpl *t, const char *tag, const char *bid);
bool tpl_tag_remove(struct tpl *t, const char *tag);
/* Forget the template; its layers go when nothing else stacks on them (tpl_layers_gc). */
void tpl_delete(struct daemon *d, struct tpl *t);
void tpl_layer_dir(const struct daemon *d, const char *key, char *out, size_t n);
/* rt_spec.lowers for a sandbox from b (stacked builds): b's layer, then its parents'. */
char *tpl_lowers(const struct daemon *d, const struct tpl_build *b);
/* Is text a stack of this state dir's layers (a snapshot record's, read back from disk)? */
bool tpl_lowers_valid(const struct daemon *d, const char *text);
/* Remove layers nothing uses any more: no build's layer or parent, no sandbox's or
 * snapshot's stack, no running build. Cheap: a directory listing. */
void tpl_layers_gc(struct daemon *d);
int64_t tpl_layers_bytes(const struct daemon *d);

void tpl_log_add(struct tpl_build *b, int level, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *tpl_status_name(enum tpl_status s);
/* A build's record and a template's (list) JSON. */
struct cJSON *tpl_build_json(const struct tpl_build *b);
struct cJSON *tpl_json(struct daemon *d, const struct tpl *t, bool with_builds);
/* Append the list JSON of every template that has a ready build (the template lists). */
void tpl_list_add(struct daemon *d, struct cJSON *arr);

#endif
