/* path.c - envd path expansion and lexical cleaning (see path.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "path.h"

void denvd_path_clean(char *p)
{
    int rooted = p[0] == '/';
    size_t r = 0, w = 0, n = strlen(p);
    size_t dotdot = 0; /* w position that ".." may not back up past */
    if (rooted) {
        p[w++] = '/';
        r = 1;
        dotdot = 1;
    }
    while (r < n) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
            r++;
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;
            if (w > dotdot) {
                w--;
                while (w > dotdot && p[w] != '/')
                    w--;
            } else if (!rooted) {
                if (w > 0) p[w++] = '/';
                p[w++] = '.';
                p[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0)) p[w++] = '/';
            while (r < n && p[r] != '/')
                p[w++] = p[r++];
        }
    }
    if (w == 0) p[w++] = '.';
    p[w] = '\0';
}

int denvd_path_resolve(const char *in, const char *home, char *out, size_t n, struct error *err)
{
    int len;
    if (in[0] == '\0' || strcmp(in, "~") == 0)
        len = snprintf(out, n, "%s", home);
    else if (in[0] == '~' && in[1] == '/')
        len = snprintf(out, n, "%s/%s", home, in + 2);
    else if (in[0] == '~')
        return error_set(err, ERROR_USAGE,
                         "path expansion of another user's home is not supported");
    else if (in[0] == '/')
        len = snprintf(out, n, "%s", in);
    else
        len = snprintf(out, n, "%s/%s", home, in);
    if (len < 0 || (size_t)len >= n) return error_set(err, ERROR_USAGE, "path too long");
    if (out[0] != '/') return error_set(err, ERROR_USAGE, "home directory is not absolute");
    denvd_path_clean(out);
    return 0;
}

void denvd_path_split(const char *abs, char *parent, size_t pn, char *base, size_t bn)
{
    const char *slash = strrchr(abs, '/');
    if (!slash || strcmp(abs, "/") == 0) {
        snprintf(parent, pn, "/");
        snprintf(base, bn, ".");
        return;
    }
    if (slash == abs)
        snprintf(parent, pn, "/");
    else
        snprintf(parent, pn, "%.*s", (int)(slash - abs), abs);
    snprintf(base, bn, "%s", slash + 1);
}
