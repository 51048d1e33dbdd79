/* app.h - the TUI's one state struct, the view vtable and the frame around the views.
 *
 * Data flow: backend → model (generation++) → app_model_changed() → views mark themselves
 * dirty. Input: stdin readable → keys → the mode (prompt, confirm, help) or the top view.
 * Drawing: mutators only set dirty bits; app_before_sleep() (the loop's before-sleep hook)
 * redraws what is dirty with wnoutrefresh and does one doupdate() per frame.
 * Idle means no wakeups: the only timer is the 1 s clock tick, armed only while something on
 * screen counts (time to live, ages, a status message that expires). */
#ifndef BOXTOP_TUI_APP_H
#define BOXTOP_TUI_APP_H

#include <curses.h>
#include <stdint.h>

#include "boxtop/loop.h"
#include "backend.h"
#include "duration.h"
#include "app_paste.h"
#include "keymap.h"
#include "model.h"
#include "theme.h"
#include "widgets/input.h"

/* Named ticks (design.md §5): */
#define TICK_CLOCK_MS   1000  /* countdowns and ages on screen */
#define TICK_METRICS_MS 5000  /* list + metrics poll (the e2b backend, jittered ±10 %) */
#define STATUS_SHOW_MS  5000  /* how long an info message stays */
#define STATUS_WARN_MS  10000 /* how long a warning or an error stays */
#define STATUS_READ_MS  1000  /* a key clears a message shown at least this long */

#define MIN_COLS       80
#define MIN_ROWS       24
#define VIEW_STACK_MAX 8

struct app;
struct buf;
struct error;
struct msg_ring;
struct view;
struct session;

struct keyhelp {
    const char *keys; /* "j/k ↑/↓" */
    const char *what; /* translated at draw time (N_() here) */
};

struct view_ops {
    const char *name;
    void (*draw)(struct view *v, struct app *a, WINDOW *w, int h, int wd);
    /* ch: a code point (is_key 0) or a KEY_* code (is_key 1). Returns 1 when handled. */
    int (*key)(struct view *v, struct app *a, int ch, int is_key);
    /* y/x relative to the main window. Returns 1 when handled. */
    int (*mouse)(struct view *v, struct app *a, int y, int x, mmask_t bstate);
    void (*model_changed)(struct view *v, struct app *a);
    const char *(*footer)(struct view *v); /* the view's keys, one line */
    const struct keyhelp *(*help)(struct view *v, int *n);
    int (*needs_clock)(struct view *v, struct app *a); /* counts down something on screen */
    /* Optional, instead of needs_clock: ms until something counting on screen next changes
     * its text, -1 = never; the clock then wakes only for that (on a second boundary). */
    int64_t (*clock_due)(struct view *v, struct app *a);
    /* Optional: the clock moved and nothing else changed since the last draw(); redraw only
     * what counts on screen (w still holds the last frame). 0 = do a full draw() instead. */
    int (*tick)(struct view *v, struct app *a, WINDOW *w, int h, int wd);
    void (*destroy)(struct view *v);
    /* Optional, the top view only, in every frame after the app's windows went out and right
     * before doupdate() (not under help/confirm): views with windows of their own (the
     * terminal) wnoutrefresh them and place the cursor here. */
    void (*frame)(struct view *v, struct app *a);
    /* Optional, the top view only: 1 while every key must reach it as a byte (a terminal
     * tab): the outer tty then has no isig/ixon, so Ctrl-C, Ctrl-\, Ctrl-Z, Ctrl-S and Ctrl-Q
     * are keys, not signals (app_draw switches the mode when the top view changes). */
    int (*raw_keys)(struct view *v);
    /* Optional, the top view only, before the backend polls metrics: stamp box.wanted on the
     * sandboxes it shows, set model.metrics_all when it needs all of them (model.h). */
    void (*demand)(struct view *v, struct app *a);
    /* Optional: who owns a status message set now, when it is not the view itself (the
     * terminal: the tab shown, or its copy mode). Messages show only while their owner does. */
    const void *(*status_owner)(struct view *v);
    /* 1: every key goes through a->keys (keymap.h) before key(), so the view's rebindable
     * actions follow the [keys] section; 0: only the global actions, after key() declined. */
    int keymap;
    /* Optional: the sandbox this view works in (a terminal tab, file browser, commands view),
     * NULL = none. When it ends, its post-mortem card is pushed over the view (issue 17). */
    const char *(*sandbox_id)(struct view *v);
    /* Optional: 1 when the user works with sandbox id here without it being the view's own
     * (a marked row of the sandboxes view): its expiry alert shows too (expiry.c). */
    int (*works_with)(struct view *v, const char *id);
    /* Optional: 1 while the view takes typed text itself (a form): no key is rebound then. */
    int (*typing)(struct view *v);
    /* Optional: text pasted (bracketed paste, app_paste.h) while the view is on top, as the
     * terminal sent it; without it only a prompt or a typing() form takes a paste. */
    void (*paste)(struct view *v, struct app *a, const char *text, size_t len);
};

struct view {
    const struct view_ops *ops;
};

enum app_mode { MODE_NORMAL = 0, MODE_PROMPT, MODE_CONFIRM, MODE_HELP };
enum status_level { STATUS_INFO = 0, STATUS_WARN, STATUS_ERROR };

enum {
    DIRTY_HEADER = 1,
    DIRTY_MAIN = 2,
    DIRTY_FOOTER = 4,
    DIRTY_STATUS = 8,
    DIRTY_ALL = 15,
    DIRTY_CLEAR = 16, /* repaint the whole terminal (Ctrl-L, SIGCONT) */
    DIRTY_FRAME = 32, /* a frame for the top view's frame() hook only (terminal output) */
    DIRTY_TICK = 64   /* the clock moved: the top view's tick() may update in place */
};

/* Called with the prompt's text on Enter (submit=1), on each change (submit=0, for the
 * incremental filter) and with NULL on Esc. */
typedef void (*prompt_cb)(struct app *a, const char *text, int submit, void *ud);
typedef void (*confirm_cb)(struct app *a, void *ud);

struct app {
    struct loop *loop;
    struct model model;
    struct backend *be;
    struct theme theme;
    int readonly;
    const char *record_path;
    int no_color;
    int theme_id;       /* enum theme_id: theme = NAME / --theme NAME */
    struct keymap keys; /* [keys] of the config file (keymap_init'ed at least) */

    struct view *stack[VIEW_STACK_MAX];
    int depth;

    enum app_mode mode;
    struct input prompt;    /* the bottom line in MODE_PROMPT */
    char prompt_label[256]; /* a prompt may name a sandbox (ui_fit) */
    prompt_cb prompt_fn;
    void *prompt_ud;
    struct input cmd_hist; /* keeps the `:` history across prompts */
    char confirm_msg[256];
    confirm_cb confirm_fn;
    void *confirm_ud;
    int help_scroll;

    char status[256];
    enum status_level status_level;
    int64_t status_until;     /* monotonic ms; 0 = sticky */
    int64_t status_set_ms;    /* monotonic ms it was set */
    const void *status_owner; /* the view (or tab) it belongs to; NULL = everywhere */
    unsigned status_seq;      /* counts messages: did a key set one? */
    int status_detail;        /* it has a detail: the status line says `:messages` has it */
    int status_cut;           /* longer than status[]: `:messages` has it whole */
    struct msg_ring *msgs;    /* every message of the session (messages.h; `:messages`) */
    int offline;
    /* The backend is down and is tried again at retry_at (monotonic ms, 0 = not waiting): the
     * header, and the status line while it shows the offline message (status_retry), count
     * down to it with the 1 s clock. retry_now (R) tries at once (the local boxtopd's
     * supervisor); the backend's poll_now is called too. */
    int64_t retry_at;
    int retry_kind; /* enum backend_retry: what the countdown says */
    int status_retry;
    int64_t retry_seen_at; /* the countdown the clock last saw (app_retry_ticked) */
    int retry_seen_s;      /* ... and its whole seconds then (0: "now…") */
    void (*retry_now)(struct app *a, void *ud);
    void *retry_ud;

    WINDOW *w_header, *w_main, *w_footer, *w_status;
    int rows, cols, too_small;
    int dirty;
    int64_t clock_timer;
    int64_t clock_at;   /* wall clock ms the clock timer fires at */
    int clock_for_view; /* the top view asked for that wake-up (else: only the status line) */
    uint64_t model_gen_seen;
    int quit;
    int exit_code;
    int raw_keys;       /* the outer tty is in raw-keys mode (view_ops.raw_keys) */
    unsigned frames;    /* frames drawn (for tests and --stats) */
    unsigned keys_read; /* keys read (the frame log says which frame answered them) */
    int frame_log;      /* BOXTOP_FRAME_LOG=FILE (bench/list): one line per early frame, else -1 */
    /* a bracketed paste being read (app_paste.h) */
    struct app_paste paste;
    /* the header's running/paused counts, recounted only when the model changed (a count
     * visits every sandbox: 10 000 cache misses on each clock tick otherwise) */
    uint64_t counts_gen;
    int n_running, n_paused;
    /* the last frame that drew the main area (monotonic ms), and a frame for new samples that
     * is due (app_samples_changed; timer id, 0 = none) */
    int64_t main_ms;
    int64_t samples_timer;

    /* `:` completions: the commands plus "ctx NAME" for each configured context (owned) */
    char **cmd_cands;
    /* ... plus "logs ID", "shell ID", "files ID" for the sandboxes known when `:` opened:
     * pointers into one block (owned, rebuilt on each `:`) */
    const char **cmd_all;
    char *cmd_all_buf;
    char prompt_hint[256];  /* a second Tab lists the matches here (the footer) */
    char backend_note[256]; /* the local boxtopd's base image: the header's label gives way to it */
    /* :ctx NAME (live backends only; NULL = not possible here) */
    int (*switch_ctx)(struct app *a, const char *name, struct error *err, void *ud);
    void *switch_ud;

    /* Terminal sessions (issue 7, views/view_term.c): created on the first shell, freed by
     * app_run; rec_sessions_dir is --record-sessions DIR (asciicast v2 per session). */
    struct session_mgr *sessions;
    const char *rec_sessions_dir;
    struct api_log *api_log; /* `:api` (issue 18): NULL over a replay */
    /* the sandboxes `:exec` & co. act on (set by the sandboxes view): the marked ones, else
     * the rows a filter shows, else the selected one; malloc'd copies, NULL-terminated */
    char **(*fleet_targets)(struct app *a, int *n);
    /* Ended sandboxes and their post-mortems (issue 17, postmortem_track.h). */
    struct pm_track *pm;
    struct expiry *expiry;    /* expiry.h: ends within a minute, the alert */
    const char *expiry_alert; /* set by expiry_frame(): the alert line (raw), NULL = none */
    int n_expiring;           /* set by expiry_frame(): running ones ending within 1 min */
    struct chg_marks *chg;    /* changes_track.h: `m` marks and their deletion watchers */
};

/* Build the `:` completion list with these context names (copied). */
void app_set_contexts(struct app *a, const char *const *names, int n);
void app_free_contexts(struct app *a);

/* Flow */
void app_dirty(struct app *a, int what);
/* New samples of known sandboxes (no row came or went): the main area is drawn with them at
 * most every APP_SAMPLES_FRAME_MS (history windows arrive in bursts of dozens). */
#define APP_SAMPLES_FRAME_MS 250
void app_samples_changed(struct app *a);
void app_status(struct app *a, enum status_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a message that belongs to owner (a view, or what its status_owner returns), set
 * while something else may be on top: it shows only while owner does. */
void app_status_for(struct app *a, const void *owner, enum status_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A message with the raw detail behind it (detail NULL or "" = none; `:messages` shows it). */
void app_status_detail(struct app *a, enum status_level lvl, const char *detail, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
/* "trying again in 4 s" / "trying again now…" while a->retry_at is set, else "". */
void app_retry_text(struct app *a, char *out, size_t n);
/* R: try the backend that is down again now. */
void app_retry_now(struct app *a);
/* 1 when R reaches the app in the top view (not a terminal tab or a form, which take it as
 * typed): only then does the status line offer it. */
int app_retry_key_works(struct app *a);
/* The clock's question (app_clock.c): did the countdown's text change since it last asked
 * (1 s ticks that change nothing on screen redraw nothing)? Only while offline: nothing shows
 * it otherwise. */
int app_retry_ticked(struct app *a);
/* app_status_for with the detail behind the message. */
void app_status_for_detail(struct app *a, const void *owner, enum status_level lvl,
                           const char *detail, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
const void *app_status_owner_now(struct app *a); /* the owner a message set now would get */
void app_status_clear(struct app *a); /* the message is over (the thing it announced is done) */
void app_push_view(struct app *a, struct view *v);
void app_pop_view(struct app *a); /* the root view stays */
struct view *app_top(struct app *a);
void app_quit(struct app *a);
void app_prompt(struct app *a, const char *label, const char *initial,
                const char *const *completions, prompt_cb fn, void *ud);
/* From a prompt's change callback: end the prompt without calling it again (a one-key
 * choice answered by its first key). */
void app_prompt_close(struct app *a);
/* The columns a prompt's label may take on the status line: all but what the input needs
 * (its text and cursor, at least PROMPT_INPUT_MIN), never less than a third of the line. */
#define PROMPT_INPUT_MIN 20
int app_prompt_label_room(struct app *a);
void app_confirm(struct app *a, const char *msg, confirm_cb fn, void *ud);
/* Write text (lines of it) to path, created 0600 and never through a symlink, and say the
 * outcome in the status line (app_save.c). 0 or -1. */
int app_save_text(struct app *a, const char *path, const struct buf *text, size_t lines);
/* Copy text to the terminal's clipboard with OSC 52 (at most 64 KiB of it; terminals cap
 * the sequence anyway; clipboard.c). Returns the bytes sent, or -1 when BOXTOP_OSC52=0
 * turns it off (said in the status line) or it could not be built. */
int app_clipboard(struct app *a, const char *text, size_t len);
/* Refuse with a clear message in --readonly; returns 1 when refused. */
int app_refuse_readonly(struct app *a, const char *action);
void app_clock_check(struct app *a); /* (re)arm or drop the 1 s tick */
void app_sync_model(struct app *a);  /* tell views the model changed (before reading it) */

/* Drawing helpers shared by views (text is sanitized here, never by the caller). */
/* Draw raw (untrusted) text at y,x within maxw columns, truncated with an ellipsis. Returns
 * columns used. */
int ui_text(struct app *a, WINDOW *w, int y, int x, int maxw, const char *raw, attr_t attr);
/* raw sanitized and cut to maxw columns (with an ellipsis) into out, for text built before it
 * is drawn (a prompt naming a sandbox); returns its width. */
int ui_fit(struct app *a, const char *raw, int maxw, char *out, size_t n);
/* Right-align within maxw. */
int ui_text_right(struct app *a, WINDOW *w, int y, int x, int maxw, const char *raw, attr_t attr);
/* Columns of a table drawn as one line of text (a log, a results list): cells are padded by
 * display width, so a translated title with an umlaut or a wide character lines up. */
struct ui_fcol {
    const char *title; /* N_() */
    int w, right;      /* columns; right-aligned */
};
/* Widen each column to its translated title. */
void ui_fcols_fit(struct app *a, struct ui_fcol *c, int n);
/* cells (raw: sanitized here) each padded or cut (with an ellipsis) to its column, one space
 * apart, appended to b; the last left-aligned one is not padded. */
void ui_fcols_line(struct app *a, struct buf *b, const struct ui_fcol *c, int n,
                   const char *const *cells);
void ui_fill(WINDOW *w, int y, int x, int n, attr_t attr);
/* A frame of h x wd cells: Unicode box drawing when UTF-8, else +-| (no ACS: it depends on
 * the terminal's alternate character set, which multiplexers and captures do not all keep). */
void ui_box(struct app *a, WINDOW *w, int y, int x, int h, int wd, attr_t attr);
void ui_fmt_bytes(char *out, size_t n, int64_t bytes);
void ui_fmt_duration(char *out, size_t n, int64_t ms); /* "3d4h", "12m05s", "45s" */
/* Under a minute with tenths ("0.4s"), else as above; "-" when ns < 0. */
void ui_fmt_duration_ns(char *out, size_t n, int64_t ns);
/* The cursor move of a navigation key (an ncurses KEY_*): arrows by 1, PgUp/PgDn by page,
 * Home/End past either end of n rows (the view clamps). 1 with *delta, 0 for another key. */
int ui_nav_delta(int key, int page, int n, int *delta);
/* Every time-to-live prompt's label: with "Enter for DEF" when def_s > 0. */
void ui_ttl_prompt(char *out, size_t n, int def_s);
/* Every time-to-live prompt's answer to what ui_parse_duration refuses. */
const char *ui_ttl_bad(void);
/* ms since the epoch in local time with strftime's fmt; "-" for 0 (not known). */
void ui_fmt_localtime(char *out, size_t n, int64_t ms, const char *fmt);

/* A list view's table (ui_list.c): title (formatted), err (the last load's, or ""), the
 * columns (titles N_()), n rows, and the view's selection and first shown row. A column with
 * a min narrows towards it, in column order, when the table is wider than the window. */
struct ui_col {
    const char *title;
    int w, min;
};
struct ui_list {
    const char *title, *err, *fail_msg, *empty_msg; /* fail_msg: not loaded after an error */
    int loaded, n, ncols;
    const struct ui_col *cols;
    int *sel, *top;
};
/* Title, error, loading / empty state and column header; keeps *sel in view. Returns how
 * many rows to draw from *top at y = 2 (0: none). */
int ui_list_frame(struct app *a, WINDOW *w, int h, int wd, const struct ui_list *l);
/* The widths of n columns in a window wd wide (see struct ui_col), into out[n]. */
void ui_cols_fit(const struct ui_col *cols, int n, int wd, int *out);
/* Row i's cells under the columns at y (the selected row highlighted). */
void ui_list_row(struct app *a, WINDOW *w, int y, int wd, const struct ui_list *l, int i,
                 const char *const *cells);
/* j/k and the arrows move *sel within n rows; 1 when ch was one of them. */
int ui_list_move(int ch, int is_key, int *sel, int n);

/* Views */
struct view *view_sandboxes_new(struct app *a);
struct view *view_detail_new(struct app *a, const char *id);
/* Terminals (views/view_term.c, views/view_term_sessions.c; issue 7). */
void term_open_shell(struct app *a, const char *sandbox_id);               /* `s`, :shell ID */
void term_open_another_shell(struct app *a, const char *sandbox_id);       /* prefix c, `O` */
void term_attach_pid(struct app *a, const char *sandbox_id, uint32_t pid); /* commands `a` */
void term_sessions_free(struct app *a);                                    /* app_run, at exit */
struct view *view_logs_new(struct app *a, const char *id);                 /* views/view_logs.c */
struct view *view_commands_new(struct app *a, const char *id); /* views/view_commands.c */
struct view *view_templates_new(struct app *a);                /* views/view_templates.c */
struct view *view_template_build_new(struct app *a, const char *file, const char *name, int cpu,
                                     int memory_mb,
                                     struct error *err); /* views/view_template_build.c */
/* The pane on a build that exists (its log, live until it ends); views/view_template_build.c. */
struct view *view_template_build_attach(struct app *a, const char *tid, const char *bid,
                                        const char *name, int64_t created_ms, int64_t finished_ms,
                                        struct error *err);
struct view *view_team_new(struct app *a);                  /* views/view_team.c */
struct view *view_webhooks_new(struct app *a);              /* views/view_webhooks.c */
struct view *view_files_new(struct app *a, const char *id); /* NULL + status on failure */
/* Open the file browser of sandbox id at dir (NULL = home). */
struct view *view_files_at(struct app *a, const char *id, const char *dir);
struct view *view_snapshots_new(struct app *a); /* views/view_snapshots.c */
/* views/view_postmortem.c: the post-mortem card of an ended sandbox (kept, or in the store). */
struct view *view_postmortem_new(struct app *a, const char *id);
struct view *view_ended_new(struct app *a);                   /* views/view_ended.c: :ended */
struct view *view_changes_new(struct app *a, const char *id); /* views/view_changes.c: d */
struct view *view_volumes_new(struct app *a);                 /* views/view_volumes.c */
struct view *view_apilog_new(struct app *a);   /* views/view_apilog.c: `:api` (issue 18) */
struct view *view_messages_new(struct app *a); /* views/view_messages.c: `:messages`, ! */
/* views/view_fleet.c (issue 18): op "exec" (arg CMD), "put" (LOCAL REMOTE), "get" (REMOTE
 * LOCALDIR), "compare" (PATH) over ids; pushes the results view, or says why not in the status
 * line. */
void fleet_view_run(struct app *a, const char *op, const char *arg, const char *const *ids, int n);
/* views/view_sandbox_actions.c: the sandboxes view's S (snapshot, asks a name), F (fork, asks a
 * count) and p (asks "with memory / filesystem only" where the backend offers both; with
 * memory calls pause_mem(a, ud), else pauses ids itself). */
void sbact_snapshot(struct app *a, const char *id);
void sbact_fork(struct app *a, const char *id);
/* The answer to a "time to live" prompt (seconds, 10m, 2h; empty = def_s): creates a sandbox
 * from template_id (a template or a snapshot) and goes back to the sandboxes view, where it
 * appears; a bad answer is said in the status line. */
void sbact_create_from(struct app *a, const char *template_id, const char *ttl, int def_s);
void sbact_pause(struct app *a, const char *const *ids, int n,
                 void (*pause_mem)(struct app *a, void *ud), void *ud);
/* views/view_term_sessions.c, :sessions: Enter hands the chosen session to show
 * (term_show_session; the sessions view does not know the terminal view). */
struct view *view_sessions_new(struct app *a, void (*show)(struct app *a, struct session *s));
/* views/view_term.c: show s in the terminal view (pushed when it is not open). */
void term_show_session(struct app *a, struct session *s);
/* views/view_events.c: sandbox id's events (NULL = the team's); Enter on one opens
 * open_sandbox(a, event's sandbox) (view_detail_new: the events view does not know it). */
struct view *view_events_new(struct app *a, const char *id,
                             struct view *(*open_sandbox)(struct app *a, const char *id));

/* Run the TUI with an already created backend. */
int app_run(struct app *a);

#endif
