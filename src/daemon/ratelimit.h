/* ratelimit.h - creation rate limit (token bucket) answered with 429 + Retry-After. */
#ifndef BOXTOPD_RATELIMIT_H
#define BOXTOPD_RATELIMIT_H

#include <stdint.h>

struct limits {
    double tokens;
    double capacity; /* burst */
    double per_ms;   /* refill rate */
    int64_t last_ms;
};

void limits_init(struct limits *l, int per_minute, int64_t now_ms);
/* Take one creation token: 0, or the number of seconds to wait (>= 1). */
int limits_take(struct limits *l, int64_t now_ms);

#endif
