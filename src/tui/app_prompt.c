/* app_prompt.c - the prompt mode: a question answered on the status line (`:`, a filter, a
 * name), its text sanitized and scrolled so the cursor stays in view (keys: app_input.c). */
#include "config.h"

#include <stdio.h>

#include "boxtop/buf.h"
#include "boxtop/sanitize.h"
#include "app.h"
#include "app_frame.h"

void app_prompt(struct app *a, const char *label, const char *initial,
                const char *const *completions, prompt_cb fn, void *ud)
{
    a->mode = MODE_PROMPT;
    snprintf(a->prompt_label, sizeof(a->prompt_label), "%s", label);
    input_free(&a->prompt); /* each prompt starts with its own history (`:` copies its own) */
    input_clear(&a->prompt);
    input_set(&a->prompt, initial ? initial : "");
    a->prompt.cands = completions;
    a->prompt_fn = fn;
    a->prompt_ud = ud;
    curs_set(1);
    app_dirty(a, DIRTY_STATUS | DIRTY_FOOTER);
}

/* The prompt's text as the status line draws it (sanitized): in out, with the cursor's byte
 * offset and column; returns its width. */
int app_prompt_text(struct app *a, struct buf *out, size_t *cur_off, int *cur_col)
{
    int fl = a->theme.utf8 ? 0 : SANITIZE_ASCII;
    sanitize_append(out, a->prompt.text, a->prompt.cur, fl);
    *cur_off = out->len;
    *cur_col = sanitize_width(buf_cstr(out), out->len);
    sanitize_append(out, a->prompt.text + a->prompt.cur, a->prompt.len - a->prompt.cur, fl);
    return sanitize_width(buf_cstr(out), out->len);
}

int app_prompt_label_room(struct app *a)
{
    /* the input needs its text and the cursor, and room to type (PROMPT_INPUT_MIN); a long
     * answer scrolls rather than squeezing the label below a third of the line */
    struct buf b = BUF_INIT;
    size_t off;
    int col, need = app_prompt_text(a, &b, &off, &col) + 1;
    buf_free(&b);
    if (need < PROMPT_INPUT_MIN) need = PROMPT_INPUT_MIN;
    int room = a->cols - need;
    return room < a->cols / 3 ? a->cols / 3 : room;
}

void app_prompt_close(struct app *a)
{
    if (a->mode != MODE_PROMPT) return;
    a->mode = MODE_NORMAL;
    a->prompt_fn = NULL;
    app_dirty(a, DIRTY_STATUS | DIRTY_FOOTER | DIRTY_MAIN);
}
