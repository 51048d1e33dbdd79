/* view_templates_edit.c - the templates view's edits of the selected template, as E2B allows them:
 * `t` adds tags to a build (POST /templates/tags, the build named by one of its tags, the
 * latest "default" unless the text says another), `T` removes tags (DELETE /templates/tags;
 * the server refuses "default"), `P` makes it public or private (PATCH /v2/templates/{id}).
 * Aliases come from a build's name (`b`): E2B's API has no call that renames a template. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "templates_view.h"

#define TPL_EDIT_MAX_TAGS 16

static void on_edited(struct api_result *res, void *ud)
{
    struct tplv *v = ud;
    v->edit = NULL;
    if (res->err.kind != ERROR_NONE) {
        tplv_report(v, _("cannot change the template: %s"), &res->err);
        return;
    }
    app_status(v->app, STATUS_INFO, _("template %s updated"), v->edit_id ? v->edit_id : "");
    if (v->details && v->edit_id) tpl_pane_show(v, v->edit_id, 1);
    v->reload(v);
}

/* Split text at blanks into at most TPL_EDIT_MAX_TAGS words (in place). */
static int words(char *text, const char **out)
{
    int n = 0;
    char *save = NULL;
    for (char *s = strtok_r(text, " \t,", &save); s && n < TPL_EDIT_MAX_TAGS;
         s = strtok_r(NULL, " \t,", &save))
        out[n++] = s;
    return n;
}

static void tags_done(struct app *a, const char *text, int submit, void *ud, int add)
{
    struct tplv *v = ud;
    if (!submit || !text || !v->edit_id) return;
    char buf[512], *list = buf;
    const char *from = NULL, *tags[TPL_EDIT_MAX_TAGS];
    snprintf(buf, sizeof buf, "%s", text);
    char *colon = add ? strchr(buf, ':') : NULL;
    if (colon) { /* "FROM: NEW..." */
        *colon = '\0';
        const char *f[1];
        from = words(buf, f) == 1 ? f[0] : NULL;
        if (!from) {
            app_status(a, STATUS_ERROR, _("name one tag before the colon: FROM_TAG: NEW_TAG..."));
            return;
        }
        list = colon + 1;
    }
    int n = words(list, tags);
    if (!n) {
        app_status(a, STATUS_ERROR, _("no tag given"));
        return;
    }
    struct error err = {0};
    bfetch_cancel(v->edit);
    v->edit = bfetch_template_tags_edit(a->be, add, v->edit_id, from, tags, n, on_edited, v, &err);
    if (!v->edit) tplv_report(v, _("cannot change the template: %s"), &err);
}

static void add_done(struct app *a, const char *text, int submit, void *ud)
{
    tags_done(a, text, submit, ud, 1);
}

static void remove_done(struct app *a, const char *text, int submit, void *ud)
{
    tags_done(a, text, submit, ud, 0);
}

static void publish_yes(struct app *a, void *ud)
{
    struct tplv *v = ud;
    struct error err = {0};
    if (!v->edit_id) return;
    bfetch_cancel(v->edit);
    v->edit = bfetch_template_publish(a->be, v->edit_id, v->edit_public, on_edited, v, &err);
    if (!v->edit) tplv_report(v, _("cannot change the template: %s"), &err);
}

int tpl_edit_key(struct tplv *v, struct app *a, int ch)
{
    if (ch != 't' && ch != 'T' && ch != 'P') return 0;
    const struct template_info *ti = tplv_selected(v);
    if (app_refuse_readonly(a, ch == 'P' ? _("publish") : _("tag")) || !ti || !ti->id) return 1;
    free(v->edit_id);
    v->edit_id = strdup(ti->id);
    if (ch == 't') {
        app_prompt(a, _("Add tags to a build (FROM_TAG: NEW_TAG...): "), "default: ", NULL,
                   add_done, v);
    } else if (ch == 'T') {
        app_prompt(a, _("Remove tags (TAG...): "), "", NULL, remove_done, v);
    } else {
        char msg[300];
        v->edit_public = !ti->public_;
        snprintf(msg, sizeof msg,
                 v->edit_public
                     ? _("Make template %s public? Every team can start sandboxes from it")
                     : _("Make template %s private? Only your team can use it then"),
                 ti->id);
        app_confirm(a, msg, publish_yes, v);
    }
    return 1;
}

void tpl_edit_free(struct tplv *v)
{
    bfetch_cancel(v->edit);
    free(v->edit_id);
}
