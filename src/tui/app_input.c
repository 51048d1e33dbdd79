/* app_input.c - keys and mouse: stdin is drained when the loop says it is readable, each key
 * goes to the active mode (prompt, confirm, help) or else to the top view, then to the global
 * keys. Nothing here draws; it only marks windows dirty. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "boxtop/i18n.h"
#include "app.h"

void app_command(struct app *a, const char *line); /* app_cmd.c */
void app_layout(struct app *a);                    /* app.c */

static int map_input_key(int ch, int is_key)
{
    if (is_key) {
        switch (ch) {
        case KEY_LEFT:
            return INPUT_KEY_LEFT;
        case KEY_RIGHT:
            return INPUT_KEY_RIGHT;
        case KEY_HOME:
            return INPUT_KEY_HOME;
        case KEY_END:
            return INPUT_KEY_END;
        case KEY_BACKSPACE:
            return INPUT_KEY_BACKSPACE;
        case KEY_DC:
            return INPUT_KEY_DELETE;
        case KEY_UP:
            return INPUT_KEY_UP;
        case KEY_DOWN:
            return INPUT_KEY_DOWN;
        case KEY_ENTER:
            return INPUT_KEY_ENTER;
        default:
            return 0;
        }
    }
    switch (ch) {
    case '\r':
    case '\n':
        return INPUT_KEY_ENTER;
    case 27:
        return INPUT_KEY_ESCAPE;
    case '\t':
        return INPUT_KEY_TAB;
    case 127:
    case 8:
        return INPUT_KEY_BACKSPACE;
    case 21:
        return INPUT_KEY_KILL_LINE;
    case 23:
        return INPUT_KEY_KILL_WORD;
    case 1:
        return INPUT_KEY_HOME;
    case 5:
        return INPUT_KEY_END;
    default:
        return ch;
    }
}

static void prompt_key(struct app *a, int ch, int is_key)
{
    int k = map_input_key(ch, is_key);
    if (!k) return;
    enum input_result r = input_key(&a->prompt, k);
    prompt_cb fn = a->prompt_fn;
    void *ud = a->prompt_ud;
    switch (r) {
    case INPUT_CHANGED:
        app_dirty(a, DIRTY_STATUS);
        if (fn) fn(a, a->prompt.text, 0, ud);
        break;
    case INPUT_SUBMIT:
    case INPUT_CANCEL: {
        char text[INPUT_MAX];
        snprintf(text, sizeof(text), "%s", a->prompt.text);
        a->mode = MODE_NORMAL;
        a->prompt_fn = NULL;
        app_dirty(a, DIRTY_STATUS | DIRTY_FOOTER | DIRTY_MAIN);
        /* the callback may open the next prompt (the `n` form does) */
        if (fn) fn(a, r == INPUT_SUBMIT ? text : NULL, 1, ud);
        break;
    }
    default:
        app_dirty(a, DIRTY_STATUS);
    }
}

static void confirm_key(struct app *a, int ch, int is_key)
{
    if (is_key) return;
    if (ch == 'y' || ch == 'Y') {
        a->mode = MODE_NORMAL;
        app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
        if (a->confirm_fn) a->confirm_fn(a, a->confirm_ud);
    } else if (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q') {
        a->mode = MODE_NORMAL;
        app_status(a, STATUS_INFO, _("cancelled"));
        app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
    }
}

static void command_done(struct app *a, const char *text, int submit, void *ud)
{
    (void)ud;
    if (!submit || !text) return;
    input_history_add(&a->cmd_hist, text);
    app_command(a, text);
}

static const char *const command_names[] = {"sandboxes", "templates", "events", "logs ",   "team",
                                            "ctx ",      "q",         "quit",   "record ", "shell ",
                                            "sessions",  "files ",    NULL};

void app_free_contexts(struct app *a)
{
    for (int i = 0; a->cmd_cands && a->cmd_cands[i]; i++)
        free(a->cmd_cands[i]);
    free(a->cmd_cands);
    a->cmd_cands = NULL;
}

void app_set_contexts(struct app *a, const char *const *names, int n)
{
    app_free_contexts(a);
    int nc = (int)(sizeof(command_names) / sizeof(command_names[0])) - 1;
    char **v = calloc((size_t)(nc + n + 1), sizeof(*v));
    if (!v) return;
    int k = 0;
    for (int i = 0; i < nc; i++)
        v[k++] = strdup(command_names[i]);
    for (int i = 0; i < n; i++) {
        size_t l = strlen(names[i]) + 5;
        if ((v[k] = malloc(l))) snprintf(v[k++], l, "ctx %s", names[i]);
    }
    for (int i = 0; i < k; i++)
        if (!v[i]) { /* ENOMEM: fall back to the fixed list */
            for (int j = 0; j < k; j++)
                free(v[j]);
            free(v);
            return;
        }
    a->cmd_cands = v;
}

static void open_command_line(struct app *a)
{
    app_prompt(a, ":", "", a->cmd_cands ? (const char *const *)a->cmd_cands : command_names,
               command_done, NULL);
    /* share the command history between prompts */
    for (int i = 0; i < a->cmd_hist.nhist; i++)
        input_history_add(&a->prompt, a->cmd_hist.hist[i]);
}

static void mouse_event(struct app *a)
{
    MEVENT me;
    if (getmouse(&me) != OK || a->too_small) return;
    if (a->mode == MODE_HELP) {
        if (me.bstate & BUTTON4_PRESSED)
            a->help_scroll = a->help_scroll > 0 ? a->help_scroll - 1 : 0;
        else if (me.bstate & BUTTON5_PRESSED)
            a->help_scroll++;
        else
            a->mode = MODE_NORMAL;
        app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
        return;
    }
    if (a->mode != MODE_NORMAL) return;
    struct view *v = app_top(a);
    int y = me.y - 2;
    if (v && v->ops->mouse && y >= 0 && y < a->rows - 4 && v->ops->mouse(v, a, y, me.x, me.bstate))
        app_dirty(a, DIRTY_MAIN);
}

static void global_key(struct app *a, int ch, int is_key)
{
    if (is_key) return;
    switch (ch) {
    case ':':
        open_command_line(a);
        break;
    case '?':
        a->mode = MODE_HELP;
        a->help_scroll = 0;
        app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
        break;
    case 12: /* Ctrl-L */
        app_dirty(a, DIRTY_ALL | DIRTY_CLEAR);
        break;
    case 'q':
    case 27:
        if (a->depth > 1)
            app_pop_view(a);
        else if (ch == 'q')
            app_quit(a);
        break;
    default:
        break;
    }
}

void app_handle_key(struct app *a, int ch, int is_key)
{
    app_sync_model(a);                      /* never read rows the last poll freed */
    if (is_key && ch == KEY_RESIZE) return; /* handled by the SIGWINCH watcher */
    if (is_key && ch == KEY_MOUSE) {
        mouse_event(a);
        return;
    }
    if (a->too_small) {
        if (!is_key && ch == a->keys.key[KA_QUIT].ch && !a->keys.key[KA_QUIT].is_key) app_quit(a);
        return;
    }
    switch (a->mode) {
    case MODE_PROMPT:
        prompt_key(a, ch, is_key);
        return;
    case MODE_CONFIRM:
        confirm_key(a, ch, is_key);
        return;
    case MODE_HELP:
        if (!is_key && (ch == 'j' || ch == 'k'))
            a->help_scroll += ch == 'j' ? 1 : (a->help_scroll > 0 ? -1 : 0);
        else if (is_key && (ch == KEY_DOWN || ch == KEY_UP))
            a->help_scroll += ch == KEY_DOWN ? 1 : (a->help_scroll > 0 ? -1 : 0);
        else
            a->mode = MODE_NORMAL;
        app_dirty(a, DIRTY_MAIN | DIRTY_FOOTER);
        return;
    default:
        break;
    }
    struct view *v = app_top(a);
    int all = v && v->ops->keymap;
    /* rebound keys (keymap.h): before an opted-in view, else only the global ones after the
     * view declined (a terminal view keeps every key as typed) */
    if (all && keymap_translate(&a->keys, 1, &ch, &is_key) < 0) return;
    if (v && v->ops->key && v->ops->key(v, a, ch, is_key)) return;
    if (!all && keymap_translate(&a->keys, 0, &ch, &is_key) < 0) return;
    global_key(a, ch, is_key);
}

void app_on_stdin(struct loop *l, int fd, int events, void *ud)
{
    (void)l;
    (void)fd;
    (void)events;
    struct app *a = ud;
    wint_t wc;
    int r;
    /* drain everything that arrived; nodelay makes get_wch return ERR when empty */
    while (!a->quit && (r = get_wch(&wc)) != ERR) {
        a->keys_read++;
        app_handle_key(a, (int)wc, r == KEY_CODE_YES);
    }
    /* keys scroll, sort and switch views: rows that came on screen need their metrics */
    if (!a->quit && a->be && a->be->ops->demand_now) a->be->ops->demand_now(a->be);
}
