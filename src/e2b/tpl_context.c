/* tpl_context.c - a COPY step's upload and files hash (see tpl_context.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "boxtop/i18n.h"
#include "boxtop/tpl_context.h"

struct pack {
    char root[PATH_MAX];
    struct buf tar;
    EVP_MD_CTX *md;
    struct error *err;
    size_t bytes;
    char **paths;
    size_t n, cap;
};

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    return false;
}

static int add_path(struct pack *p, const char *rel)
{
    if (has_ctl(rel))
        return error_set(p->err, ERROR_USAGE, _("'%s': control characters in a file name"), "?");
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 64;
        char **nv = realloc(p->paths, nc * sizeof *nv);
        if (!nv) return error_set(p->err, ERROR_GENERIC, _("out of memory"));
        p->paths = nv;
        p->cap = nc;
    }
    if (!(p->paths[p->n] = strdup(rel)))
        return error_set(p->err, ERROR_GENERIC, _("out of memory"));
    p->n++;
    if (p->n > 100000) return error_set(p->err, ERROR_USAGE, _("more than 100000 files to copy"));
    return 0;
}

/* rel and, for a directory, everything below it. */
static int collect(struct pack *p, const char *rel, int depth)
{
    char abs[PATH_MAX * 2];
    struct stat st;
    snprintf(abs, sizeof abs, "%s/%s", p->root, rel);
    if (lstat(abs, &st) < 0) return error_set(p->err, ERROR_USAGE, _("No files found in %s"), rel);
    if (add_path(p, rel) < 0) return -1;
    if (!S_ISDIR(st.st_mode)) return 0;
    if (depth > 64)
        return error_set(p->err, ERROR_USAGE, _("'%s': directories nested too deep"), rel);
    DIR *d = opendir(abs);
    if (!d) return error_set(p->err, ERROR_USAGE, _("cannot read %s: %s"), rel, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[PATH_MAX];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name) >= sizeof sub) {
            rc = error_set(p->err, ERROR_USAGE, _("path too long under %s"), rel);
            break;
        }
        rc = collect(p, sub, depth + 1);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void octal(char *dst, size_t n, unsigned long long v)
{
    snprintf(dst, n, "%0*llo", (int)n - 1, v);
}

static int header(struct pack *p, const char *name, const struct stat *st, char type,
                  const char *link, unsigned long long size)
{
    unsigned char h[512];
    memset(h, 0, sizeof h);
    size_t nl = strlen(name);
    if (nl <= 100) {
        memcpy(h, name, nl);
    } else { /* ustar prefix/name split at a '/' */
        const char *cut = NULL;
        for (const char *s = name + nl - 1; s > name; s--)
            if (*s == '/' && (size_t)(s - name) <= 155 && nl - (size_t)(s - name) - 1 <= 100) {
                cut = s;
                break;
            }
        if (!cut)
            return error_set(p->err, ERROR_USAGE, _("'%s': path too long for the upload"), name);
        memcpy(h + 345, name, (size_t)(cut - name));
        memcpy(h, cut + 1, nl - (size_t)(cut - name) - 1);
    }
    octal((char *)h + 100, 8, st->st_mode & 07777);
    octal((char *)h + 108, 8, 0);
    octal((char *)h + 116, 8, 0);
    octal((char *)h + 124, 12, size);
    octal((char *)h + 136, 12, (unsigned long long)st->st_mtime);
    h[156] = (unsigned char)type;
    if (link) {
        if (strlen(link) > 100)
            return error_set(p->err, ERROR_USAGE, _("'%s': link target too long"), name);
        memcpy(h + 157, link, strlen(link));
    }
    memcpy(h + 257,
           "ustar\0"
           "00",
           8);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++)
        sum += h[i];
    snprintf((char *)h + 148, 8, "%06o", sum);
    h[155] = ' ';
    return buf_append(&p->tar, h, 512) < 0 ? error_set(p->err, ERROR_GENERIC, _("out of memory"))
                                           : 0;
}

static void md_str(struct pack *p, const char *s)
{
    EVP_DigestUpdate(p->md, s, strlen(s));
}

static int add_entry(struct pack *p, const char *rel)
{
    char abs[PATH_MAX * 2], num[32];
    struct stat st;
    snprintf(abs, sizeof abs, "%s/%s", p->root, rel);
    if (lstat(abs, &st) < 0) return error_set(p->err, ERROR_USAGE, _("%s vanished"), rel);
    md_str(p, rel);
    snprintf(num, sizeof num, "%u", (unsigned)st.st_mode);
    md_str(p, num);
    snprintf(num, sizeof num, "%lld", (long long)st.st_size);
    md_str(p, num);
    if (S_ISDIR(st.st_mode)) {
        char dn[PATH_MAX + 2];
        snprintf(dn, sizeof dn, "%s/", rel);
        return header(p, dn, &st, '5', NULL, 0);
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(abs, target, sizeof target - 1);
        if (n < 0) return error_set(p->err, ERROR_USAGE, _("cannot read link %s"), rel);
        target[n] = '\0';
        if (has_ctl(target))
            return error_set(p->err, ERROR_USAGE, _("'%s': control characters in a link target"),
                             rel);
        md_str(p, target);
        return header(p, rel, &st, '2', target, 0);
    }
    if (!S_ISREG(st.st_mode))
        return error_set(p->err, ERROR_USAGE,
                         _("'%s' is a device file, FIFO or socket: only files, directories and "
                           "symlinks can be copied"),
                         rel);
    p->bytes += (size_t)st.st_size;
    if (p->bytes > TPL_CONTEXT_MAX_BYTES)
        return error_set(p->err, ERROR_USAGE, _("the files to copy exceed %u MiB"),
                         TPL_CONTEXT_MAX_BYTES >> 20);
    int fd = open(abs, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return error_set(p->err, ERROR_USAGE, _("cannot read %s: %s"), rel, strerror(errno));
    if (header(p, rel, &st, '0', NULL, (unsigned long long)st.st_size) < 0) {
        close(fd);
        return -1;
    }
    off_t left = st.st_size;
    char chunk[65536];
    while (left > 0) {
        ssize_t n = read(fd, chunk, sizeof chunk < (size_t)left ? sizeof chunk : (size_t)left);
        if (n <= 0) break;
        EVP_DigestUpdate(p->md, chunk, (size_t)n);
        buf_append(&p->tar, chunk, (size_t)n);
        left -= n;
    }
    close(fd);
    if (left) return error_set(p->err, ERROR_USAGE, _("%s changed while it was read"), rel);
    size_t pad = (512 - (size_t)(st.st_size % 512)) % 512;
    static const char zeros[512];
    buf_append(&p->tar, zeros, pad);
    return 0;
}

static int gzip_buf(const struct buf *in, struct buf *out, struct error *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return error_set(err, ERROR_GENERIC, _("out of memory"));
    size_t cap = deflateBound(&z, in->len) + 64;
    buf_reset(out);
    if (buf_reserve(out, cap) < 0) {
        deflateEnd(&z);
        return error_set(err, ERROR_GENERIC, _("out of memory"));
    }
    z.next_in = (unsigned char *)in->data;
    z.avail_in = (uInt)in->len;
    z.next_out = (unsigned char *)out->data;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    out->len = cap - z.avail_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : error_set(err, ERROR_GENERIC, _("compression failed"));
}

int tpl_context_pack(const char *ctx_dir, const char *src, const char *dest, struct buf *tgz,
                     char hash[65], struct error *err)
{
    struct pack p = {.err = err, .tar = BUF_INIT};
    int rc = -1;
    while (src[0] == '.' && src[1] == '/')
        src += 2;
    if (src[0] == '/' || has_ctl(src))
        return error_set(err, ERROR_USAGE, _("COPY source '%.200s' must be a relative path"), src);
    for (const char *s = src; *s;) { /* no ".." component */
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return error_set(err, ERROR_USAGE,
                             _("COPY source '%.200s' is outside the build context"), src);
        s += n;
        while (*s == '/')
            s++;
    }
    if (!realpath(ctx_dir, p.root))
        return error_set(err, ERROR_USAGE, _("build context %s: %s"), ctx_dir, strerror(errno));
    if (!(p.md = EVP_MD_CTX_new()) || EVP_DigestInit_ex(p.md, EVP_sha256(), NULL) != 1) {
        error_set(err, ERROR_GENERIC, _("out of memory"));
        goto out;
    }
    char line[PATH_MAX];
    snprintf(line, sizeof line, "COPY %s %s", src, dest);
    md_str(&p, line);
    /* a glob in the last component: the matching names of its directory */
    const char *slash = strrchr(src, '/');
    const char *last = slash ? slash + 1 : src;
    if (strpbrk(last, "*?[")) {
        char dir[PATH_MAX], abs[PATH_MAX * 2];
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - src) : 1, slash ? src : ".");
        snprintf(abs, sizeof abs, "%s/%s", p.root, dir);
        DIR *d = opendir(abs);
        if (!d) {
            error_set(err, ERROR_USAGE, _("No files found in %s"), src);
            goto out;
        }
        struct dirent *e;
        size_t before = p.n;
        int r = 0;
        while (r == 0 && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            if (fnmatch(last, e->d_name, 0) != 0) continue;
            char rel[PATH_MAX + 260];
            snprintf(rel, sizeof rel, "%s%s%s", slash ? dir : "", slash ? "/" : "", e->d_name);
            r = strlen(rel) >= PATH_MAX ? error_set(err, ERROR_USAGE, _("path too long"))
                                        : collect(&p, rel, 0);
        }
        closedir(d);
        if (r < 0) goto out;
        if (p.n == before) {
            error_set(err, ERROR_USAGE, _("No files found in %s"), src);
            goto out;
        }
        /* the parent directory as an entry too, so that the server finds the prefix */
        if (slash && add_path(&p, dir) < 0) goto out;
    } else {
        char s2[PATH_MAX];
        snprintf(s2, sizeof s2, "%s", src);
        size_t l = strlen(s2);
        while (l > 1 && s2[l - 1] == '/')
            s2[--l] = '\0';
        if (collect(&p, s2, 0) < 0) goto out;
    }
    qsort(p.paths, p.n, sizeof *p.paths, cmp_str);
    for (size_t i = 0; i < p.n; i++) {
        if (i && !strcmp(p.paths[i], p.paths[i - 1])) continue;
        if (add_entry(&p, p.paths[i]) < 0) goto out;
    }
    static const char end[1024];
    buf_append(&p.tar, end, sizeof end);
    unsigned char h[32];
    unsigned hl = 0;
    EVP_DigestFinal_ex(p.md, h, &hl);
    for (int i = 0; i < 32; i++)
        snprintf(hash + 2 * i, 3, "%02x", h[i]);
    rc = gzip_buf(&p.tar, tgz, err);
out:
    for (size_t i = 0; i < p.n; i++)
        free(p.paths[i]);
    free(p.paths);
    buf_free(&p.tar);
    EVP_MD_CTX_free(p.md);
    return rc;
}
