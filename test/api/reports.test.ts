import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { clusters, reports } from '../../worker/db/schema/index.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const ORIGIN = 'https://shop.example.com'
function post(body: unknown, headers: Record<string, string> = {}) {
  return t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: ORIGIN, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}
const storedCount = async () => (await t.db.orm.select({ n: count() }).from(reports).get())!.n

describe('POST /v1/reports', () => {
  it('stores a report durably and answers 202 with its id only; the pipeline clusters it afterwards', async () => {
    const res = await post({
      message: 'The fonts look different',
      page_url: 'https://shop.example.com/orders/8812?token=s3cret&tab=2',
      release: 'web@1.2.3',
      reporter_id: 'anon_1',
    })
    expect(res.status).toBe(202)
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const body = await res.json()
    expect(body).toEqual({ id: expect.stringMatching(/^rep_/) })
    const row = (await t.db.orm.select().from(reports).where(eq(reports.id, body.id)).get())!
    expect(row.message).toBe('The fonts look different')
    expect(row.route).toBe('/orders/:id')
    expect(row.release).toBe('web@1.2.3')
    expect(row.pageUrl).not.toContain('s3cret')
    expect(row.pageUrl).toContain('tab=2')
    // Acknowledged before any clustering: it waits for the pipeline.
    expect(row.clusterId).toBeNull()
    expect(row.processedAt).toBeNull()
    expect(await t.deps.pipeline.drain()).toBe(1)
    const done = (await t.db.orm.select().from(reports).where(eq(reports.id, body.id)).get())!
    expect(done.clusterId).toMatch(/^clu_/)
    expect(done.processedAt).toBe(t.clock.now())
  })

  it('stores one report for one idempotency key, however often it is retried', async () => {
    const headers = { 'idempotency-key': 'key-123456' }
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => post({ message: 'Checkout fails' }, headers)))
    const ids = new Set(await Promise.all(answers.map(async (r) => (expect(r.status).toBe(202), (await r.json()).id))))
    expect(ids.size).toBe(1)
    expect(await storedCount()).toBe(1)
    const again = await post({ message: 'Checkout fails' }, headers)
    expect((await again.json()).id).toEqual([...ids][0])
    expect(await storedCount()).toBe(1)
  })

  it('accepts the idempotency key in the body too', async () => {
    const a = await (await post({ message: 'x', idempotency_key: 'body-key-1' })).json()
    const b = await (await post({ message: 'x', idempotency_key: 'body-key-1' })).json()
    expect(a.id).toBe(b.id)
  })

  it('groups identical complaints into one cluster and counts distinct reporters', async () => {
    const a = await (await post({ message: 'Where did the pricing page go?', reporter_id: 'r1' })).json()
    const b = await (await post({ message: 'Where did the pricing page go?', reporter_id: 'r2' })).json()
    const c = await (await post({ message: 'Where did the pricing page go?', reporter_id: 'r2' })).json()
    const ids = await Promise.all([a, b, c].map((r) => clusterOf(t.deps, r.id)))
    expect(ids[0]).toMatch(/^clu_/)
    expect(new Set(ids).size).toBe(1)
    const cluster = (await t.db.orm.select().from(clusters).where(eq(clusters.id, ids[0]!)).get())!
    expect(cluster.reportCount).toBe(3)
    expect(cluster.reporterCount).toBe(2)
  })

  it.each([
    ['malformed JSON', '{"message":', {}, 400, 'invalid_json'],
    ['missing message', { email: 'a@b.co' }, {}, 400, 'invalid_body'],
    ['empty message', { message: '   ' }, {}, 400, 'invalid_body'],
    ['message too long', { message: 'x'.repeat(5001) }, {}, 400, 'invalid_body'],
    ['wrong type', { message: 42 }, {}, 400, 'invalid_body'],
    ['bad e-mail', { message: 'hi', email: 'not-an-email' }, {}, 400, 'invalid_body'],
    ['context not an object', { message: 'hi', context: 'nope' }, {}, 400, 'invalid_body'],
    ['short idempotency key', { message: 'hi' }, { 'idempotency-key': 'abc' }, 400, 'invalid_idempotency_key'],
    [
      'wrong content type',
      'message=hi',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
    ],
    ['missing key', { message: 'hi' }, { 'x-earshot-key': '' }, 401, 'missing_key'],
    ['unknown key', { message: 'hi' }, { 'x-earshot-key': 'pk_nope' }, 401, 'invalid_key'],
    ['origin not allowed', { message: 'hi' }, { origin: 'https://evil.example' }, 403, 'origin_not_allowed'],
  ] as const)('refuses %s with a JSON error and stores nothing', async (_name, body, headers, status, code) => {
    const res = await post(body, headers as Record<string, string>)
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBe(code)
    expect(await storedCount()).toBe(0)
  })

  it('refuses a body over 64 KB with 413', async () => {
    const res = await post(
      { message: 'hi', context: { custom: { blob: 'x'.repeat(70_000) } } },
      { 'content-length': '70100' },
    )
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('body_too_large')
    expect(await storedCount()).toBe(0)
  })

  it('takes the key from ?key= and a text/plain body (no CORS preflight needed)', async () => {
    const res = await t.app.request(`/v1/reports?key=${t.key}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: ORIGIN },
      body: JSON.stringify({ message: 'Sent without a preflight' }),
    })
    expect(res.status).toBe(202)
  })

  it('answers a CORS preflight', async () => {
    const res = await t.app.request('/v1/reports', {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-earshot-key',
      },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-Earshot-Key/i)
  })
})

describe('health and OpenAPI', () => {
  it('reports the database up, then down once it is gone', async () => {
    expect((await t.app.request('/health')).status).toBe(200)
    t.db.client.close()
    const res = await t.app.request('/health')
    expect(res.status).toBe(503)
    expect((await res.json()).ok).toBe(false)
  })

  it('answers 503 with Retry-After when the database is unreachable', async () => {
    t.db.client.close()
    const res = await post({ message: 'Is anyone there?' })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBeTruthy()
  })

  it('serves an OpenAPI 3.1 document generated from the request schemas', async () => {
    const doc = await (await t.app.request('/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    const ref = doc.paths['/v1/reports'].post.requestBody.content['application/json'].schema.$ref
    expect(ref).toBe('#/components/schemas/ReportInput')
    const schema = doc.components.schemas.ReportInput
    expect(schema.required).toContain('message')
    expect(schema.properties.message.maxLength).toBe(5000)
    for (const path of [
      '/v1/incidents',
      '/v1/incidents/{id}/affected',
      '/v1/notices',
      '/v1/notices/{id}/seen',
      '/v1/deploys',
      '/health',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
    expect(doc.components.schemas.DeployInput.required).toContain('release')
  })
})
