/* clipboard.c - copying text to the terminal's clipboard with OSC 52 (the API log's `y`, the
 * terminal's copy mode). BOXTOP_OSC52=0 turns it off for terminals that show the sequence. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boxtop/base64.h"
#include "boxtop/buf.h"
#include "boxtop/i18n.h"
#include "app.h"

#define OSC52_MAX (64 * 1024) /* bytes of text; terminals cap the sequence anyway */

int app_clipboard(struct app *a, const char *text, size_t len)
{
    const char *env = getenv("BOXTOP_OSC52");
    if (env && !strcmp(env, "0")) {
        app_status(a, STATUS_WARN, _("OSC 52 is off (BOXTOP_OSC52=0): nothing copied"));
        return -1;
    }
    if (len > OSC52_MAX) len = OSC52_MAX;
    struct buf b = BUF_INIT;
    int rc = -1;
    if (!buf_append_str(&b, "\033]52;c;") && !base64_encode(&b, text, len) &&
        !buf_append_str(&b, "\a")) {
        /* an OSC moves nothing on screen, so curses' idea of the terminal stays right */
        size_t off = 0;
        while (off < b.len) {
            ssize_t w = write(STDOUT_FILENO, b.data + off, b.len - off);
            if (w <= 0) break;
            off += (size_t)w;
        }
        rc = (int)len;
    }
    buf_free(&b);
    return rc;
}
