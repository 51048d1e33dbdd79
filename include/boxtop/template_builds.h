/* template_builds.h - one template's builds and tags, as E2B serves them:
 * GET /templates/{id} (TemplateWithBuilds: the template's names and its builds, newest first)
 * and GET /templates/{id}/tags ([TemplateTag]). The templates view lists them. */
#ifndef BOXTOP_TEMPLATE_BUILDS_H
#define BOXTOP_TEMPLATE_BUILDS_H

#include <stdbool.h>
#include <stdint.h>

#include "boxtop/error.h"

struct template_build {
    char *id;     /* buildID */
    char *status; /* building|waiting|ready|error|... (kept as sent) */
    int64_t created_ms, updated_ms, finished_ms; /* finished 0 = not (yet) */
    int cpu_count, memory_mb, disk_size_mb;      /* disk 0 = not sent */
    char *envd_version;                          /* may be NULL */
};

struct template_detail {
    char *id;
    bool public_;
    char **aliases, **names;
    int n_aliases, n_names;
    struct template_build *builds;
    int n_builds;
};

struct template_tag {
    char *tag;
    char *build_id;
    int64_t created_ms;
};

struct template_tag_list {
    struct template_tag *items;
    int n;
};

int template_detail_parse(const char *text, size_t len, struct template_detail *out,
                          struct error *err);
void template_detail_free(struct template_detail *d);
int template_tags_parse(const char *text, size_t len, struct template_tag_list *out,
                        struct error *err);
void template_tag_list_free(struct template_tag_list *l);
/* How long a build took (finished - created), or ran so far (now_ms - created) while it is
 * waiting or building; -1 when it cannot be told (an ended build without finishedAt). */
int64_t template_build_duration_ms(const struct template_build *b, int64_t now_ms);

#endif
