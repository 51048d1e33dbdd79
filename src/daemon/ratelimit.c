/* ratelimit.c - token bucket for sandbox creations. */
#include "config.h"

#include <math.h>

#include "ratelimit.h"

void limits_init(struct limits *l, int per_minute, int64_t now_ms)
{
    l->capacity = per_minute > 0 ? per_minute : 1;
    l->tokens = l->capacity;
    l->per_ms = l->capacity / 60000.0;
    l->last_ms = now_ms;
}

int limits_take(struct limits *l, int64_t now_ms)
{
    if (now_ms > l->last_ms) {
        l->tokens += (double)(now_ms - l->last_ms) * l->per_ms;
        if (l->tokens > l->capacity) l->tokens = l->capacity;
        l->last_ms = now_ms;
    }
    if (l->tokens >= 1.0) {
        l->tokens -= 1.0;
        return 0;
    }
    double wait_ms = (1.0 - l->tokens) / l->per_ms;
    int s = (int)ceil(wait_ms / 1000.0);
    return s < 1 ? 1 : s;
}
