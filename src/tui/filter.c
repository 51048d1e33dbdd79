/* filter.c - parse and evaluate the `/` filter of the sandboxes and templates views (grammar in
 * filter.h). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boxtop/grow.h"
#include "filter.h"

void filter_free(struct filter *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->terms[i].a);
        free(f->terms[i].b);
    }
    free(f->terms);
    f->terms = NULL;
    f->n = f->cap = 0;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static int term_fill(struct filter_term *t, const char *s, size_t n)
{
    static const struct {
        const char *prefix;
        enum filter_kind kind;
    } kinds[] = {{"state:", FILTER_STATE},
                 {"meta:", FILTER_META},
                 {"id:", FILTER_ID},
                 {"template:", FILTER_TEMPLATE}};
    memset(t, 0, sizeof(*t));
    if (n > 1 && s[0] == '!') {
        t->negate = 1;
        s++;
        n--;
    }
    t->kind = FILTER_WORD;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        size_t pl = strlen(kinds[k].prefix);
        if (n > pl && !strncasecmp(s, kinds[k].prefix, pl)) {
            t->kind = kinds[k].kind;
            s += pl;
            n -= pl;
            break;
        }
    }
    if (t->kind == FILTER_META) {
        const char *eq = memchr(s, '=', n);
        if (eq) {
            t->a = dup_n(s, (size_t)(eq - s));
            t->b = dup_n(eq + 1, n - (size_t)(eq - s) - 1);
            return t->a && t->b ? 0 : -1;
        }
    }
    t->a = dup_n(s, n);
    return t->a ? 0 : -1;
}

int filter_parse(struct filter *f, const char *text)
{
    filter_free(f);
    const char *p = text ? text : "";
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p) return 0;
        const char *e = p;
        while (*e && !isspace((unsigned char)*e))
            e++;
        if (GROW_INT(f->terms, f->cap, f->n + 1) < 0) return -1;
        if (term_fill(&f->terms[f->n], p, (size_t)(e - p)) < 0) {
            free(f->terms[f->n].a);
            free(f->terms[f->n].b);
            return -1;
        }
        f->n++;
        p = e;
    }
}

static int contains(const char *hay, const char *needle)
{
    if (!hay) return 0;
    size_t nl = strlen(needle);
    for (const char *h = hay; *h; h++)
        if (!strncasecmp(h, needle, nl)) return 1;
    return nl == 0;
}

static int term_match(const struct filter_term *t, const struct box *s)
{
    switch (t->kind) {
    case FILTER_STATE:
        return !strcasecmp(box_state_name(s->state), t->a);
    case FILTER_META: {
        const char *v = box_meta_get(s, t->a);
        return v && (!t->b || !strcmp(v, t->b));
    }
    case FILTER_ID:
        return contains(s->id, t->a);
    case FILTER_TEMPLATE:
        return contains(s->template_id, t->a) || contains(s->alias, t->a);
    case FILTER_WORD:
    default:
        if (contains(s->id, t->a) || contains(s->template_id, t->a) || contains(s->alias, t->a))
            return 1;
        for (int i = 0; i < s->n_meta; i++)
            if (contains(s->meta[i].key, t->a) || contains(s->meta[i].value, t->a)) return 1;
        return 0;
    }
}

int filter_match(const struct filter *f, const struct box *s)
{
    for (int i = 0; i < f->n; i++)
        if (term_match(&f->terms[i], s) == f->terms[i].negate) return 0;
    return 1;
}

static int any_contains(char **v, int n, const char *needle)
{
    for (int i = 0; i < n; i++)
        if (contains(v[i], needle)) return 1;
    return 0;
}

static int term_match_template(const struct filter_term *t, const struct template_info *ti)
{
    switch (t->kind) {
    case FILTER_STATE: /* the build status: ready, building, waiting, error */
        return ti->build_status && !strcasecmp(ti->build_status, t->a);
    case FILTER_META: /* templates have none */
        return 0;
    case FILTER_ID:
        return contains(ti->id, t->a);
    case FILTER_TEMPLATE:
    case FILTER_WORD:
    default:
        return contains(ti->id, t->a) || any_contains(ti->aliases, ti->n_aliases, t->a) ||
               any_contains(ti->names, ti->n_names, t->a);
    }
}

int filter_match_template(const struct filter *f, const struct template_info *ti)
{
    for (int i = 0; i < f->n; i++)
        if (term_match_template(&f->terms[i], ti) == f->terms[i].negate) return 0;
    return 1;
}
