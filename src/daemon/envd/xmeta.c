/* xmeta.c - file metadata as user.e2b.* extended attributes (see xmeta.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "confine.h"
#include "xmeta.h"

static bool token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static size_t total_of(const cJSON *obj)
{
    size_t t = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) t += strlen(it->string) + strlen(it->valuestring);
    return t;
}

int xmeta_add(cJSON *obj, const char *key, const char *value, char *msg, size_t n)
{
    size_t kl = strlen(key), vl = strlen(value);
    if (kl == 0 || kl > XMETA_KEY_MAX) {
        snprintf(msg, n, "invalid metadata key: must be 1 to %d bytes", XMETA_KEY_MAX);
        return -1;
    }
    for (size_t i = 0; i < kl; i++)
        if (!token_char((unsigned char)key[i])) {
            snprintf(msg, n, "invalid metadata key: only HTTP token characters are allowed");
            return -1;
        }
    for (size_t i = 0; i < vl; i++)
        if ((unsigned char)value[i] < 0x20 || (unsigned char)value[i] > 0x7e) {
            snprintf(msg, n, "invalid metadata value for key '%s': printable ASCII only", key);
            return -1;
        }
    char lower[XMETA_KEY_MAX + 1];
    for (size_t i = 0; i <= kl; i++)
        lower[i] = (key[i] >= 'A' && key[i] <= 'Z') ? (char)(key[i] - 'A' + 'a') : key[i];
    if (total_of(obj) + kl + vl > XMETA_TOTAL_MAX) {
        snprintf(msg, n, "metadata too large: keys and values over %d bytes", XMETA_TOTAL_MAX);
        return -1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(obj, lower); /* a repeated header: the last wins */
    if (!cJSON_AddStringToObject(obj, lower, value)) {
        snprintf(msg, n, "out of memory");
        return -1;
    }
    return 0;
}

int xmeta_write_fd(int fd, const cJSON *obj)
{
    char names[8192];
    ssize_t n = flistxattr(fd, names, sizeof names);
    for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(names + off) + 1)
        if (strncmp(names + off, XMETA_PREFIX, strlen(XMETA_PREFIX)) == 0 &&
            fremovexattr(fd, names + off) < 0 && errno != ENODATA)
            return -errno;
    const cJSON *it;
    cJSON_ArrayForEach(it, obj)
    {
        char name[XMETA_KEY_MAX + sizeof XMETA_PREFIX];
        snprintf(name, sizeof name, "%s%s", XMETA_PREFIX, it->string);
        if (fsetxattr(fd, name, it->valuestring, strlen(it->valuestring), 0) < 0) return -errno;
    }
    return 0;
}

cJSON *xmeta_read(int root_fd, const char *abs)
{
    int fd = cf_open(root_fd, abs, O_PATH | O_NOFOLLOW, 0);
    if (fd < 0) return NULL;
    char proc[64], names[8192], val[XMETA_TOTAL_MAX + 1];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    cJSON *obj = NULL;
    /* an O_PATH fd has no xattr calls: its /proc link names the very inode (a symlink's own
     * link would be followed, so those are left out by the O_NOFOLLOW open's type check) */
    struct stat st;
    ssize_t n = -1;
    if (fstat(fd, &st) == 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
        n = listxattr(proc, names, sizeof names);
    for (ssize_t off = 0; n > 0 && off < n; off += (ssize_t)strlen(names + off) + 1) {
        const char *name = names + off;
        if (strncmp(name, XMETA_PREFIX, strlen(XMETA_PREFIX)) != 0) continue;
        ssize_t vl = getxattr(proc, name, val, sizeof val - 1);
        if (vl < 0) continue;
        val[vl] = '\0';
        if (!obj) obj = cJSON_CreateObject();
        if (obj) cJSON_AddStringToObject(obj, name + strlen(XMETA_PREFIX), val);
    }
    close(fd);
    return obj;
}
