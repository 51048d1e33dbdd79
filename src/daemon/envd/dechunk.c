/* dechunk.c - strict incremental chunked transfer-coding decoder (see dechunk.h). */
#include "config.h"

#include "dechunk.h"

#define DC_MAX_DIGITS   15 /* < 2^60 per chunk */
#define DC_MAX_TRAILERS 8192

void dechunk_init(struct dechunk *d)
{
    d->state = DC_SIZE;
    d->remaining = 0;
    d->digits = 0;
    d->trailer_len = d->trailer_total = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

long dechunk_feed(struct dechunk *d, char *in, size_t len, size_t *used, bool *done)
{
    size_t r = 0, w = 0;
    *done = false;
    while (r < len && d->state != DC_DONE) {
        char c = in[r];
        switch (d->state) {
        case DC_SIZE: {
            int h = hexval(c);
            if (h >= 0) {
                if (++d->digits > DC_MAX_DIGITS) goto bad;
                d->remaining = d->remaining * 16 + (uint64_t)h;
                r++;
            } else if (d->digits > 0 && (c == ';' || c == ' ' || c == '\t')) {
                d->state = DC_EXT;
                r++;
            } else if (d->digits > 0 && c == '\r') {
                d->state = DC_SIZE_LF;
                r++;
            } else {
                goto bad;
            }
            break;
        }
        case DC_EXT: /* chunk extensions are ignored */
            if (c == '\r')
                d->state = DC_SIZE_LF;
            else if (c == '\n')
                goto bad;
            r++;
            break;
        case DC_SIZE_LF:
            if (c != '\n') goto bad;
            r++;
            d->digits = 0;
            if (d->remaining == 0) {
                d->state = DC_TRAILER;
                d->trailer_len = 0;
            } else {
                d->state = DC_DATA;
            }
            break;
        case DC_DATA: {
            size_t n = len - r;
            if (n > d->remaining) n = (size_t)d->remaining;
            if (w != r)
                for (size_t i = 0; i < n; i++)
                    in[w + i] = in[r + i];
            w += n;
            r += n;
            d->remaining -= n;
            if (d->remaining == 0) d->state = DC_DATA_CR;
            break;
        }
        case DC_DATA_CR:
            if (c != '\r') goto bad;
            d->state = DC_DATA_LF;
            r++;
            break;
        case DC_DATA_LF:
            if (c != '\n') goto bad;
            d->state = DC_SIZE;
            r++;
            break;
        case DC_TRAILER:
            r++;
            if (++d->trailer_total > DC_MAX_TRAILERS) goto bad;
            if (c == '\r')
                d->state = DC_TRAILER_LF;
            else if (c == '\n')
                goto bad;
            else
                d->trailer_len++;
            break;
        case DC_TRAILER_LF:
            if (c != '\n') goto bad;
            r++;
            if (d->trailer_len == 0)
                d->state = DC_DONE;
            else {
                d->trailer_len = 0;
                d->state = DC_TRAILER;
            }
            break;
        case DC_DONE:
        case DC_ERROR:
            goto bad;
        }
    }
    *used = r;
    *done = d->state == DC_DONE;
    return (long)w;
bad:
    d->state = DC_ERROR;
    *used = r;
    return -1;
}
