/* connect_decode.c - incremental decoder for Connect envelopes.
 *
 * Bytes arrive in arbitrary pieces (curl write callbacks, lws receive buffers). The decoder
 * keeps the 5-byte prefix and a partial payload between calls and hands out each frame
 * exactly once, whatever the split: a frame wholly inside one feed is delivered straight from
 * the caller's bytes (no copy); only frames that span feeds are assembled in d->payload.
 * Invariants: prefix_len < 5 while reading a prefix; once the prefix is complete, need holds
 * the payload length and payload.len < need until the frame is delivered. */
#include "config.h"

#include <string.h>

#include "boxtop/connect.h"

void connect_decoder_init(struct connect_decoder *d, size_t max_message)
{
    memset(d, 0, sizeof *d);
    d->max_message = max_message ? max_message : CONNECT_MAX_MESSAGE_DEFAULT;
}

void connect_decoder_free(struct connect_decoder *d)
{
    buf_free(&d->payload);
    d->prefix_len = 0;
}

static int fail(struct connect_decoder *d, int rc)
{
    d->failed = rc < 0 ? rc : -1;
    buf_free(&d->payload);
    return d->failed;
}

/* Validate a complete prefix; sets d->need. */
static int prefix_check(struct connect_decoder *d, struct error *err)
{
    unsigned flags = d->prefix[0];
    uint32_t len = ((uint32_t)d->prefix[1] << 24) | ((uint32_t)d->prefix[2] << 16) |
                   ((uint32_t)d->prefix[3] << 8) | (uint32_t)d->prefix[4];
    if (flags & ~(CONNECT_FLAG_COMPRESSED | CONNECT_FLAG_END_STREAM))
        return error_set(err, ERROR_PROTOCOL, "Connect frame has unknown flags 0x%02x", flags);
    if (flags & CONNECT_FLAG_COMPRESSED)
        return error_set(err, ERROR_PROTOCOL,
                         "Connect frame is compressed, but no compression was negotiated");
    if (len > d->max_message)
        return error_set(err, ERROR_PROTOCOL,
                         "Connect frame of %lu bytes exceeds the limit of %lu bytes",
                         (unsigned long)len, (unsigned long)d->max_message);
    d->need = len;
    return 0;
}

static int deliver(struct connect_decoder *d, const char *data, size_t len, connect_frame_cb cb,
                   void *ud, struct error *err)
{
    struct connect_frame f = {.flags = d->prefix[0], .data = data, .len = len, .end = NULL};
    struct connect_end end;
    int rc;
    d->prefix_len = 0;
    d->frames++;
    if (f.flags & CONNECT_FLAG_END_STREAM) {
        if (connect_end_parse(data, len, &end, err) < 0) return -1;
        f.end = &end;
        d->ended = true;
        rc = cb ? cb(&f, ud, err) : 0;
        connect_end_free(&end);
    } else {
        rc = cb ? cb(&f, ud, err) : 0;
    }
    return rc < 0 ? rc : 0;
}

int connect_decoder_feed(struct connect_decoder *d, const void *data, size_t len,
                         connect_frame_cb cb, void *ud, struct error *err)
{
    const char *p = data;
    if (d->failed) {
        error_set(err, ERROR_PROTOCOL, "Connect stream already failed");
        return d->failed;
    }
    while (len > 0) {
        if (d->ended)
            return fail(d, error_set(err, ERROR_PROTOCOL,
                                     "Connect stream has data after the end-stream frame"));
        if (d->prefix_len < CONNECT_PREFIX_LEN) {
            size_t take = CONNECT_PREFIX_LEN - d->prefix_len;
            if (take > len) take = len;
            memcpy(d->prefix + d->prefix_len, p, take);
            d->prefix_len += take;
            p += take;
            len -= take;
            if (d->prefix_len < CONNECT_PREFIX_LEN) break;
            if (prefix_check(d, err) < 0) return fail(d, -1);
            buf_reset(&d->payload);
        }
        /* Prefix complete: gather need bytes of payload. */
        size_t have = d->payload.len;
        if (have == 0 && len >= d->need) {
            size_t n = d->need;
            int rc = deliver(d, p, n, cb, ud, err);
            if (rc < 0) return fail(d, rc);
            p += n;
            len -= n;
            continue;
        }
        size_t take = d->need - have;
        if (take > len) take = len;
        if (buf_append(&d->payload, p, take) < 0)
            return fail(d, error_set(err, ERROR_GENERIC, "out of memory"));
        p += take;
        len -= take;
        if (d->payload.len == d->need) {
            int rc =
                deliver(d, d->payload.data ? d->payload.data : "", d->payload.len, cb, ud, err);
            buf_reset(&d->payload);
            if (rc < 0) return fail(d, rc);
        }
    }
    return 0;
}

int connect_decoder_finish(struct connect_decoder *d, struct error *err)
{
    if (d->failed) {
        error_set(err, ERROR_PROTOCOL, "Connect stream already failed");
        return d->failed;
    }
    if (d->prefix_len > 0)
        return fail(d, error_set(err, ERROR_PROTOCOL, "Connect stream ended inside a frame"));
    if (!d->ended)
        return fail(
            d, error_set(err, ERROR_PROTOCOL, "Connect stream ended without an end-stream frame"));
    return 0;
}
