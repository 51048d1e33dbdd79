/* grow.c - growable arrays (see grow.h). The array pointer is read and written through memcpy
 * so that any object pointer type can be passed without aliasing it as void *. */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/grow.h"

int grow_array(void *arrp, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return 0;
    if (elem == 0) return -1;
    size_t nc = *cap > GROW_MIN / 2 ? *cap : GROW_MIN / 2;
    do {
        if (nc > SIZE_MAX / 2) return -1;
        nc *= 2;
    } while (nc < need);
    if (nc > SIZE_MAX / elem) return -1;
    void *old, *p;
    memcpy(&old, arrp, sizeof old);
    if (!(p = realloc(old, nc * elem))) return -1;
    memcpy(arrp, &p, sizeof p);
    *cap = nc;
    return 0;
}

int grow_array_int(void *arrp, int *cap, int need, size_t elem)
{
    if (need <= *cap) return 0;
    if (need < 0 || *cap < 0) return -1;
    size_t c = (size_t)*cap;
    if (grow_array(arrp, &c, (size_t)need, elem) < 0) return -1;
    *cap = c > INT_MAX ? INT_MAX : (int)c; /* need <= INT_MAX, so still enough */
    return 0;
}
