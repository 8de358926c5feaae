import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../../worker/clock.js'
import { abuseCounts } from '../../worker/domain/reports/spam.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'
import { postJson } from './http.js'

const count = async (s: TestServer, where = '1=1') =>
  Number((await s.db.client.execute(`SELECT count(*) AS n FROM reports WHERE ${where}`)).rows[0]!.n)

describe('honeypot and spam heuristics on POST /v1/reports', () => {
  const clock = manualClock(Date.UTC(2026, 10, 26, 12, 0, 0))
  let s: TestServer
  let n = 0
  beforeAll(async () => {
    s = await startServer({ clock, config: { rateLimits: { repeatsPer10Min: 3 } } })
  })
  afterAll(() => s.close())
  const post = (body: Record<string, unknown>, from = '127.0.0.1', key = `spam-test-${n++}`) =>
    postJson(`${s.url}/v1/reports`, body, { 'x-earshot-key': s.key, 'idempotency-key': key }, from)

  it('answers a filled-in honeypot like a success, stores nothing and counts it', async () => {
    const before = await count(s)
    const res = await post({ message: 'Buy cheap watches', website: 'http://spam.example' })
    expect(res.status).toBe(202)
    expect(res.json().id).toMatch(/^rep_/)
    expect(await count(s)).toBe(before)
    expect(await abuseCounts(s.deps, s.projectId)).toContainEqual(
      expect.objectContaining({ kind: 'honeypot', count: 1 }),
    )
    // An empty honeypot (what every real widget sends, if anything) is a normal report.
    expect((await post({ message: 'Checkout is broken', website: '' })).status).toBe(202)
    expect(await count(s)).toBe(before + 1)
  })

  it('refuses link spam with an explicit 422 the widget can show, and takes a report with a few links', async () => {
    const before = await count(s)
    const links = Array.from({ length: 6 }, (_, i) => `https://cheap-${i}.example/buy`).join(' ')
    const res = await post({ message: `Great deals ${links}` })
    expect(res.status).toBe(422)
    expect(res.json().error.code).toBe('too_many_links')
    expect(res.json().error.message).toMatch(/at most 5 links/)
    expect(await count(s)).toBe(before)
    const fine = await post({
      message: 'These pages 404: https://shop.example/a https://shop.example/b www.shop.example/c',
    })
    expect(fine.status).toBe(202)
    expect(await abuseCounts(s.deps, s.projectId)).toContainEqual(
      expect.objectContaining({ kind: 'spam_links', count: 1 }),
    )
    // Responders see the counts in the dashboard API.
    const login = await fetch(`${s.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })
    const api = await fetch(`${s.url}/api/projects/${s.projectId}/abuse`, {
      headers: { cookie: login.headers.get('set-cookie')!.split(';')[0]! },
    })
    expect(api.status).toBe(200)
    expect((await api.json()).counts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'honeypot', count: 1 }),
        expect.objectContaining({ kind: 'spam_links', count: 1 }),
      ]),
    )
  })

  it('refuses one address its same text after 3 reports (429 + message); never a retry, never others', async () => {
    const text = { message: 'FREE   money click now' }
    const first = await post(text, '127.0.0.1', 'repeat-key-0001')
    expect(first.status).toBe(202)
    expect((await post({ message: 'free money CLICK now' })).status).toBe(202) // same text, case/spacing aside
    expect((await post(text)).status).toBe(202)
    const fourth = await post(text)
    expect(fourth.status, s.errors.join('\n')).toBe(429)
    expect(fourth.json().error.code).toBe('repeated_report')
    expect(String(fourth.headers['retry-after'])).toMatch(/^\d+$/)
    expect(await count(s, "lower(message) LIKE 'free%money%'")).toBe(3)
    // The widget retrying its first (stored) report is answered with that report, not refused.
    const retry = await post(text, '127.0.0.1', 'repeat-key-0001')
    expect(retry.status).toBe(202)
    expect(retry.json().id).toBe(first.json().id)
    // Someone else writing the same words is a real signal (many customers, one problem).
    expect((await post(text, '127.0.0.2')).status).toBe(202)
    // Ten minutes later the same address may report it again.
    clock.advance(10 * 60_000)
    expect((await post(text)).status).toBe(202)
  })
})
