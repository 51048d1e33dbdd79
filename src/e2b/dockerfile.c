/* dockerfile.c - e2b.Dockerfile → template build steps (see dockerfile.h). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cJSON.h>

#include "boxtop/buf.h"
#include "boxtop/dockerfile.h"
#include "boxtop/i18n.h"

static int fail(struct error *err, int line, const char *what)
{
    return error_set(err, ERROR_USAGE, _("line %d: %s"), line, what);
}

static cJSON *step(cJSON *steps, const char *type)
{
    cJSON *s = cJSON_CreateObject();
    if (!s) return NULL;
    cJSON_AddStringToObject(s, "type", type);
    cJSON_AddItemToObject(s, "args", cJSON_CreateArray());
    cJSON_AddBoolToObject(s, "force", false);
    cJSON_AddItemToArray(steps, s);
    return s;
}

static void add_arg(cJSON *s, const char *a)
{
    cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(s, "args"), cJSON_CreateString(a));
}

/* Next whitespace-separated word of *p, with "..." or '...' quoting; NULL at the end. */
static char *word(char **p)
{
    char *s = *p;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s) return NULL;
    char *out = s, *w = s;
    while (*s && *s != ' ' && *s != '\t') {
        if (*s == '"' || *s == '\'') {
            char q = *s++;
            while (*s && *s != q)
                *w++ = *s++;
            if (*s) s++;
            continue;
        }
        *w++ = *s++;
    }
    if (*s) s++;
    *w = '\0';
    *p = s;
    return out;
}

/* JSON-array form ["a","b"] → "a b" joined (shell form is taken as is). */
static char *cmd_text(const char *rest)
{
    if (rest[0] == '[') {
        cJSON *a = cJSON_Parse(rest);
        if (cJSON_IsArray(a)) {
            struct buf b = BUF_INIT;
            const cJSON *x;
            cJSON_ArrayForEach(x, a) if (cJSON_IsString(x))
                buf_printf(&b, "%s%s", b.len ? " " : "", x->valuestring);
            cJSON_Delete(a);
            return buf_steal(&b);
        }
        cJSON_Delete(a);
    }
    return strdup(rest);
}

static int instruction(struct dockerfile *df, int line, char *text, struct error *err)
{
    char *p = text;
    char *ins = word(&p);
    if (!ins) return 0;
    while (*p == ' ' || *p == '\t')
        p++;
    char *rest = p;
    if (df->n_steps >= DOCKERFILE_MAX_STEPS)
        return fail(err, line, _("too many instructions (at most 500)"));
    if (!strcasecmp(ins, "FROM")) {
        if (df->from_image || df->from_template)
            return fail(err, line, _("only one FROM (single stage) is supported"));
        char *img = word(&p);
        if (!img) return fail(err, line, _("FROM needs a template"));
        if (word(&p)) return fail(err, line, _("FROM takes one template (no AS, no --platform)"));
        if (!strcmp(img, "e2bdev/base") || !strcmp(img, "e2bdev/base:latest"))
            df->from_image = strdup(img);
        else
            df->from_template = strdup(img);
        return 0;
    }
    if (!df->from_image && !df->from_template)
        return fail(err, line, _("the first instruction must be FROM"));
    if (!*rest) return error_set(err, ERROR_USAGE, _("line %d: %s needs arguments"), line, ins);
    cJSON *s;
    if (!strcasecmp(ins, "RUN")) {
        s = step(df->steps, "RUN");
        add_arg(s, rest);
    } else if (!strcasecmp(ins, "COPY") || !strcasecmp(ins, "ADD")) {
        const char *owner = "";
        char *w, *words[64];
        int n = 0;
        while ((w = word(&p))) {
            if (!strncmp(w, "--chown=", 8)) {
                owner = w + 8;
                continue;
            }
            if (!strncmp(w, "--", 2))
                return error_set(err, ERROR_USAGE, _("line %d: unsupported COPY option %.40s"),
                                 line, w);
            if (n == 64) return fail(err, line, _("too many COPY sources"));
            words[n++] = w;
        }
        if (n < 2) return fail(err, line, _("COPY needs a source and a destination"));
        for (int i = 0; i + 1 < n; i++) {
            if (words[i][0] == '/' || strstr(words[i], ".."))
                return error_set(err, ERROR_USAGE,
                                 _("line %d: COPY source '%.200s' is outside the build context"),
                                 line, words[i]);
            s = step(df->steps, "COPY");
            add_arg(s, words[i]);
            add_arg(s, words[n - 1]);
            add_arg(s, owner);
            add_arg(s, "");
            df->n_steps++;
        }
        return 0;
    } else if (!strcasecmp(ins, "ENV") || !strcasecmp(ins, "ARG")) {
        bool arg = !strcasecmp(ins, "ARG");
        s = step(df->steps, arg ? "ARG" : "ENV");
        if (!strchr(rest, '=')) { /* ENV K V / ARG K */
            char *k = word(&p);
            while (*p == ' ' || *p == '\t')
                p++;
            add_arg(s, k);
            add_arg(s, p);
        } else {
            char *w;
            while ((w = word(&p))) {
                char *eq = strchr(w, '=');
                if (!eq || eq == w)
                    return error_set(err, ERROR_USAGE, _("line %d: %s expects KEY=VALUE"), line,
                                     ins);
                *eq = '\0';
                add_arg(s, w);
                add_arg(s, eq + 1);
            }
        }
    } else if (!strcasecmp(ins, "WORKDIR")) {
        s = step(df->steps, "WORKDIR");
        add_arg(s, rest);
    } else if (!strcasecmp(ins, "USER")) {
        char *u = word(&p);
        if (!u || word(&p)) return fail(err, line, _("USER takes one user name"));
        s = step(df->steps, "USER");
        add_arg(s, u);
    } else if (!strcasecmp(ins, "CMD") || !strcasecmp(ins, "ENTRYPOINT")) {
        free(df->start_cmd);
        df->start_cmd = cmd_text(rest);
        return 0;
    } else {
        char shown[48];
        size_t k = 0;
        for (const char *q = ins; *q && k < sizeof shown - 1; q++)
            shown[k++] = *q;
        shown[k] = '\0';
        return error_set(err, ERROR_USAGE, _("line %d: unknown instruction '%s'"), line, shown);
    }
    if (!s) return error_set(err, ERROR_GENERIC, _("out of memory"));
    df->n_steps++;
    return 0;
}

int dockerfile_parse(const char *text, size_t len, struct dockerfile *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (len > DOCKERFILE_MAX_BYTES)
        return error_set(err, ERROR_USAGE, _("the template file is larger than %d KiB"),
                         DOCKERFILE_MAX_BYTES / 1024);
    out->steps = cJSON_CreateArray();
    if (!out->steps) return error_set(err, ERROR_GENERIC, _("out of memory"));
    struct buf cur = BUF_INIT;
    int line = 1, start_line = 1, rc = 0;
    size_t i = 0;
    while (i <= len && rc == 0) {
        size_t e = i;
        while (e < len && text[e] != '\n')
            e++;
        size_t l = e - i;
        if (l && text[i + l - 1] == '\r') l--;
        for (size_t k = 0; k < l; k++) {
            unsigned char c = (unsigned char)text[i + k];
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                rc = fail(err, line, _("control characters are not allowed"));
                break;
            }
        }
        if (rc) break;
        const char *s = text + i;
        size_t sl = l;
        while (sl && (*s == ' ' || *s == '\t'))
            s++, sl--;
        bool comment = sl && *s == '#';
        if (!comment) {
            if (!cur.len) start_line = line;
            bool cont = sl && s[sl - 1] == '\\';
            buf_append(&cur, s, cont ? sl - 1 : sl);
            if (cont) {
                buf_append_byte(&cur, ' ');
            } else if (cur.len) {
                char *t = buf_steal(&cur);
                rc = t ? instruction(out, start_line, t, err)
                       : error_set(err, ERROR_GENERIC, _("out of memory"));
                free(t);
            }
        }
        line++;
        i = e + 1;
    }
    if (rc == 0 && cur.len) { /* a continuation at the end of the file */
        char *t = buf_steal(&cur);
        rc = instruction(out, start_line, t, err);
        free(t);
    }
    buf_free(&cur);
    if (rc == 0 && !out->from_image && !out->from_template)
        rc = error_set(err, ERROR_USAGE, _("the template file has no FROM"));
    if (rc == 0) { /* Docker's defaults around the steps, as the SDK's fromDockerfile does */
        bool user = false, wd = false;
        const cJSON *s;
        cJSON_ArrayForEach(s, out->steps)
        {
            const char *t = cJSON_GetObjectItemCaseSensitive(s, "type")->valuestring;
            user |= !strcmp(t, "USER");
            wd |= !strcmp(t, "WORKDIR");
        }
        cJSON *all = cJSON_CreateArray();
        add_arg(step(all, "USER"), "root");
        add_arg(step(all, "WORKDIR"), "/");
        cJSON *x;
        while ((x = cJSON_DetachItemFromArray(out->steps, 0)))
            cJSON_AddItemToArray(all, x);
        if (!user) add_arg(step(all, "USER"), "user");
        if (!wd) add_arg(step(all, "WORKDIR"), "/home/user");
        cJSON_Delete(out->steps);
        out->steps = all;
    }
    if (rc) dockerfile_free(out);
    return rc ? -1 : 0;
}

void dockerfile_free(struct dockerfile *df)
{
    free(df->from_image);
    free(df->from_template);
    free(df->start_cmd);
    cJSON_Delete(df->steps);
    memset(df, 0, sizeof *df);
}
