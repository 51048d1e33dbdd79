/* grow.h - growable arrays: the one place that makes room, so no call site does its own
 * capacity arithmetic. An array is a pointer, a count the caller keeps and a capacity (in
 * elements); GROW makes room for `need` elements, doubling from GROW_MIN so appends stay
 * amortized O(1). On failure (out of memory, or a size that would overflow) nothing changes
 * and -1 is returned; the array still holds what it held.
 *
 *     if (GROW(l->v, l->cap, l->n + 1) < 0) return -ENOMEM;
 *     l->v[l->n++] = x;
 *
 * GROW takes a size_t capacity, GROW_INT an int one (counts the models keep as int). */
#ifndef BOXTOP_GROW_H
#define BOXTOP_GROW_H

#include <stddef.h>

#define GROW_MIN 16

/* arrp points to the array pointer (any object pointer type). */
int grow_array(void *arrp, size_t *cap, size_t need, size_t elem);
int grow_array_int(void *arrp, int *cap, int need, size_t elem);

#define GROW(arr, cap, need)     grow_array(&(arr), &(cap), (need), sizeof *(arr))
#define GROW_INT(arr, cap, need) grow_array_int(&(arr), &(cap), (need), sizeof *(arr))

#endif
