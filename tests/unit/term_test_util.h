/* term_test_util.h - helpers shared by the terminal engine tests: an engine whose output
 * callback collects bytes, feeding strings, reading a row back as UTF-8. */
#ifndef TERM_TEST_UTIL_H
#define TERM_TEST_UTIL_H

#include <string.h>

#include "boxtop/buf.h"
#include "term.h"

struct tt {
    struct term_engine *e;
    struct buf out; /* what the engine sent towards the pty */
};

static inline void tt_output(const char *bytes, size_t len, void *user)
{
    struct tt *t = user;
    buf_append(&t->out, bytes, len);
}

static inline struct term_engine *tt_new(struct tt *t, int rows, int cols, int sb)
{
    memset(t, 0, sizeof *t);
    struct term_engine_opts o = {rows, cols, sb, tt_output, t};
    t->e = term_engine_new(&o, NULL);
    return t->e;
}

static inline void tt_free(struct tt *t)
{
    term_engine_free(t->e);
    buf_free(&t->out);
}

static inline void tt_feed(struct tt *t, const char *s)
{
    size_t used = 0;
    int more = term_engine_write(t->e, s, strlen(s), 0, &used);
    (void)more;
}

/* Text of a line (sanitized, trailing blanks trimmed) in a static buffer. */
static inline const char *tt_line(struct tt *t, int line)
{
    static char text[4096];
    struct buf b = BUF_INIT;
    if (term_engine_line_text(t->e, line, &b) < 0)
        snprintf(text, sizeof text, "<no line %d>", line);
    else
        snprintf(text, sizeof text, "%s", buf_cstr(&b));
    buf_free(&b);
    return text;
}

#endif
