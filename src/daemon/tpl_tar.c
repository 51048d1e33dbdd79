/* tpl_tar.c - the COPY archive check (see tpl_tar.h). Hand-written: libarchive is not a
 * dependency, and only the header walk is needed, not extraction (tar does that inside the
 * build sandbox). */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "tpl_tar.h"

static int gunzip(const unsigned char *in, size_t len, struct buf *out, struct error *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return error_set(err, ERROR_GENERIC, "out of memory");
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        if (buf_reserve(out, 65536) < 0) {
            inflateEnd(&z);
            return error_set(err, ERROR_GENERIC, "out of memory");
        }
        z.next_out = (unsigned char *)out->data + out->len;
        z.avail_out = 65536;
        rc = inflate(&z, Z_NO_FLUSH);
        out->len = (size_t)((char *)z.next_out - out->data);
        if (out->len > TPL_TAR_MAX_BYTES) {
            inflateEnd(&z);
            return error_set(err, ERROR_USAGE, "archive unpacks to more than %u MiB",
                             TPL_TAR_MAX_BYTES >> 20);
        }
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK || (z.avail_in == 0 && z.avail_out != 0)) {
            inflateEnd(&z);
            return error_set(err, ERROR_USAGE, "archive is not valid gzip (truncated?)");
        }
    }
    inflateEnd(&z);
    return 0;
}

static uint64_t octal(const unsigned char *p, size_t n, bool *ok)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < n && p[i] == ' ')
        i++;
    if (i < n && (p[i] & 0x80)) { /* base-256: never needed for our sizes */
        *ok = false;
        return 0;
    }
    for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
        if (v > (UINT64_MAX >> 3)) {
            *ok = false;
            return 0;
        }
        v = v * 8 + (uint64_t)(p[i] - '0');
    }
    for (; i < n; i++)
        if (p[i] != ' ' && p[i] != '\0') *ok = false;
    return v;
}

static int bad(struct error *err, const char *why, const char *name)
{
    char shown[120];
    size_t k = 0;
    for (const char *p = name; *p && k < sizeof shown - 4; p++)
        shown[k++] = ((unsigned char)*p < 0x20 || *p == 0x7f) ? '?' : *p;
    shown[k] = '\0';
    return error_set(err, ERROR_USAGE, "archive entry '%s' refused: %s", shown, why);
}

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return true;
    return false;
}

static bool has_dotdot(const char *s)
{
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') return true;
        p += n;
        while (*p == '/')
            p++;
    }
    return false;
}

/* Whether path is link or below it (both without trailing slashes). */
static bool under(const char *path, const char *link)
{
    size_t n = strlen(link);
    return strncmp(path, link, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static void trim(char *s)
{
    while (s[0] == '.' && s[1] == '/')
        memmove(s, s + 2, strlen(s + 2) + 1);
    size_t n = strlen(s);
    while (n > 1 && s[n - 1] == '/')
        s[--n] = '\0';
}

/* pax "len key=value\n" records: path and linkpath override the next header's. */
static void pax_parse(const char *p, size_t n, char *path, char *link, size_t cap)
{
    size_t off = 0;
    while (off < n) {
        size_t rl = 0, i = off;
        while (i < n && p[i] >= '0' && p[i] <= '9' && rl < n)
            rl = rl * 10 + (size_t)(p[i++] - '0');
        if (i >= n || p[i] != ' ' || rl == 0 || rl > n - off) return;
        const char *kv = p + i + 1, *end = p + off + rl - 1; /* end at the '\n' */
        const char *eq = memchr(kv, '=', (size_t)(end - kv));
        if (eq) {
            size_t kl = (size_t)(eq - kv), vl = (size_t)(end - eq - 1);
            char *dst = kl == 4 && !memcmp(kv, "path", 4)       ? path
                        : kl == 8 && !memcmp(kv, "linkpath", 8) ? link
                                                                : NULL;
            if (dst && vl < cap) {
                memcpy(dst, eq + 1, vl);
                dst[vl] = '\0';
                if (memchr(dst, '\0', vl)) dst[0] = '\x01'; /* embedded NUL: refused */
            }
        }
        off += rl;
    }
}

#define NAME_CAP  4096
#define LINKS_MAX 4096

int tpl_tar_check(const void *data, size_t len, struct buf *out, struct error *err)
{
    const unsigned char *in = data;
    buf_reset(out);
    if (len >= 2 && in[0] == 0x1f && in[1] == 0x8b) {
        if (gunzip(in, len, out, err) < 0) return -1;
    } else if (len > TPL_TAR_MAX_BYTES) {
        return error_set(err, ERROR_USAGE, "archive is larger than %u MiB",
                         TPL_TAR_MAX_BYTES >> 20);
    } else if (buf_append(out, data, len) < 0) {
        return error_set(err, ERROR_GENERIC, "out of memory");
    }
    const unsigned char *t = (const unsigned char *)out->data;
    size_t n = out->len, off = 0, entries = 0, n_links = 0;
    char *name = malloc(NAME_CAP), *link = malloc(NAME_CAP), *xname = malloc(NAME_CAP),
         *xlink = malloc(NAME_CAP);
    char **links = calloc(LINKS_MAX, sizeof *links);
    int rc = -1;
    if (!name || !link || !xname || !xlink || !links) {
        error_set(err, ERROR_GENERIC, "out of memory");
        goto out;
    }
    xname[0] = xlink[0] = '\0';
    if (n == 0) {
        error_set(err, ERROR_USAGE, "archive is empty");
        goto out;
    }
    for (;;) {
        if (off + 512 > n) {
            error_set(err, ERROR_USAGE, "archive is truncated (no end marker)");
            goto out;
        }
        const unsigned char *h = t + off;
        bool zero = true;
        for (int i = 0; i < 512 && zero; i++)
            zero = h[i] == 0;
        if (zero) break;
        bool ok = true;
        uint64_t sum = octal(h + 148, 8, &ok), calc = 0;
        for (int i = 0; i < 512; i++)
            calc += (i >= 148 && i < 156) ? ' ' : h[i];
        uint64_t size = octal(h + 124, 12, &ok);
        if (!ok || sum != calc) {
            error_set(err, ERROR_USAGE, "archive header at byte %zu is corrupt", off);
            goto out;
        }
        size_t data_off = off + 512, padded = (size_t)((size + 511) & ~(uint64_t)511);
        if (size > n || padded > n - data_off) {
            error_set(err, ERROR_USAGE, "archive is truncated");
            goto out;
        }
        char type = (char)h[156];
        if (++entries > TPL_TAR_MAX_ENTRIES) {
            error_set(err, ERROR_USAGE, "archive has more than %d entries", TPL_TAR_MAX_ENTRIES);
            goto out;
        }
        if (type == 'x' || type == 'g') {
            if (type == 'x') pax_parse((const char *)t + data_off, size, xname, xlink, NAME_CAP);
            off = data_off + padded;
            continue;
        }
        if (type == 'L' || type == 'K') { /* GNU long name / long link */
            char *dst = type == 'L' ? xname : xlink;
            size_t l = size < NAME_CAP - 1 ? (size_t)size : NAME_CAP - 1;
            memcpy(dst, t + data_off, l);
            dst[l] = '\0';
            if (strlen(dst) < l && strlen(dst) + 1 < l) dst[0] = '\x01';
            off = data_off + padded;
            continue;
        }
        if (xname[0]) {
            snprintf(name, NAME_CAP, "%s", xname);
        } else {
            size_t k = 0;
            if (!memcmp(h + 257, "ustar", 5) && h[345]) {
                k = strnlen((const char *)h + 345, 155);
                memcpy(name, h + 345, k);
                name[k++] = '/';
            }
            size_t nl = strnlen((const char *)h, 100);
            memcpy(name + k, h, nl);
            name[k + nl] = '\0';
        }
        if (xlink[0])
            snprintf(link, NAME_CAP, "%s", xlink);
        else {
            size_t ll = strnlen((const char *)h + 157, 100);
            memcpy(link, h + 157, ll);
            link[ll] = '\0';
        }
        xname[0] = xlink[0] = '\0';
        trim(name);
        if (!name[0] || strcmp(name, ".") == 0) {
            if (type != '5') {
                bad(err, "empty name", name);
                goto out;
            }
            off = data_off + padded;
            continue;
        }
        if (has_ctl(name) || has_ctl(link)) {
            bad(err, "control characters in the name or link target", name);
            goto out;
        }
        if (name[0] == '/') {
            bad(err, "absolute path", name);
            goto out;
        }
        if (has_dotdot(name)) {
            bad(err, "'..' leaves the build context", name);
            goto out;
        }
        for (size_t i = 0; i < n_links; i++)
            if (under(name, links[i]) && strcmp(name, links[i]) != 0) {
                bad(err, "it goes through a symlink of the archive", name);
                goto out;
            }
        switch (type) {
        case '0':
        case '\0':
        case '7':
        case '5':
            break;
        case '1':
            trim(link);
            if (!link[0] || link[0] == '/' || has_dotdot(link)) {
                bad(err, "hard link outside the archive", name);
                goto out;
            }
            break;
        case '2':
            if (!link[0]) {
                bad(err, "symlink without a target", name);
                goto out;
            }
            if (n_links < LINKS_MAX) links[n_links++] = strdup(name);
            break;
        case '3':
        case '4':
            bad(err, "device files are not allowed", name);
            goto out;
        case '6':
            bad(err, "FIFOs are not allowed", name);
            goto out;
        default:
            bad(err, "unknown entry type", name);
            goto out;
        }
        off = data_off + padded;
    }
    rc = 0;
out:
    for (size_t i = 0; links && i < n_links; i++)
        free(links[i]);
    free(links);
    free(name);
    free(link);
    free(xname);
    free(xlink);
    return rc;
}
