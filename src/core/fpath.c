/* fpath.c - path strings (see fpath.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/fpath.h"

char *fpath_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    int slash = dl && dir[dl - 1] == '/';
    char *p = malloc(dl + nl + 2);
    if (!p) return NULL;
    memcpy(p, dir, dl);
    if (!slash) p[dl++] = '/';
    memcpy(p + dl, name, nl + 1);
    return p;
}

char *fpath_parent(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    while (n > 0 && path[n - 1] != '/')
        n--;
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0) return strdup("/");
    return strndup(path, n);
}

char *fpath_base(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t s = n;
    while (s > 0 && path[s - 1] != '/')
        s--;
    if (s == n) return strndup(path, n ? n : 1); /* "/" (or "") */
    return strndup(path + s, n - s);
}
