import SwaggerParser from '@apidevtools/swagger-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/db.js'
import { openApiContract } from '../support/openapi-contract.js'

// /openapi.json is generated from the routes (worker/http/openapi.ts). Checked here with a real
// third-party validator (swagger-parser), against the app's own route table (a route without a
// description fails), and — for every answer any createTestApp() test gets — by the contract
// hook in test/support/openapi-contract.ts.

/** Routes that answer no JSON (HTML pages, feeds, scripts, redirects): not part of the API description. */
const NOT_JSON = new Set([
  'GET /',
  'GET /demo.css',
  'GET /status/{slug}',
  'GET /status/{slug}/',
  'GET /status/{slug}/local-time.js',
  'GET /status/{slug}/incidents/{id}',
  'GET /status/{slug}/feed.atom',
  'GET /status/{slug}/feed.rss',
  'GET /status/{slug}/history.atom',
  'GET /status/{slug}/history.rss',
  'GET /status/{slug}/subscribe/confirm',
  'GET /status/{slug}/unsubscribe',
])

let t: TestApp
let doc: any

beforeAll(async () => {
  t = await createTestApp({ config: { publicUrl: 'https://earshot.example.com' } })
  const res = await t.app.request('/openapi.json', { headers: { host: 'attacker.example' } })
  expect(res.status).toBe(200)
  doc = await res.json()
})
afterAll(() => t.close())

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, path, method, op })),
  )

describe('/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document by swagger-parser, with every $ref resolving', async () => {
    expect(doc.openapi).toBe('3.1.0')
    // validate() checks it against the OpenAPI 3.1 JSON Schema and dereferences every $ref.
    const api = await SwaggerParser.validate(structuredClone(doc))
    expect(Object.keys(api.paths ?? {}).length).toBe(Object.keys(doc.paths).length)
  })

  it('describes every JSON route the app declares, and no route that does not exist', () => {
    const declared = new Set(
      t.app.routes
        .filter((r) => r.method !== 'ALL' && r.method !== 'OPTIONS' && !r.path.includes('*'))
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/(.)\/$/, '$1')}`),
    )
    const described = new Set(operations().map((o) => o.key))
    const missing = [...declared].filter((k) => !described.has(k) && !NOT_JSON.has(k) && !NOT_JSON.has(`${k}/`))
    expect(missing, 'routes without a description (add describe({…}) next to the route)').toEqual([])
    expect(
      [...described].filter((k) => !declared.has(k)),
      'described routes the app does not have',
    ).toEqual([])
    expect(described.size).toBeGreaterThanOrEqual(84)
  })

  it('gives every operation a unique operationId, a tag, a summary and its security', () => {
    const ids = operations().map((o) => o.op.operationId)
    expect(new Set(ids).size).toBe(ids.length)
    const tags = new Set((doc.tags as { name: string }[]).map((x) => x.name))
    for (const { key, op } of operations()) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z0-9]+$/)
      expect(op.tags?.length, key).toBe(1)
      expect(tags.has(op.tags[0]), `${key}: tag ${op.tags[0]}`).toBe(true)
      expect(op.summary, key).toBeTruthy()
      expect(Array.isArray(op.security), key).toBe(true)
      for (const [status, r] of Object.entries(op.responses as Record<string, any>))
        expect(r.description, `${key} ${status}`).toBeTruthy()
    }
  })

  it('models auth as security schemes (never an Authorization header parameter), token scopes by method', () => {
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'apiToken',
      'publicKey',
      'publicKeyQuery',
      'sessionCookie',
      'statusToken',
    ])
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'earshot_session',
    })
    for (const { key, path, method, op } of operations()) {
      for (const p of op.parameters ?? [])
        expect(
          p.in === 'header' && /^(authorization|cookie|content-type|accept)$/i.test(p.name),
          `${key}: ${p.name}`,
        ).toBe(false)
      const open = path === '/api/session' || path.startsWith('/api/invitations/by-token/')
      if (path.startsWith('/api/') && !open) {
        const schemes = op.security.flatMap((s: Record<string, string[]>) => Object.keys(s))
        expect(schemes, key).toContain('sessionCookie')
        const token = op.security.find((s: Record<string, string[]>) => s.apiToken)
        // Person-only routes (passwords, tokens, invitations) take no API token at all.
        if (token) expect(token.apiToken, key).toEqual([method === 'get' ? 'read' : 'write'])
      }
      if (path.startsWith('/v1/') && path !== '/v1/deploys')
        expect(op.security, key).toEqual([{ publicKey: [] }, { publicKeyQuery: [] }])
    }
    expect(doc.paths['/v1/deploys'].post.security).toEqual([{ apiToken: ['write'] }])
    expect(doc.paths['/api/me/password'].post.security).toEqual([{ sessionCookie: [] }])
    expect(doc.paths['/api/session'].post.security).toEqual([])
  })

  it('names PUBLIC_URL as its server, never the Host of the request', () => {
    expect(doc.servers).toEqual([{ url: 'https://earshot.example.com' }])
    expect(JSON.stringify(doc)).not.toContain('attacker.example')
  })

  it('takes request schemas from the zod validators and response schemas from the serializers', () => {
    expect(doc.paths['/v1/reports'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/ReportInput',
    )
    expect(doc.components.schemas.ReportInput.properties.message.maxLength).toBe(5000)
    const clusters = doc.paths['/api/clusters'].get
    expect(clusters.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['project_id', 'status', 'range', 'limit']),
    )
    expect(clusters.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/ClusterList')
    expect(doc.components.schemas.Cluster.required).toEqual(expect.arrayContaining(['id', 'status', 'report_count']))
    expect(doc.paths['/health'].get.responses['503'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Health',
    )
    expect(doc.paths['/v1/deploys'].post.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/DeployRecorded',
    )
    expect(
      doc.paths['/status/{slug}/api/v2/summary.json'].get.responses['200'].content['application/json'].schema.$ref,
    ).toBe('#/components/schemas/StatuspageSummary')
  })
})

describe('the answers contract (test/support/openapi-contract.ts)', () => {
  it('refuses an answer whose body or status the description does not allow', async () => {
    const contract = await openApiContract(t.app)
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
    await contract.check('GET', '/health', json({ ok: true, database: 'up', writable: true }))
    await expect(contract.check('GET', '/health', json({ ok: 'yes', database: 'up', writable: true }))).rejects.toThrow(
      /does not match/,
    )
    await expect(contract.check('GET', '/health', json({ ok: true }, 418))).rejects.toThrow(/does not declare/)
    await expect(contract.check('GET', '/api/clusters/c1', json({ cluster: { id: 'c1' } }))).rejects.toThrow(
      /does not match/,
    )
    await expect(contract.check('POST', '/v1/reports', json({ id: 42 }, 202))).rejects.toThrow(/does not match/)
  })

  it('checks the real answers of the main routes as a client sees them', async () => {
    // Through app.request(), so the contract hook checks each of these answers.
    const report = await t.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key },
      body: JSON.stringify({ message: 'Checkout button does nothing' }),
    })
    expect(report.status).toBe(202)
    expect((await t.app.request('/v1/incidents', { headers: { 'x-earshot-key': t.key } })).status).toBe(200)
    expect((await t.app.request('/health')).status).toBe(200)
    for (const name of [
      'summary.json',
      'status.json',
      'components.json',
      'incidents.json',
      'incidents/unresolved.json',
      'scheduled-maintenances.json',
      'scheduled-maintenances/upcoming.json',
      'scheduled-maintenances/active.json',
    ]) {
      expect((await t.app.request(`/status/${'demo'}/api/v2/${name}`)).status, name).toBe(200)
    }
  })
})
