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
#include "expiry.h"

void app_command(struct app *a, const char *line); /* app_cmd.c */
void app_open_messages(struct app *a);             /* app_cmd.c */
void app_layout(struct app *a);                    /* app.c */

static void list_matches(struct app *a);

static void prompt_key(struct app *a, int ch, int is_key)
{
    int k = input_key_code(ch, is_key);
    if (!k) return;
    char before[INPUT_MAX];
    snprintf(before, sizeof before, "%s", a->prompt.text);
    if (a->prompt_hint[0]) app_dirty(a, DIRTY_FOOTER);
    a->prompt_hint[0] = '\0';
    enum input_result r = input_key(&a->prompt, k);
    if (k == INPUT_KEY_TAB && a->prompt.cands && !strcmp(before, a->prompt.text)) list_matches(a);
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
    } else if (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q' || ch == 3) {
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

static const char *const command_names[] = {
    "sandboxes", "templates", "events",   "logs ",    "team",   "ctx ",      "q",
    "quit",      "record ",   "shell ",   "sessions", "files ", "snapshots", "volumes",
    "webhooks",  "api",       "exec ",    "put ",     "get ",   "compare ",  "postmortem ",
    "ended",     "changes ",  "messages", NULL};

void app_free_contexts(struct app *a)
{
    for (int i = 0; a->cmd_cands && a->cmd_cands[i]; i++)
        free(a->cmd_cands[i]);
    free(a->cmd_cands);
    a->cmd_cands = NULL;
    free(a->cmd_all); /* it points into the list above */
    free(a->cmd_all_buf);
    a->cmd_all = NULL;
    a->cmd_all_buf = NULL;
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

static const char *const id_commands[] = {"logs ", "shell ", "files "};
#define N_ID_COMMANDS (sizeof id_commands / sizeof id_commands[0])

/* The `:` candidates: the commands, then each command that takes a sandbox id with each id the
 * model knows (one block of strings: cheap at 10 000 sandboxes). */
static const char *const *command_candidates(struct app *a)
{
    const char *const *base = a->cmd_cands ? (const char *const *)a->cmd_cands : command_names;
    free(a->cmd_all);
    free(a->cmd_all_buf);
    a->cmd_all = NULL;
    a->cmd_all_buf = NULL;
    size_t nb = 0, bytes = 0;
    while (base[nb])
        nb++;
    for (int i = 0; i < a->model.n; i++)
        bytes += N_ID_COMMANDS * (strlen(a->model.sb[i]->id) + 8);
    size_t total = nb + N_ID_COMMANDS * (size_t)a->model.n + 1;
    a->cmd_all = calloc(total, sizeof *a->cmd_all);
    a->cmd_all_buf = malloc(bytes + 1);
    if (!a->cmd_all || !a->cmd_all_buf) {
        free(a->cmd_all);
        free(a->cmd_all_buf);
        a->cmd_all = NULL;
        a->cmd_all_buf = NULL;
        return base;
    }
    size_t k = 0, off = 0;
    for (size_t i = 0; i < nb; i++)
        a->cmd_all[k++] = base[i];
    for (size_t c = 0; c < N_ID_COMMANDS; c++)
        for (int i = 0; i < a->model.n; i++) {
            int w = snprintf(a->cmd_all_buf + off, bytes + 1 - off, "%s%s", id_commands[c],
                             a->model.sb[i]->id);
            if (w < 0 || (size_t)w >= bytes + 1 - off) break;
            a->cmd_all[k++] = a->cmd_all_buf + off;
            off += (size_t)w + 1;
        }
    a->cmd_all[k] = NULL;
    return a->cmd_all;
}

/* A Tab that completed nothing more: list what matches in the footer, each by its next word
 * after the last space typed ("logs " lists the ids), as many as fit. */
static void list_matches(struct app *a)
{
    const char *const *c = a->prompt.cands;
    const char *text = a->prompt.text;
    size_t len = strlen(text), skip = 0, n = 0, more = 0, used = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == ' ') skip = i + 1;
    a->prompt_hint[0] = '\0';
    const char *shown[64];
    for (int i = 0; c && c[i]; i++) {
        if (strncmp(c[i], text, len)) continue;
        const char *w = c[i] + skip;
        size_t wl = strcspn(w, " ");
        int dup = 0;
        for (size_t j = 0; j < n && !dup; j++)
            dup = strlen(shown[j]) >= wl && !strncmp(shown[j], w, wl) &&
                  (shown[j][wl] == ' ' || !shown[j][wl]);
        if (dup) continue;
        if (n == 64 || used + wl + 2 >= sizeof a->prompt_hint - 24) {
            more++;
            continue;
        }
        shown[n++] = w;
        used += (size_t)snprintf(a->prompt_hint + used, sizeof a->prompt_hint - used, "%s%.*s",
                                 used ? "  " : "", (int)wl, w);
    }
    if (more)
        snprintf(a->prompt_hint + used, sizeof a->prompt_hint - used, _("  (+%zu more)"), more);
    app_dirty(a, DIRTY_FOOTER);
}

static void open_command_line(struct app *a)
{
    app_prompt(a, ":", "", command_candidates(a), command_done, NULL);
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
    case '!': /* KA_MESSAGES */
        app_open_messages(a);
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

static void handle_key(struct app *a, int ch, int is_key);

/* A key is the next action: a message read long enough goes, unless the key said something. */
void app_handle_key(struct app *a, int ch, int is_key)
{
    unsigned seq = a->status_seq;
    int64_t shown = loop_now_ms() - a->status_set_ms;
    handle_key(a, ch, is_key);
    if (is_key && ch == KEY_RESIZE) return;
    if (a->status[0] && a->status_seq == seq && shown >= STATUS_READ_MS) app_status_clear(a);
}

static void handle_key(struct app *a, int ch, int is_key)
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
    if (!(v && v->ops->raw_keys && v->ops->raw_keys(v)) && expiry_key(a, ch, is_key)) return;
    /* R while the backend is down and waited for: try it now, in every view (R reloads a
     * view; what it would reload comes from that backend) */
    if (!is_key && ch == 'R' && a->offline && a->retry_at && app_retry_key_works(a)) {
        app_retry_now(a);
        app_status(a, STATUS_INFO, _("trying the backend again now…"));
        return;
    }
    /* the view's own actions ([keys.VIEW], keymap_views.c), unless it is taking text */
    if (v && !(v->ops->typing && v->ops->typing(v)) &&
        keymap_translate_view(&a->keys, v->ops->name, &ch, &is_key) < 0)
        return;
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
    app_paste_check_stalled(a, app_handle_key);
    /* drain everything that arrived; nodelay makes get_wch return ERR when empty */
    while (!a->quit && (r = get_wch(&wc)) != ERR) {
        a->keys_read++;
        if (app_paste_key(a, (int)wc, r == KEY_CODE_YES, app_handle_key))
            continue; /* pasted text, not keys */
        app_handle_key(a, (int)wc, r == KEY_CODE_YES);
    }
    /* keys scroll, sort and switch views: rows that came on screen need their metrics */
    if (!a->quit && a->be && a->be->ops->demand_now) a->be->ops->demand_now(a->be);
}
