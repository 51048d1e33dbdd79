/* backend_e2b_actions.c - actions on sandboxes (kill, pause, resume, time to live, create):
 * each success triggers an early poll so the table shows it at once; and the template names
 * the create picker offers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boxtop/i18n.h"
#include "app.h"
#include "backend_e2b_int.h"
#include "duration.h"

static void on_action(struct api_result *res, void *ud)
{
    struct action *ac = ud;
    struct e2b_backend *b = ac->b;
    char span[32];
    ui_fmt_span(span, sizeof span, ac->ttl_s);
    if (res->err.kind == ERROR_NONE && ac->ttl_s > 0)
        backend_report(&b->base, BACKEND_ACTION_OK, _("%s now ends in %s"), ac->id, span);
    else if (res->err.kind == ERROR_NONE)
        backend_report(&b->base, BACKEND_ACTION_OK, "%s %s", ac->verb, ac->id);
    else
        backend_report_err(&b->base, BACKEND_ACTION_FAILED, &res->err, "%s: %s", ac->id,
                           res->err.msg);
    free(ac->id);
    free(ac);
    e2b_poll_now(&b->base);
}

struct action *e2b_action_new(struct e2b_backend *b, const char *id, const char *verb)
{
    if (!b->api) {
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("not connected to a backend yet"));
        return NULL;
    }
    struct action *ac = calloc(1, sizeof(*ac));
    if (!ac || !(ac->id = strdup(id))) {
        free(ac);
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("out of memory"));
        return NULL;
    }
    ac->b = b;
    ac->verb = verb;
    return ac;
}

static void action_started(struct e2b_backend *b, struct action *ac, struct api_call *c)
{
    if (!c) {
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("%s: could not start the request"),
                       ac->id);
        free(ac->id);
        free(ac);
    }
}

void e2b_kill(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = e2b_action_new(b, id, _("killed"));
    if (ac) action_started(b, ac, api_kill_sandbox(b->api, id, on_action, ac));
}

void e2b_pause(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = e2b_action_new(b, id, _("paused"));
    if (ac) action_started(b, ac, api_pause_sandbox(b->api, id, on_action, ac));
}

void e2b_resume(struct backend *be, const char *id)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = e2b_action_new(b, id, _("resumed"));
    if (ac) action_started(b, ac, api_connect_sandbox(b->api, id, -1, on_action, ac));
}

void e2b_set_timeout(struct backend *be, const char *id, int seconds)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    struct action *ac = e2b_action_new(b, id, _("set the time to live of"));
    if (ac) ac->ttl_s = seconds;
    if (ac) action_started(b, ac, api_set_timeout(b->api, id, seconds, on_action, ac));
}

static void on_created(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    if (res->err.kind == ERROR_NONE)
        backend_report(&b->base, BACKEND_ACTION_OK, _("created %s"),
                       res->sandbox.id ? res->sandbox.id : "?");
    else
        backend_report_err(&b->base, BACKEND_ACTION_FAILED, &res->err, _("create failed: %s"),
                           res->err.msg);
    e2b_poll_now(&b->base);
}

void e2b_create(struct backend *be, const struct create_req *req)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    if (!b->api) {
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("not connected to a backend yet"));
        return;
    }
    struct kv_list md = {0};
    for (int i = 0; req->meta_kv && req->meta_kv[i]; i++) {
        const char *eq = strchr(req->meta_kv[i], '=');
        if (!eq) continue;
        char key[256];
        snprintf(key, sizeof(key), "%.*s", (int)(eq - req->meta_kv[i]), req->meta_kv[i]);
        kv_list_add(&md, key, eq + 1);
    }
    struct api_create_opts o = {0};
    o.template_id = req->template_id;
    o.timeout_s = req->timeout_s;
    o.metadata = md.n ? &md : NULL;
    o.auto_pause = -1;
    o.allow_internet = -1;
    if (!api_create_sandbox(b->api, &o, on_created, b))
        backend_report(&b->base, BACKEND_ACTION_FAILED, _("create: could not start the request"));
    kv_list_free(&md);
}

void e2b_add_template(struct e2b_backend *b, const char *t)
{
    if (!t || !t[0] || b->ntemplates >= MAX_TEMPLATES) return;
    for (int i = 0; i < b->ntemplates; i++)
        if (!strcmp(b->templates[i], t)) return;
    char *d = strdup(t);
    if (d) b->templates[b->ntemplates++] = d;
}

void e2b_on_templates(struct api_result *res, void *ud)
{
    struct e2b_backend *b = ud;
    b->tpl_call = NULL;
    if (res->err.kind != ERROR_NONE)
        return; /* the picker still offers "base" and what the list showed */
    for (int i = 0; i < res->templates.n; i++) {
        const struct template_info *t = &res->templates.items[i];
        for (int k = 0; k < t->n_aliases; k++)
            e2b_add_template(b, t->aliases[k]);
        e2b_add_template(b, t->id);
    }
}

const char *const *e2b_templates(struct backend *be)
{
    struct e2b_backend *b = (struct e2b_backend *)be;
    for (int i = 0; i < be->model->n; i++)
        e2b_add_template(b, be->model->sb[i]->alias);
    return (const char *const *)b->templates;
}
