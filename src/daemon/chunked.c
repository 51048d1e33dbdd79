/* chunked.c - strict incremental HTTP/1.1 chunked body decoder (see chunked.h for why). */
#include "config.h"

#include "chunked.h"

/* Limits that keep a hostile peer from making us spin on ext/trailer bytes forever. */
#define CHUNKED_MAX_DIGITS  15    /* < 2^60: no overflow, far above any body limit */
#define CHUNKED_MAX_LINE    4096  /* one extension or trailer line */
#define CHUNKED_MAX_TRAILER 16384 /* all trailer lines together */

void chunked_init(struct chunked *c)
{
    c->state = CHUNKED_SIZE;
    c->remaining = 0;
    c->digits = 0;
    c->line_len = 0;
    c->trailer_total = 0;
    c->error = NULL;
}

static int hexval(unsigned char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static int fail(struct chunked *c, const char *why)
{
    c->state = CHUNKED_ERROR;
    c->error = why;
    return -1;
}

/* The size line ended (CRLF seen): start the data or the trailer section. */
static void size_line_done(struct chunked *c)
{
    c->line_len = 0;
    if (c->remaining == 0) {
        c->state = CHUNKED_TRAILER;
    } else {
        c->state = CHUNKED_DATA;
    }
}

int chunked_feed(struct chunked *c, const char *in, size_t len, size_t *used, chunked_data_fn fn,
                 void *ud)
{
    size_t i = 0;
    int rc = 0;

    if (c->state == CHUNKED_ERROR) {
        *used = 0;
        return -1;
    }
    while (i < len && c->state != CHUNKED_DONE) {
        unsigned char ch = (unsigned char)in[i];
        switch (c->state) {
        case CHUNKED_SIZE: {
            int v = hexval(ch);
            if (v >= 0) {
                if (++c->digits > CHUNKED_MAX_DIGITS) {
                    rc = fail(c, "chunk size too large");
                    goto out;
                }
                c->remaining = c->remaining * 16 + (uint64_t)v;
            } else if (c->digits == 0) {
                rc = fail(c, "chunk size missing");
                goto out;
            } else if (ch == ';') {
                c->state = CHUNKED_EXT;
                c->line_len = 0;
            } else if (ch == '\r') {
                c->state = CHUNKED_SIZE_LF;
            } else {
                rc = fail(c, "invalid character in chunk size");
                goto out;
            }
            i++;
            break;
        }
        case CHUNKED_EXT:
            if (ch == '\r') {
                c->state = CHUNKED_SIZE_LF;
            } else if (ch == '\n' || ch == 0 || ++c->line_len > CHUNKED_MAX_LINE) {
                rc = fail(c, "invalid chunk extension");
                goto out;
            }
            i++;
            break;
        case CHUNKED_SIZE_LF:
            if (ch != '\n') {
                rc = fail(c, "expected LF after chunk size");
                goto out;
            }
            i++;
            size_line_done(c);
            break;
        case CHUNKED_DATA: {
            size_t avail = len - i;
            size_t n = avail < c->remaining ? avail : (size_t)c->remaining;
            if (fn) {
                int r = fn(ud, in + i, n);
                if (r) {
                    i += n;
                    c->state = CHUNKED_ERROR;
                    c->error = "aborted by the receiver";
                    rc = r;
                    goto out;
                }
            }
            i += n;
            c->remaining -= n;
            if (c->remaining == 0) c->state = CHUNKED_DATA_CR;
            break;
        }
        case CHUNKED_DATA_CR:
            if (ch != '\r') {
                rc = fail(c, "expected CRLF after chunk data");
                goto out;
            }
            c->state = CHUNKED_DATA_LF;
            i++;
            break;
        case CHUNKED_DATA_LF:
            if (ch != '\n') {
                rc = fail(c, "expected CRLF after chunk data");
                goto out;
            }
            c->state = CHUNKED_SIZE;
            c->digits = 0;
            c->remaining = 0;
            i++;
            break;
        case CHUNKED_TRAILER:
            if (ch == '\r') {
                c->state = CHUNKED_END_LF;
            } else if (ch == '\n' || ch == 0 || ch == ' ' || ch == '\t') {
                rc = fail(c, "invalid trailer");
                goto out;
            } else {
                c->state = CHUNKED_TRAILER_LINE;
                c->line_len = 1;
                if (++c->trailer_total > CHUNKED_MAX_TRAILER) {
                    rc = fail(c, "trailer too large");
                    goto out;
                }
            }
            i++;
            break;
        case CHUNKED_TRAILER_LINE:
            if (ch == '\r') {
                c->state = CHUNKED_TRAILER_LF;
            } else if (ch == '\n' || ch == 0 || ++c->line_len > CHUNKED_MAX_LINE ||
                       ++c->trailer_total > CHUNKED_MAX_TRAILER) {
                rc = fail(c, "invalid trailer");
                goto out;
            }
            i++;
            break;
        case CHUNKED_TRAILER_LF:
            if (ch != '\n') {
                rc = fail(c, "expected LF after trailer");
                goto out;
            }
            c->state = CHUNKED_TRAILER;
            i++;
            break;
        case CHUNKED_END_LF:
            if (ch != '\n') {
                rc = fail(c, "expected LF at end of chunked body");
                goto out;
            }
            c->state = CHUNKED_DONE;
            i++;
            break;
        case CHUNKED_DONE:
        case CHUNKED_ERROR:
            break;
        }
    }
out:
    *used = i;
    return rc;
}
