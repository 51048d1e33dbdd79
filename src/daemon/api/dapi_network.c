/* dapi_network.c - PUT /sandboxes/{sandboxID}/network (SDK sandbox.updateNetwork) and the
 * egress rules of a create (allow_internet_access, network.allowOut/denyOut). Checked in
 * upstream's order and with its texts (handlers/sandbox_network_update.go, validateEgressRules
 * in sandbox_create.go, orchestrator/update_network.go). What a network namespace can enforce
 * boxtopd does: no egress at all (allow_internet_access false, or denyOut 0.0.0.0/0 with no
 * allowOut) is a sandbox in its own empty network namespace from its create on (rt_net.c).
 * What it cannot (per-address deny or allow lists, domains, changing a running sandbox's
 * isolation either way) is refused as upstream refuses a config its node fails to apply (500
 * "Error applying network config to sandbox"), nothing changed and nothing created; an update
 * asking for what the sandbox already has is a 204. egressProxy and rules get upstream's
 * answers for a team without those features. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../sandbox.h"
#include "dapi.h"

#define ALL_TRAFFIC "0.0.0.0/0"

/* Go's net.ParseIP / net.ParseCIDR: *unspecified is set for 0.0.0.0 and ::. */
static bool parse_ip(const char *s, bool *unspecified)
{
    unsigned char a[16], zero[16] = {0};
    if (inet_pton(AF_INET, s, a) == 1) {
        *unspecified = memcmp(a, zero, 4) == 0;
        return true;
    }
    if (inet_pton(AF_INET6, s, a) == 1) {
        *unspecified = memcmp(a, zero, 16) == 0;
        return true;
    }
    return false;
}

static bool ip_or_cidr(const char *s, bool *unspecified)
{
    if (parse_ip(s, unspecified)) return true;
    const char *slash = strchr(s, '/');
    char ip[64];
    size_t n = slash ? (size_t)(slash - s) : 0;
    if (!slash || n == 0 || n >= sizeof ip || !slash[1] || strlen(slash + 1) > 3) return false;
    memcpy(ip, s, n);
    ip[n] = '\0';
    int bits = 0;
    for (const char *p = slash + 1; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        bits = bits * 10 + (*p - '0');
    }
    if (!parse_ip(ip, unspecified)) return false;
    return bits <= (strchr(ip, ':') ? 128 : 32);
}

/* sandbox_network.IsSpecifiedIPOrCIDR */
static bool specified_ip_or_cidr(const char *s)
{
    bool unspec;
    if (!ip_or_cidr(s, &unspec)) return false;
    return strcmp(s, ALL_TRAFFIC) == 0 || !unspec;
}

/* An array of strings, or absent/null (NULL); -1 when it is something else. */
static int string_list(const cJSON *body, const char *key, const cJSON **out)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, key), *e;
    *out = NULL;
    if (!a || cJSON_IsNull(a)) return 0;
    if (!cJSON_IsArray(a)) return -1;
    cJSON_ArrayForEach(e, a) if (!cJSON_IsString(e)) return -1;
    *out = a;
    return 0;
}

/* validateEgressRules: 0, or answers the 400 itself and returns -1. */
static int check_egress(struct server_request *req, const cJSON *allow, const cJSON *deny)
{
    const cJSON *e;
    bool block_all = false, domains = false;
    cJSON_ArrayForEach(e, deny)
    {
        if (!specified_ip_or_cidr(e->valuestring)) {
            server_respond_error(req, 400, "invalid denied CIDR %s", e->valuestring);
            return -1;
        }
        block_all |= strcmp(e->valuestring, ALL_TRAFFIC) == 0;
    }
    cJSON_ArrayForEach(e, allow)
    {
        bool unspec;
        if (!ip_or_cidr(e->valuestring, &unspec)) {
            domains = true;
        } else if (!specified_ip_or_cidr(e->valuestring)) {
            server_respond_error(req, 400, "invalid allowed address %s", e->valuestring);
            return -1;
        }
    }
    if (domains && !block_all) {
        server_respond_error(req, 400,
                             "When specifying allowed domains in allow out, you must include "
                             "'ALL_TRAFFIC' in deny out to block all other traffic.");
        return -1;
    }
    return 0;
}

/* What egress rules ask for, as far as a network namespace is concerned. */
enum egress { EGRESS_OPEN, EGRESS_NONE, EGRESS_SOME };

static enum egress egress_wanted(bool no_internet, const cJSON *allow, const cJSON *deny)
{
    const cJSON *e;
    bool block_all = no_internet; /* allow_internet_access false = denyOut 0.0.0.0/0 */
    cJSON_ArrayForEach(e, deny) block_all |= strcmp(e->valuestring, ALL_TRAFFIC) == 0;
    if (block_all) return cJSON_GetArraySize(allow) > 0 ? EGRESS_SOME : EGRESS_NONE;
    /* allowed entries only matter against denied ones */
    return cJSON_GetArraySize(deny) > 0 ? EGRESS_SOME : EGRESS_OPEN;
}

int dapi_create_network(struct server_request *req, const cJSON *network, bool *allow_internet)
{
    const cJSON *allow, *deny;
    if (!network) return 0;
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(network, "rules");
    if (string_list(network, "allowOut", &allow) < 0 ||
        string_list(network, "denyOut", &deny) < 0 ||
        (rules && !cJSON_IsNull(rules) && !cJSON_IsObject(rules))) {
        server_respond_error(req, 400, "Error when parsing request: %s",
                             "a field of network has the wrong type");
        return -1;
    }
    if (check_egress(req, allow, deny) < 0) return -1;
    if (rules && cJSON_IsObject(rules)) {
        server_respond_error(req, 400, "Network transform rules are not available for your team.");
        return -1;
    }
    switch (egress_wanted(!*allow_internet, allow, deny)) {
    case EGRESS_SOME:
        server_respond_error(req, 500,
                             "Error applying network config to sandbox: boxtopd can only cut a "
                             "sandbox off the network entirely (allow_internet_access false, or "
                             "denyOut %s without allowOut), not filter addresses or domains",
                             ALL_TRAFFIC);
        return -1;
    case EGRESS_NONE:
        *allow_internet = false;
        break;
    case EGRESS_OPEN:
        break;
    }
    return 0;
}

int dapi_sandbox_network(struct daemon *d, struct server_request *req)
{
    char id[IDS_SANDBOX_MAX + 1];
    if (!dapi_sandbox_id(req, 0, id, sizeof id)) return 0;
    size_t len;
    const char *raw = server_request_body(req, &len);
    cJSON *body = raw && len ? cJSON_ParseWithLength(raw, len) : NULL;
    const cJSON *allow, *deny,
        *aia = cJSON_GetObjectItemCaseSensitive(body, "allow_internet_access");
    const cJSON *proxy = cJSON_GetObjectItemCaseSensitive(body, "egressProxy");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(body, "rules");
    int rc = 0;
    if (!cJSON_IsObject(body) || string_list(body, "allowOut", &allow) < 0 ||
        string_list(body, "denyOut", &deny) < 0 ||
        (aia && !cJSON_IsBool(aia) && !cJSON_IsNull(aia)) ||
        (proxy && !cJSON_IsNull(proxy) && !cJSON_IsObject(proxy)) ||
        (rules && !cJSON_IsNull(rules) && !cJSON_IsObject(rules))) {
        rc = server_respond_error(req, 400, "Error when parsing request: %s",
                                  cJSON_IsObject(body) ? "a field has the wrong type"
                                                       : "the body is not a JSON object");
        goto out;
    }
    if (check_egress(req, allow, deny) < 0) goto out;
    if (proxy && cJSON_IsObject(proxy)) {
        rc = server_respond_error(req, 403,
                                  "Egress proxy (egressProxy) is not enabled for this team.");
        goto out;
    }
    struct sbx *s = sbx_find(d, id);
    /* upstream's store holds live sandboxes only: a paused one is not found there either */
    if (!s || s->state != SBX_RUNNING) {
        rc = server_respond_error(
            req, 404, "Sandbox \"%s\" doesn't exist or you don't have access to it", id);
        goto out;
    }
    if (rules && cJSON_IsObject(rules)) {
        rc = server_respond_error(req, 400,
                                  "Network transform rules are not available for your team.");
        goto out;
    }
    /* a running sandbox's network namespace is what it is: only the same again applies */
    enum egress want = egress_wanted(cJSON_IsFalse(aia), allow, deny);
    if (want == EGRESS_SOME || (want == EGRESS_NONE) != !s->allow_internet) {
        rc = server_respond_error(req, 500, "Error applying network config to sandbox");
        goto out;
    }
    rc = server_respond(req, 204, NULL, NULL, 0);
out:
    cJSON_Delete(body);
    return rc;
}
