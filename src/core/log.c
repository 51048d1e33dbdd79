/* log.c - timestamped log lines to a file (or stderr), with secrets redacted.
 *
 * Each message becomes exactly one line: "2026-11-25T12:00:00.123Z WARN  text". The text is
 * passed through the display sanitizer (a log is read in a terminal too, so it must not carry
 * escape sequences, and newlines must not forge extra lines), and every registered secret is
 * replaced by its masked form both before sanitizing (in case sanitizing would alter it) and
 * after (in case control bytes were used to split it). Lines are flushed at once so that
 * nothing is lost if the program dies. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "boxtop/grow.h"
#include "boxtop/buf.h"
#include "boxtop/json.h"
#include "boxtop/log.h"
#include "boxtop/loop.h"
#include "boxtop/sanitize.h"

struct log {
    FILE *fp;
    bool own_fp;
    enum log_level min_level;
    char **secrets; /* longest first, so a secret containing another is masked whole */
    int n_secrets, cap_secrets;
};

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR"};

struct log *log_open(const char *path, enum log_level min_level)
{
    struct log *lg = calloc(1, sizeof *lg);
    if (!lg) return NULL;
    lg->min_level = min_level;
    if (!path) {
        lg->fp = stderr;
        return lg;
    }
    /* 0600: a log may hold sandbox ids, commands and paths even with secrets masked. */
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0 || !(lg->fp = fdopen(fd, "a"))) {
        int e = errno;
        if (fd >= 0) close(fd);
        free(lg);
        errno = e;
        return NULL;
    }
    lg->own_fp = true;
    return lg;
}

void log_close(struct log *lg)
{
    if (!lg) return;
    if (lg->own_fp)
        fclose(lg->fp);
    else
        fflush(lg->fp);
    for (int i = 0; i < lg->n_secrets; i++) {
        explicit_bzero(lg->secrets[i], strlen(lg->secrets[i]));
        free(lg->secrets[i]);
    }
    free(lg->secrets);
    free(lg);
}

void log_set_level(struct log *lg, enum log_level min_level)
{
    if (lg) lg->min_level = min_level;
}

int log_parse_level(const char *name, enum log_level *out)
{
    static const char *const names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; name && i < 4; i++) {
        if (strcasecmp(name, names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    if (name && strcasecmp(name, "warning") == 0) {
        *out = LOG_WARN;
        return 0;
    }
    return -EINVAL;
}

int log_add_secret(struct log *lg, const char *secret)
{
    if (!lg || !secret || !*secret) return -EINVAL;
    for (int i = 0; i < lg->n_secrets; i++)
        if (strcmp(lg->secrets[i], secret) == 0) return 0;
    if (GROW_INT(lg->secrets, lg->cap_secrets, lg->n_secrets + 1) < 0) return -ENOMEM;
    char *copy = strdup(secret);
    if (!copy) return -ENOMEM;
    size_t len = strlen(copy);
    int at = 0;
    while (at < lg->n_secrets && strlen(lg->secrets[at]) >= len)
        at++;
    memmove(&lg->secrets[at + 1], &lg->secrets[at],
            (size_t)(lg->n_secrets - at) * sizeof *lg->secrets);
    lg->secrets[at] = copy;
    lg->n_secrets++;
    return 0;
}

void log_mask_secret(const char *secret, char *out, size_t n)
{
    static const char *const prefixes[] = {"sk_e2b_", "e2b_"};
    if (n == 0) return;
    const char *prefix = "";
    size_t len = secret ? strlen(secret) : 0;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (len && strncmp(secret, prefixes[i], strlen(prefixes[i])) == 0) {
            prefix = prefixes[i];
            break;
        }
    }
    /* Show the last four characters only when they are a small part of a long secret. */
    const char *tail = len - strlen(prefix) >= 16 ? secret + len - 4 : "";
    snprintf(out, n, "%s\xe2\x80\xa6%s", prefix, tail);
}

/* Replace every occurrence of every secret in b by its mask. */
static int redact(const struct log *lg, struct buf *b)
{
    for (int i = 0; i < lg->n_secrets; i++) {
        const char *sec = lg->secrets[i];
        size_t sl = strlen(sec);
        if (b->len < sl || !memmem(b->data, b->len, sec, sl)) continue;
        char mask[16];
        log_mask_secret(sec, mask, sizeof mask);
        struct buf out = BUF_INIT;
        size_t pos = 0;
        const char *hit;
        while ((hit = memmem(b->data + pos, b->len - pos, sec, sl))) {
            size_t off = (size_t)(hit - b->data);
            if (buf_append(&out, b->data + pos, off - pos) < 0 || buf_append_str(&out, mask) < 0)
                goto oom;
            pos = off + sl;
        }
        if (buf_append(&out, b->data + pos, b->len - pos) < 0) goto oom;
        explicit_bzero(b->data, b->len);
        buf_free(b);
        *b = out;
        continue;
    oom:
        buf_free(&out);
        return -ENOMEM;
    }
    return 0;
}

void log_msg(struct log *lg, enum log_level level, const char *fmt, ...)
{
    if (!lg || level < lg->min_level || level > LOG_ERROR) return;
    struct buf raw = BUF_INIT, line = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(&raw, fmt, ap);
    va_end(ap);
    char ts[40];
    json_format_time(loop_wall_ms(), ts, sizeof ts);
    if (rc == 0) rc = redact(lg, &raw);
    if (rc == 0) rc = buf_printf(&line, "%s %-5s ", ts, level_names[level]);
    if (rc == 0) rc = sanitize_append(&line, buf_cstr(&raw), raw.len, 0);
    if (rc == 0) rc = redact(lg, &line);
    if (rc == 0) rc = buf_append_byte(&line, '\n');
    if (rc == 0) {
        fwrite(line.data, 1, line.len, lg->fp);
        fflush(lg->fp);
    }
    if (raw.data) explicit_bzero(raw.data, raw.len);
    buf_free(&raw);
    buf_free(&line);
}
