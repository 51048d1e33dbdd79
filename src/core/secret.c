/* secret.c - wipe-then-free for secret strings (see secret.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "boxtop/secret.h"

void secret_free(char *s)
{
    if (!s) return;
    explicit_bzero(s, strlen(s));
    free(s);
}
