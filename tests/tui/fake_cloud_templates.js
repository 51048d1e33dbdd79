// fake_cloud_templates.js - a loopback stand-in for E2B cloud's template API, in the shapes
// of infra's handlers (templates_list_v2.go, template_get.go, template_tags.go,
// template_update.go, template_delete.go, template_build_status.go): Template objects with
// names and createdBy, TemplateWithBuilds with builds newest first (finishedAt only once
// ended), TemplateTag lists, 201 on tag assignment, 204 on removal, the "default" tag refused,
// PATCH answering {names}, DELETE refused while a sandbox uses the template, sandboxes created
// from a template and listed. my-app has a build that runs until the status has been asked
// for RUN_POLLS times (then ready), one ready build (72 s, tags default and v1) and one that
// failed after 9 s; a template's alias and a tag are hostile (escape sequences).
// GET /_requests lists the mutating requests seen (method, path, body) for the tests' checks,
// GET /_pages the query strings of GET /templates/{id} (its builds page: limit, nextToken).
// Prints "PORT n" once listening.
'use strict';
const {serveLoopback} = require('../lib/fake-http.cjs');
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString();
const RUN_POLLS = Number(process.env.FAKE_RUN_POLLS || 6);
const uuid = (n) => `6f1c2d3e-5a4b-4c3d-8e2f-${String(n).padStart(12, '0')}`;
const T = {
  base: {id: 'rki5dems9wqfm4r03t7g', aliases: ['base'], names: ['e2b/base'], public: true,
    cpu: 2, mem: 512, created: now - 86400000 * 300, spawns: 41, builds: [
      {id: uuid(100), status: 'ready', created: now - 86400000 * 300, finished: now - 86400000 * 300 + 151000}]},
  app: {id: 'k3j2v7q9x0a1b2c3d4e5', aliases: ['my-app'], names: ['acme/my-app'], public: false,
    cpu: 2, mem: 1024, created: now - 86400000 * 30, spawns: 3, reads: 0, builds: [
      {id: uuid(3), status: 'building', created: now - 75000, polls: 0},
      {id: uuid(2), status: 'ready', created: now - 86400000, finished: now - 86400000 + 72000},
      {id: uuid(1), status: 'error', created: now - 86400000 * 2, finished: now - 86400000 * 2 + 9000}]},
  evil: {id: 'h0st1le0000000000000', aliases: ['evil\u001b]0;pwned\u0007\u001b[2Jtpl'], names: ['acme/evil'],
    public: false, cpu: 1, mem: 256, created: now - 3600000, spawns: 0, builds: [
      {id: uuid(7), status: 'ready', created: now - 3600000, finished: now - 3600000 + 5000}]},
};
// FAKE_MANY_BUILDS=N adds a template with N ready builds (uuid 1000..), for the builds' paging
const MANY = Number(process.env.FAKE_MANY_BUILDS || 0);
if (MANY > 0)
  T.many = {id: 'm4nybu1ld5000000000', aliases: ['many'], names: ['acme/many'], public: false,
    cpu: 1, mem: 512, created: now - 86400000 * 400, spawns: 0,
    builds: Array.from({length: MANY}, (_, i) => ({id: uuid(1000 + MANY - 1 - i), status: 'ready',
      created: now - 3600000 * (i + 1), finished: now - 3600000 * (i + 1) + 30000}))};
const pages = []; // GET /templates/{id}'s query strings, for /_pages
const tags = {
  [T.base.id]: [{tag: 'default', buildID: uuid(100), createdAt: iso(T.base.builds[0].finished)}],
  [T.app.id]: [{tag: 'default', buildID: uuid(2), createdAt: iso(now - 86400000 + 72000)},
    {tag: 'v1', buildID: uuid(2), createdAt: iso(now - 86400000 + 90000)}],
  [T.evil.id]: [{tag: 'default', buildID: uuid(7), createdAt: iso(now - 3600000)},
    {tag: 'x\u001b[31mred', buildID: uuid(7), createdAt: iso(now - 3600000)}],
};
const sandboxes = [];
if (T.many) tags[T.many.id] = [];
const seen = [];
const byRef = (ref) => Object.values(T).find((t) => t.id === ref || t.aliases.includes(ref) || t.names.includes(ref));
const latest = (t) => t.builds.find((b) => b.status === 'ready') || t.builds[0];
function build(b) {
  const o = {buildID: b.id, status: b.status, createdAt: iso(b.created), updatedAt: iso(b.finished || now),
    cpuCount: 2, memoryMB: 1024};
  if (b.finished) Object.assign(o, {finishedAt: iso(b.finished), diskSizeMB: 5120, envdVersion: '0.2.0'});
  return o;
}
function listed(t) {
  const l = latest(t);
  return {templateID: t.id, buildID: l.id, cpuCount: t.cpu, memoryMB: t.mem, diskSizeMB: 5120,
    public: t.public, aliases: t.aliases, names: t.names, createdAt: iso(t.created), updatedAt: iso(t.created),
    createdBy: t === T.base ? null : {id: '3b3bbd2a-0000-4000-8000-000000000001', email: null},
    lastSpawnedAt: t.spawns ? iso(now - 600000) : null, spawnCount: t.spawns, buildCount: t.builds.length,
    envdVersion: '0.2.0', buildStatus: t.builds[0].status};
}
function send(res, code, body) {
  const data = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
  const h = {'Content-Length': data.length};
  if (body !== undefined) h['Content-Type'] = 'application/json';
  res.writeHead(code, h);
  res.end(data);
}
const fail = (res, code, message) => send(res, code, {code, message});
serveLoopback((req, res) => {
  const u = new URL(req.url, 'http://x');
  const p = u.pathname;
  let text = '';
  req.on('data', (c) => { text += c; });
  req.on('end', () => {
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { return fail(res, 400, 'Invalid request body'); }
    if (req.method !== 'GET') seen.push({method: req.method, path: p, body});
    if (p === '/health') return send(res, 200, {});
    if (p === '/_requests') return send(res, 200, seen);
    if (p === '/_pages') return send(res, 200, pages);
    if ((p === '/v2/sandboxes' || p === '/sandboxes') && req.method === 'GET') return send(res, 200, sandboxes);
    if (p === '/sandboxes/metrics') return send(res, 200, {sandboxes: {}});
    if ((p === '/v2/sandboxes' || p === '/sandboxes') && req.method === 'POST') {
      const t = byRef(body && body.templateID);
      if (!t) return fail(res, 404, `template '${body && body.templateID}' not found`);
      const s = {templateID: t.id, alias: t.aliases[0], sandboxID: `isb${sandboxes.length}x0000000000000000`.slice(0, 20),
        clientID: '6532622b', envdVersion: '0.2.0', state: 'running', startedAt: iso(Date.now()),
        endAt: iso(Date.now() + 300000), cpuCount: t.cpu, memoryMB: t.mem, diskSizeMB: 5120, metadata: {}, volumeMounts: []};
      sandboxes.push(s);
      t.spawns++;
      return send(res, 201, {templateID: s.templateID, sandboxID: s.sandboxID, alias: s.alias, clientID: s.clientID, envdVersion: '0.2.0'});
    }
    if (p === '/v2/templates' || (p === '/templates' && req.method === 'GET'))
      return send(res, 200, Object.values(T).map(listed));
    if (p === '/templates/tags' && req.method === 'POST') {
      const [ref, from = 'default'] = String(body.target || '').split(':');
      const t = byRef(ref);
      const have = t && tags[t.id].find((x) => x.tag === from);
      if (!have) return fail(res, 404, `Template '${body.target}' with tag '${from}' not found`);
      for (const tag of body.tags) {
        if (!/^[a-z0-9-_.]+$/.test(tag)) return fail(res, 400, `Invalid tag: invalid tag '${tag}'`);
        const old = tags[t.id].findIndex((x) => x.tag === tag);
        if (old >= 0) tags[t.id].splice(old, 1);
        tags[t.id].push({tag, buildID: have.buildID, createdAt: iso(Date.now())});
      }
      return send(res, 201, {buildID: have.buildID, tags: body.tags});
    }
    if (p === '/templates/tags' && req.method === 'DELETE') {
      if (body.tags.includes('default')) return fail(res, 400, "Cannot delete the 'default' tag");
      const t = byRef(body.name);
      if (!t) return fail(res, 404, `template '${body.name}' not found`);
      tags[t.id] = tags[t.id].filter((x) => !body.tags.includes(x.tag));
      return send(res, 204);
    }
    let m = p.match(/^\/templates\/([^/]+)\/tags$/);
    if (m) {
      const t = byRef(decodeURIComponent(m[1]));
      // FAKE_BAD_TAGS=1: "many"'s tags come back in a shape boxtop must refuse (not an array)
      if (t && T.many && t.id === T.many.id && process.env.FAKE_BAD_TAGS) return send(res, 200, {tags: 'nope'});
      return t ? send(res, 200, tags[t.id]) : fail(res, 404, `template '${m[1]}' not found`);
    }
    m = p.match(/^\/templates\/([^/]+)\/builds\/([^/]+)\/status$/);
    if (m) {
      const t = byRef(decodeURIComponent(m[1]));
      const b = t && t.builds.find((x) => x.id === m[2]);
      if (!b) return fail(res, 400, `Build '${m[2]}' not found`);
      const entries = [{timestamp: iso(b.created), level: 'info', message: `Building template ${t.id}/${b.id}`},
        {timestamp: iso(b.created + 1000), level: 'info', message: '[builder 1/1] RUN echo hi'},
        {timestamp: iso(b.created + 2000), level: 'info', message: '[builder 1/1] [stdout]: hi'}];
      if (process.env.FAKE_LONG_LOG) // a long warning and a hostile line (test_screen_template_build.sh)
        entries.push({timestamp: iso(b.created + 2500), level: 'warn', message: '[builder 1/1] [stderr]: ' +
          'WARNING: Running pip as the root user can result in broken permissions '.repeat(3) + 'END'},
        {timestamp: iso(b.created + 2600), level: 'info', message: '[builder 1/1] [stdout]: \u001b]0;pwned\u0007\u001b[2Jcleared?'});
      const why = "failed to run command 'false': exit status 1";
      if (b.status === 'error') entries.push({timestamp: iso(b.finished), level: 'error', message: `Build failed: ${why}`, step: '1'});
      const off = Number(u.searchParams.get('logsOffset') || 0);
      const out = {templateID: t.id, buildID: b.id, status: b.status, logs: [], logEntries: entries.slice(off)};
      if (b.status === 'error') out.reason = {message: why, step: '1', logEntries: null};
      return send(res, 200, out);
    }
    m = p.match(/^\/(v2\/)?templates\/([^/]+)$/);
    if (m && req.method === 'PATCH') {
      const t = byRef(decodeURIComponent(m[2]));
      if (!t) return fail(res, 404, `Template '${m[2]}' not found or you don't have access to it`);
      if (typeof body.public === 'boolean') t.public = body.public;
      return send(res, 200, {names: t.names});
    }
    if (m && req.method === 'DELETE') {
      const t = byRef(decodeURIComponent(m[2]));
      if (!t) return fail(res, 404, `template '${m[2]}' not found`);
      if (sandboxes.some((s) => s.templateID === t.id))
        return fail(res, 400, `cannot delete template '${t.id}' because there are running sandboxes using it`);
      for (const k of Object.keys(T)) if (T[k] === t) delete T[k];
      return send(res, 204);
    }
    if (m && req.method === 'GET') {
      const t = byRef(decodeURIComponent(m[2]));
      if (!t) return fail(res, 404, `Template ${m[2]} not found`);
      // FAKE_NEW_BUILD_AFTER=N: the Nth read of my-app's detail finds a new build on top (newest
      // first), as when someone starts a build while the pane is open
      if (t === T.app && process.env.FAKE_NEW_BUILD_AFTER && ++t.reads === Number(process.env.FAKE_NEW_BUILD_AFTER))
        t.builds.unshift({id: uuid(4), status: 'building', created: Date.now(), polls: 0});
      for (const b of t.builds) if (b.status === 'building' && ++b.polls >= RUN_POLLS) {
        b.status = 'ready';
        b.finished = Date.now();
      }
      // the cloud's paging (paginationLimit 1..100, default 100; X-Next-Token, opaque here too)
      pages.push(u.search);
      const limit = u.searchParams.has('limit') ? Number(u.searchParams.get('limit')) : 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return fail(res, 400, 'limit must be 1..100');
      const tok = u.searchParams.get('nextToken');
      const from = tok ? Number(/^c([0-9]+)$/.exec(tok)?.[1] ?? NaN) : 0;
      if (!Number.isInteger(from)) return fail(res, 400, 'invalid next token');
      const page = t.builds.slice(from, from + limit);
      if (from + limit < t.builds.length) res.setHeader('X-Next-Token', `c${from + limit}`);
      return send(res, 200, {templateID: t.id, public: t.public, aliases: t.aliases, names: t.names,
        createdAt: iso(t.created), updatedAt: iso(t.created), lastSpawnedAt: null, spawnCount: t.spawns,
        builds: page.map(build)});
    }
    fail(res, 404, 'not found');
  });
});
