/* auth.c - load or mint the API key; compare keys in constant time. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "fsutil.h"
#include "ids.h"

bool auth_key_wellformed(const char *key)
{
    if (!key || strncmp(key, "e2b_", 4) != 0 || strlen(key) != AUTH_KEY_LEN) return false;
    for (const char *p = key + 4; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

bool auth_key_matches(const char *expected, const char *given)
{
    if (!expected || !given) return false;
    size_t n = strlen(expected);
    if (strlen(given) != n) return false;
    return CRYPTO_memcmp(expected, given, n) == 0;
}

int auth_load(const char *state_dir, char *out, size_t n, struct error *err)
{
    char path[4096];
    struct buf b = BUF_INIT;

    if (n < AUTH_KEY_LEN + 1) return error_set(err, ERROR_GENERIC, "buffer too small");
    snprintf(path, sizeof path, "%s/api-key", state_dir);
    if (fs_read_file(path, &b, 256, err) < 0) return -1;
    while (b.len && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
        b.data[--b.len] = '\0';
    if (!auth_key_wellformed(buf_cstr(&b))) {
        buf_free(&b);
        return error_set(err, ERROR_AUTH, "%s does not hold a valid key", path);
    }
    memcpy(out, b.data, AUTH_KEY_LEN + 1);
    OPENSSL_cleanse(b.data, b.len);
    buf_free(&b);
    return 0;
}

int auth_load_or_create(const char *state_dir, char *out, size_t n, struct error *err)
{
    char path[4096], line[AUTH_KEY_LEN + 2];
    struct error e2;

    if (auth_load(state_dir, out, n, &e2) == 0) return 0;
    if (e2.kind != ERROR_NOT_FOUND) {
        *err = e2;
        return -1;
    }
    memcpy(line, "e2b_", 4);
    if (ids_random_hex(line + 4, 20) < 0)
        return error_set(err, ERROR_GENERIC, "no randomness for the API key");
    line[AUTH_KEY_LEN] = '\n';
    line[AUTH_KEY_LEN + 1] = '\0';
    snprintf(path, sizeof path, "%s/api-key", state_dir);
    if (fs_write_atomic(path, line, AUTH_KEY_LEN + 1, 0600, err) < 0) return -1;
    memcpy(out, line, AUTH_KEY_LEN);
    out[AUTH_KEY_LEN] = '\0';
    OPENSSL_cleanse(line, sizeof line);
    return 0;
}
