import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'

// Property-based fuzzing of every public endpoint and every /api route: whatever arrives, the
// answer is never a 5xx, errors have the one JSON shape, and a refused request stores nothing.

let t: TestApp
let cookie = ''
let clusterId = ''
const ORIGIN = 'https://shop.example.com'

// Counters and limit tables may move on a refusal (that is their job); nothing else may.
const IGNORED_TABLES = new Set(['rate_limits', 'abuse_counts', 'sessions'])
let tables: string[] = []

// One statement counting every table: cheap enough to run around each fuzzed request.
let countSql = ''
async function tableCounts(): Promise<Record<string, number>> {
  const row = (await t.db.client.execute(countSql)).rows[0]!
  return Object.fromEntries(tables.map((name, i) => [name, Number(row[i])]))
}

beforeAll(async () => {
  t = await createTestApp({ origins: [ORIGIN] })
  tables = (
    await t.db.client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' " +
        "AND name NOT LIKE '%_fts%' AND name NOT LIKE '__drizzle%'",
    )
  ).rows
    .map((r) => String(r.name))
    .filter((n) => !IGNORED_TABLES.has(n))
  countSql = `SELECT ${tables.map((n) => `(SELECT count(*) FROM "${n}")`).join(', ')}`
  const login = await t.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  })
  expect(login.status).toBe(200)
  cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const rep = await t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': t.key },
    body: JSON.stringify({ message: 'Seed report for fuzzing' }),
  })
  clusterId = (await clusterOf(t.deps, (await rep.json()).id))!
})
afterAll(() => t.close())

/** Checks one answer: no 5xx, JSON error shape on 4xx, and on refusal no table changed. */
async function check(res: Response, before: Record<string, number>, opts: { jsonErrors?: boolean } = {}) {
  expect(res.status, `${res.status} ${t.errors.slice(-1)[0] ?? ''}`).toBeLessThan(500)
  if (res.status >= 400) {
    const type = res.headers.get('content-type') ?? ''
    if (opts.jsonErrors !== false || type.includes('json')) {
      expect(type).toContain('application/json')
      const body = await res.json()
      expect(typeof body?.error?.code).toBe('string')
      expect(body.error.code).toMatch(/^[a-z0-9_]+$/)
      expect(typeof body.error.message).toBe('string')
    }
    expect(await tableCounts()).toEqual(before)
  }
  const errors = t.errors.splice(0)
  expect(errors).toEqual([])
}

// ---- generators ----

const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }), // lone surrogates, control characters
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u202e\u200b\ufeff',
    '🧨'.repeat(3000),
    'x'.repeat(6000),
    '<script>alert(1)</script>',
    "'; DROP TABLE reports; --",
    '结账按钮点击没有反应',
    'null',
    '{}',
  ),
)
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      'message',
      'email',
      'context',
      'page_url',
      'route',
      'release',
      'locale',
      'category',
      'reporter_id',
      'idempotency_key',
      'website',
      'status',
      'title',
      'name',
      'role',
      'url',
    ),
    fc.oneof(
      oddText,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(oddText, { maxLength: 3 }),
      fc.dictionary(oddText, oddText, { maxKeys: 3 }),
    ),
  ),
)
const body = fc.oneof(
  anyJson.map((v) => JSON.stringify(v)),
  oddText, // malformed JSON
  fc.constantFrom(
    '{"message":',
    '[',
    '{"message":"a"}{"message":"b"}',
    '\ufeff{"message":"bom"}',
    '{"__proto__":{"admin":true},"message":"proto"}',
    '{"message":"x","context":{"constructor":{"prototype":{"x":1}}}}',
  ),
)
const contentType = fc.constantFrom(
  'application/json',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'text/html',
)
const reportFields = fc.record(
  {
    message: fc.oneof(oddText, fc.integer(), fc.constant(null), fc.array(fc.string())),
    email: fc.oneof(oddText, fc.emailAddress(), fc.constant('')),
    page_url: fc.oneof(oddText, fc.webUrl()),
    context: fc.oneof(
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
      oddText,
      fc.constant(null),
    ),
    reporter_id: oddText,
    website: fc.oneof(fc.constant(''), oddText),
  },
  { requiredKeys: [] },
)

describe('fuzzing the public API', () => {
  it('POST /v1/reports: any body, type, key, idempotency key → 202 stored, or a clean 4xx storing none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          body,
          reportFields.map((r) => JSON.stringify(r)),
        ),
        contentType,
        fc.constantFrom('valid', 'missing', 'wrong', 'huge', 'unicode', 'query'),
        fc.option(fc.oneof(oddText, fc.string({ minLength: 8, maxLength: 40 })), { nil: undefined }),
        async (payload, type, keyKind, idem) => {
          const headers: Record<string, string> = { origin: ORIGIN }
          if (type) headers['content-type'] = type
          const key = {
            valid: t.key,
            missing: undefined,
            wrong: 'pk_wrong',
            huge: 'k'.repeat(5000),
            unicode: Buffer.from('ключ🔑').toString('latin1') /* raw UTF-8 bytes, as a client could send */,
            query: undefined,
          }[keyKind]
          if (key) headers['x-earshot-key'] = key
          if (idem !== undefined && /^[\x20-\x7e]*$/.test(idem)) headers['idempotency-key'] = idem
          const before = await tableCounts()
          const res = await t.app.request(
            `/v1/reports${keyKind === 'query' ? `?key=${encodeURIComponent(t.key)}` : ''}`,
            { method: 'POST', headers, body: payload },
          )
          if (res.status === 202) {
            const { id } = await res.clone().json()
            expect(id).toMatch(/^rep_/)
          }
          await check(res, before)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('GET /v1/incidents and POST /v1/incidents/:id/affected, /v1/notices: never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(oddText, body, contentType, fc.boolean(), async (id, payload, type, withKey) => {
        const headers: Record<string, string> = { 'content-type': type, ...(withKey ? { 'x-earshot-key': t.key } : {}) }
        const path = encodeURIComponent(id) || 'x'
        const before = await tableCounts()
        await check(
          await t.app.request('/v1/incidents', {
            headers: { ...headers, 'if-none-match': id.replace(/[^\x20-\x7e]/g, '') },
          }),
          before,
        )
        await check(
          await t.app.request(`/v1/incidents/${path}/affected`, { method: 'POST', headers, body: payload }),
          before,
        )
        await check(await t.app.request(`/v1/notices?${new URLSearchParams({ reporter_id: id })}`, { headers }), before)
        await check(await t.app.request(`/v1/notices/${path}/seen`, { method: 'POST', headers, body: payload }), before)
      }),
      { numRuns: 80 },
    )
  })

  it('status page subscribe: JSON errors for JSON, a page for forms; never a 5xx, refusals store none', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          body,
          fc.record({ email: oddText, component: fc.oneof(oddText, fc.array(oddText)) }).map((r) => JSON.stringify(r)),
        ),
        contentType,
        async (payload, type) => {
          const before = await tableCounts()
          const res = await t.app.request('/status/demo/subscribe', {
            method: 'POST',
            headers: { 'content-type': type },
            body: payload,
          })
          await check(res, before, { jsonErrors: false })
        },
      ),
      { numRuns: 80 },
    )
  })
})

describe('fuzzing the dashboard API (signed in as the owner)', () => {
  it('every /api route with odd ids, bodies, content types → no 5xx, JSON errors, nothing half-stored', async () => {
    const routes = [
      ...new Set(
        t.app.routes
          .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL' && !r.path.includes('*'))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ]
    expect(routes.length).toBeGreaterThan(10)
    const realIds = [t.seed.projectId, clusterId]
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.oneof(fc.constantFrom(...realIds), oddText, fc.constant('..'), fc.constant('%00')),
        fc.oneof(
          body,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', ''),
        fc.dictionary(fc.constantFrom('limit', 'before', 'q', 'status', 'project_id', 'days'), oddText, { maxKeys: 3 }),
        async (route, id, payload, type, query) => {
          const [method, pattern] = route.split(' ') as [string, string]
          const path = pattern.replace(/:[A-Za-z]+/g, () => encodeURIComponent(id) || 'x')
          const qs = new URLSearchParams(query).toString()
          const headers: Record<string, string> = { cookie }
          if (type) headers['content-type'] = type
          // Fuzzing must not sign itself out or change its own password mid-run.
          if (
            route === 'DELETE /api/session' ||
            route === 'POST /api/me/password' ||
            route === 'POST /api/me/sessions/revoke'
          )
            return
          const before = await tableCounts()
          const res = await t.app.request(`${path}${qs ? `?${qs}` : ''}`, {
            method,
            headers,
            body: method === 'GET' || method === 'DELETE' ? undefined : payload,
          })
          await check(res, before, { jsonErrors: !pattern.endsWith('.md') })
        },
      ),
      { numRuns: 200 },
    )
  })
})
