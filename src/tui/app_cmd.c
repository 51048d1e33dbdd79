/* app_cmd.c - the `:` command line. Views that belong to later issues (templates, events,
 * logs, team) say so plainly instead of showing an empty screen. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/error.h"
#include "boxtop/i18n.h"
#include "app.h"
#include "model_json.h"

/* `:messages`, !: one messages view (a second ! there does not stack another). */
void app_open_messages(struct app *a)
{
    struct view *top = app_top(a);
    if (top && !strcmp(top->ops->name, "messages")) return;
    app_push_view(a, view_messages_new(a));
}

void app_command(struct app *a, const char *line)
{
    char cmd[64] = "", arg[INPUT_MAX] = "";
    while (*line == ' ' || *line == ':')
        line++;
    size_t n = strcspn(line, " ");
    if (n >= sizeof(cmd)) n = sizeof(cmd) - 1;
    memcpy(cmd, line, n);
    cmd[n] = '\0';
    line += n;
    while (*line == ' ')
        line++;
    snprintf(arg, sizeof(arg), "%s", line);
    size_t al = strlen(arg);
    while (al > 0 && arg[al - 1] == ' ')
        arg[--al] = '\0';

    if (!cmd[0]) return;
    if (!strcmp(cmd, "q") || !strcmp(cmd, "quit") || !strcmp(cmd, "q!")) {
        app_quit(a);
    } else if (!strcmp(cmd, "sandboxes") || !strcmp(cmd, "sb")) {
        while (a->depth > 1)
            app_pop_view(a);
    } else if (!strcmp(cmd, "templates")) {
        app_push_view(a, view_templates_new(a));
    } else if (!strcmp(cmd, "events")) {
        app_push_view(a, view_events_new(a, arg[0] ? arg : NULL, view_detail_new));
    } else if (!strcmp(cmd, "team")) {
        app_push_view(a, view_team_new(a));
    } else if (!strcmp(cmd, "webhooks")) {
        app_push_view(a, view_webhooks_new(a));
    } else if (!strcmp(cmd, "snapshots") || !strcmp(cmd, "snap")) {
        app_push_view(a, view_snapshots_new(a));
    } else if (!strcmp(cmd, "volumes") || !strcmp(cmd, "vol")) {
        app_push_view(a, view_volumes_new(a));
    } else if (!strcmp(cmd, "logs")) {
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :logs SANDBOX_ID"));
        else
            app_push_view(a, view_logs_new(a, arg));
    } else if (!strcmp(cmd, "commands")) {
        struct view *v = arg[0] ? view_commands_new(a, arg) : NULL;
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :commands SANDBOX_ID"));
        else if (v)
            app_push_view(a, v);
    } else if (!strcmp(cmd, "files")) {
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :files SANDBOX_ID"));
        else
            app_push_view(a, view_files_new(a, arg));
    } else if (!strcmp(cmd, "ctx")) {
        if (!arg[0])
            app_status(a, STATUS_INFO, _("context: %s"),
                       a->model.context ? a->model.context : _("default"));
        else if (!a->switch_ctx)
            app_status(a, STATUS_WARN, _("a replay has no contexts to switch to"));
        else {
            struct error err = {0};
            if (a->switch_ctx(a, arg, &err, a->switch_ud))
                app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
            else
                app_status(a, STATUS_INFO, _("switched to context %s"), arg);
        }
    } else if (!strcmp(cmd, "record")) {
        struct error err = {0};
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :record FILE"));
        else if (model_save_file(&a->model, loop_wall_ms(), arg, &err))
            app_status_detail(a, STATUS_ERROR, err.detail, "%s", err.msg);
        else
            app_status(a, STATUS_INFO, _("model recorded to %s"), arg);
    } else if (!strcmp(cmd, "shell")) {
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :shell SANDBOX_ID"));
        else /* typed out: always a new tab (`s` switches to an open one) */
            term_open_another_shell(a, arg);
    } else if (!strcmp(cmd, "exec") || !strcmp(cmd, "put") || !strcmp(cmd, "get") ||
               !strcmp(cmd, "compare")) {
        int nt = 0;
        char **ids = a->fleet_targets ? a->fleet_targets(a, &nt) : NULL;
        if (!nt)
            app_status(a, STATUS_WARN, _("mark sandboxes (Space) or filter them (/) first"));
        else
            fleet_view_run(a, cmd, arg, (const char *const *)ids, nt);
        for (int i = 0; ids && i < nt; i++)
            free(ids[i]);
        free(ids);
    } else if (!strcmp(cmd, "messages") || !strcmp(cmd, "mes") || !strcmp(cmd, "msg")) {
        app_open_messages(a);
    } else if (!strcmp(cmd, "api")) {
        app_push_view(a, view_apilog_new(a));
    } else if (!strcmp(cmd, "sessions")) {
        app_push_view(a, view_sessions_new(a, term_show_session));
    } else if (!strcmp(cmd, "postmortem") || !strcmp(cmd, "pm")) {
        struct view *v = arg[0] ? view_postmortem_new(a, arg) : NULL;
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :postmortem SANDBOX_ID"));
        else if (v)
            app_push_view(a, v);
    } else if (!strcmp(cmd, "changes")) {
        struct view *v = arg[0] ? view_changes_new(a, arg) : NULL;
        if (!arg[0])
            app_status(a, STATUS_WARN, _("usage: :changes SANDBOX_ID"));
        else if (v)
            app_push_view(a, v);
    } else if (!strcmp(cmd, "ended")) {
        app_push_view(a, view_ended_new(a));
    } else {
        app_status(a, STATUS_WARN, _("unknown command :%s (Tab completes, ? lists keys)"), cmd);
    }
}
