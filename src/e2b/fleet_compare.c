/* fleet_compare.c - group fetched copies by SHA-256 and diff two of them by lines (see
 * fleet_compare.h). Hashing is OpenSSL's EVP (libcrypto, already linked through libcurl);
 * the diff is the textbook LCS table, bounded by FLEET_DIFF_MAX_CELLS so a huge file is
 * refused instead of eating memory. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "boxtop/fleet_compare.h"

static int hash_file(const char *path, char hex[65], int64_t *size, int *text)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(ctx);
        fclose(fp);
        return -1;
    }
    char buf[65536];
    size_t got;
    *size = 0;
    *text = 1;
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0) {
        if (memchr(buf, '\0', got)) *text = 0;
        EVP_DigestUpdate(ctx, buf, got);
        *size += (int64_t)got;
    }
    int bad = ferror(fp);
    fclose(fp);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; i < 32 && i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return bad ? -1 : 0;
}

int fleet_compare_groups(const char *const *paths, int n, struct fleet_group **out, int *n_out,
                         struct error *err)
{
    struct fleet_group *g = calloc((size_t)(n ? n : 1), sizeof *g);
    int ng = 0;
    *out = NULL;
    *n_out = 0;
    if (!g) goto oom;
    for (int i = 0; i < n; i++) {
        if (!paths[i]) continue;
        char hex[65] = "";
        int64_t size;
        int text;
        if (hash_file(paths[i], hex, &size, &text) < 0) {
            error_set(err, ERROR_GENERIC, "%s: %s", paths[i], strerror(errno));
            fleet_groups_free(g, ng);
            return -1;
        }
        int k = 0;
        while (k < ng && strcmp(g[k].sha256, hex))
            k++;
        if (k == ng) {
            memcpy(g[k].sha256, hex, sizeof hex);
            g[k].size = size;
            g[k].text = text;
            if (!(g[k].members = calloc((size_t)n, sizeof(int)))) goto oom;
            ng++;
        }
        g[k].members[g[k].n++] = i;
    }
    /* the largest group first (stable: insertion sort keeps first-seen order on ties) */
    for (int i = 1; i < ng; i++) {
        struct fleet_group t = g[i];
        int j = i;
        while (j > 0 && g[j - 1].n < t.n) {
            g[j] = g[j - 1];
            j--;
        }
        g[j] = t;
    }
    *out = g;
    *n_out = ng;
    return 0;
oom:
    fleet_groups_free(g, ng);
    error_set(err, ERROR_GENERIC, "out of memory");
    return -1;
}

void fleet_groups_free(struct fleet_group *g, int n)
{
    for (int i = 0; g && i < n; i++)
        free(g[i].members);
    free(g);
}

struct lines {
    char *data;
    const char **v;
    size_t *len;
    size_t n;
};

static int read_lines(const char *path, struct lines *l)
{
    memset(l, 0, sizeof *l);
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    struct buf b = BUF_INIT;
    char tmp[65536];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, fp)) > 0)
        buf_append(&b, tmp, got);
    fclose(fp);
    size_t n = 0;
    for (size_t i = 0; i < b.len; i++)
        n += b.data[i] == '\n';
    n += b.len && b.data[b.len - 1] != '\n';
    l->data = buf_steal(&b);
    l->v = calloc(n + 1, sizeof *l->v);
    l->len = calloc(n + 1, sizeof *l->len);
    if (!l->data || !l->v || !l->len) return -1;
    const char *p = l->data;
    size_t total = strlen(p); /* text files only: no NUL */
    for (size_t i = 0; i < n; i++) {
        size_t k = strcspn(p, "\n");
        l->v[i] = p;
        l->len[i] = k;
        p += k + (p[k] == '\n');
        if ((size_t)(p - l->data) > total) break;
    }
    l->n = n;
    return 0;
}

static void lines_free(struct lines *l)
{
    free(l->data);
    free(l->v);
    free(l->len);
}

static int same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
    return a->len[i] == b->len[j] && !memcmp(a->v[i], b->v[j], a->len[i]);
}

int fleet_line_diff(const char *path_a, const char *path_b, struct buf *out, struct error *err)
{
    struct lines a = {0}, b = {0};
    int rc = -1;
    if (read_lines(path_a, &a) < 0 || read_lines(path_b, &b) < 0) {
        error_set(err, ERROR_GENERIC, "cannot read the copies: %s", strerror(errno));
        goto out;
    }
    size_t cells = (a.n + 1) * (b.n + 1);
    if (a.n && b.n && cells / (a.n + 1) != b.n + 1) cells = (size_t)-1;
    if (cells > FLEET_DIFF_MAX_CELLS) {
        error_set(err, ERROR_USAGE, "too many lines to diff (%zu x %zu)", a.n, b.n);
        goto out;
    }
    /* L[i][j]: LCS length of a[i..] and b[j..] */
    unsigned *L = calloc(cells, sizeof *L);
    if (!L) {
        error_set(err, ERROR_GENERIC, "out of memory");
        goto out;
    }
    size_t w = b.n + 1;
    for (size_t i = a.n; i-- > 0;)
        for (size_t j = b.n; j-- > 0;)
            L[i * w + j] = same(&a, i, &b, j)                       ? L[(i + 1) * w + j + 1] + 1
                           : L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                    : L[i * w + j + 1];
    size_t i = 0, j = 0;
    while (i < a.n || j < b.n) {
        if (i < a.n && j < b.n && same(&a, i, &b, j)) {
            buf_printf(out, "  %.*s\n", (int)a.len[i], a.v[i]);
            i++;
            j++;
        } else if (i < a.n && (j == b.n || L[(i + 1) * w + j] >= L[i * w + j + 1])) {
            buf_printf(out, "- %.*s\n", (int)a.len[i], a.v[i]); /* removals first, as diff -u */
            i++;
        } else {
            buf_printf(out, "+ %.*s\n", (int)b.len[j], b.v[j]);
            j++;
        }
    }
    free(L);
    rc = 0;
out:
    lines_free(&a);
    lines_free(&b);
    return rc;
}
