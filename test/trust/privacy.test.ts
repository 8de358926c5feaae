import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runBackgroundJobs } from '../../worker/jobs.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { signInEveryone } from './people.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

/**
 * A widget report, stored; `{ waiting: true }` leaves it waiting for the pipeline, otherwise it is
 * clustered before this returns.
 */
const report = async (body: Record<string, unknown>, opts: { waiting?: boolean } = {}) => {
  const res = await t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': t.key },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(202)
  if (!opts.waiting) await t.deps.pipeline.drain()
  return (await res.json()) as { id: string }
}
const rows = async (sql: string, args: (string | number)[] = []) => (await t.db.client.execute({ sql, args })).rows

/** Every cluster's counters equal what its reports say (the clustering engine's invariants). */
async function expectClusterCountersRight() {
  const wrong = await rows(`
    SELECT c.id, c.report_count, c.reporter_count,
      (SELECT count(*) FROM reports r WHERE r.cluster_id = c.id) AS reports,
      (SELECT count(DISTINCT reporter_id) FROM reports r
        WHERE r.cluster_id = c.id AND reporter_id IS NOT NULL) AS reporters
    FROM clusters c WHERE c.report_count != reports OR c.reporter_count != reporters`)
  expect(wrong).toEqual([])
}

/** Any trace of `needle` in any text column of any table (except the FTS shadow tables' binary data). */
async function tracesOf(needle: string, except: string[] = []): Promise<string[]> {
  const found: string[] = []
  const tables = (
    await rows(
      "SELECT name FROM sqlite_master WHERE type = 'table' " +
        "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'reports_fts_%'",
    )
  )
    .map((r) => String(r.name))
    .filter((n) => !except.includes(n))
  for (const table of tables) {
    const cols = (await rows(`SELECT name FROM pragma_table_info('${table}')`)).map((r) => String(r.name))
    if (!cols.length) continue
    const where = cols.map((c) => `lower(CAST("${c}" AS TEXT)) LIKE ?`).join(' OR ')
    const n = Number(
      (
        await rows(
          `SELECT count(*) AS n FROM "${table}" WHERE ${where}`,
          cols.map(() => `%${needle.toLowerCase()}%`),
        )
      )[0]!.n,
    )
    if (n) found.push(`${table}: ${n}`)
  }
  return found
}

describe('privacy', () => {
  it('stores an e-mail only when the customer gives one', async () => {
    const a = await report({ message: 'No e-mail here' })
    const b = await report({ message: 'Empty e-mail field', email: '' })
    const c = await report({ message: 'Please write back', email: 'Given@Example.com' })
    const stored = Object.fromEntries((await rows('SELECT id, email FROM reports')).map((r) => [r.id, r.email]))
    expect(stored[a.id]).toBeNull()
    expect(stored[b.id]).toBeNull()
    expect(stored[c.id]).toBe('Given@Example.com')
  })

  it('erases by e-mail workspace-wide: reports (e-mail, user, browser), subscriptions, mail; counters ok', async () => {
    const { cookies, workspaceId } = await signInEveryone(t)
    const kept = await report({ message: 'Checkout button does nothing', reporter_id: 'anon_keep' })
    await report({ message: 'Checkout button does nothing', reporter_id: 'anon_gone', email: 'Erase.Me@example.com' })
    // Same browser, no e-mail.
    await report({ message: 'My own words: the zebra page crashed', reporter_id: 'anon_gone' })
    await report({
      message: 'Signed-in user report',
      context: { user: { id: 'u-42', email: 'erase.me@EXAMPLE.com', name: 'Erin' } },
    })
    const sub = await t.app.request('/status/demo/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'erase.me@example.com' }),
    })
    expect(sub.status).toBe(202)
    expect(await tracesOf('erase.me@example.com')).not.toEqual([])
    const search = async () =>
      (await rows("SELECT count(*) AS n FROM reports_fts WHERE reports_fts MATCH 'zebra'"))[0]!.n

    expect(Number(await search())).toBe(1)
    const res = await t.app.request(`/api/workspaces/${workspaceId}/privacy/erase`, {
      method: 'POST',
      headers: { cookie: cookies.owner!, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ERASE.ME@example.com' }),
    })
    expect(res.status).toBe(200)
    const { erased } = await res.json()
    expect(erased.reports).toBe(3)
    expect(erased.subscribers).toBe(1)
    expect(await tracesOf('erase.me@example.com')).toEqual([])
    expect(await tracesOf('anon_gone')).toEqual([])
    // Words of the deleted text survive only as anonymous statistics: the clustering engine's
    // document frequencies, inverted index and centroid sums, and surge topic counters.
    const AGGREGATES = ['clustering_df', 'cluster_postings', 'cluster_vectors', 'surge_buckets', 'surge_state']
    expect(await tracesOf('zebra', AGGREGATES)).toEqual([])
    expect(Number(await search())).toBe(0)
    expect((await rows('SELECT id FROM reports')).map((r) => r.id)).toEqual([kept.id])
    await expectClusterCountersRight()
  })

  it('erases by reporter id, and only owners may erase (others: 403, another workspace: 404)', async () => {
    const { cookies, workspaceId } = await signInEveryone(t)
    await report({ message: 'Fonts look different', reporter_id: 'anon_x' })
    await report({ message: 'Fonts look different', reporter_id: 'anon_y' })
    const erase = (who: keyof typeof cookies) =>
      t.app.request(`/api/workspaces/${workspaceId}/privacy/erase`, {
        method: 'POST',
        headers: { ...(cookies[who] ? { cookie: cookies[who]! } : {}), 'content-type': 'application/json' },
        body: JSON.stringify({ reporter_id: 'anon_x' }),
      })
    expect((await erase('anonymous')).status).toBe(401)
    for (const who of ['viewer', 'support', 'responder'] as const) expect((await erase(who)).status, who).toBe(403)
    expect((await erase('other_owner')).status).toBe(404)
    expect((await rows('SELECT count(*) AS n FROM reports'))[0]!.n).toBe(2)
    const ok = await erase('owner')
    expect(ok.status).toBe(200)
    expect((await ok.json()).erased.reports).toBe(1)
    expect((await rows('SELECT reporter_id FROM reports')).map((r) => r.reporter_id)).toEqual(['anon_y'])
    await expectClusterCountersRight()
    const cluster = (await rows('SELECT report_count, reporter_count FROM clusters'))[0]!
    expect([cluster.report_count, cluster.reporter_count]).toEqual([1, 1])
  })

  it('erases a reporter whose report waits for the pipeline: it is never clustered, counters stay right', async () => {
    const { cookies, workspaceId } = await signInEveryone(t)
    await report({ message: 'Fonts look different', reporter_id: 'anon_stays' })
    await report({ message: 'Fonts look different', reporter_id: 'anon_x' }, { waiting: true })
    expect((await rows('SELECT count(*) AS n FROM reports WHERE processed_at IS NULL'))[0]!.n).toBe(1)
    const res = await t.app.request(`/api/workspaces/${workspaceId}/privacy/erase`, {
      method: 'POST',
      headers: { cookie: cookies.owner!, 'content-type': 'application/json' },
      body: JSON.stringify({ reporter_id: 'anon_x' }),
    })
    expect(res.status).toBe(200)
    expect((await res.json()).erased.reports).toBe(1)
    expect(await t.deps.pipeline.drain()).toBe(0)
    expect(await tracesOf('anon_x')).toEqual([])
    await expectClusterCountersRight()
    const cluster = await rows('SELECT report_count, reporter_count FROM clusters')
    expect(cluster.map((c) => [c.report_count, c.reporter_count])).toEqual([[1, 1]])
    expect((await rows("SELECT df FROM clustering_df WHERE feature = '#docs'"))[0]!.df).toBe(1)
  })

  it('deletes reports older than the project retention in the background job; cluster counters stay true', async () => {
    const { cookies } = await signInEveryone(t)
    const patch = await t.app.request(`/api/projects/${t.seed.projectId}`, {
      method: 'PATCH',
      headers: { cookie: cookies.owner!, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { retention_days: 30 } }),
    })
    expect(patch.status).toBe(200)
    for (let i = 0; i < 5; i++) await report({ message: 'Old complaint about search', reporter_id: `old_${i}` })
    t.clock.advance(20 * 86400_000)
    const middle = await report({ message: 'Old complaint about search', reporter_id: 'mid' })
    t.clock.advance(11 * 86400_000) // the first five are now 31 days old, the middle one 11
    const fresh = await report({ message: 'New complaint about search', reporter_id: 'new' })
    const errors: string[] = []
    await runBackgroundJobs(t.deps, (m) => errors.push(m))
    expect(errors).toEqual([])
    expect((await rows('SELECT id FROM reports ORDER BY created_at')).map((r) => r.id)).toEqual([middle.id, fresh.id])
    await expectClusterCountersRight()
    // A longer retention keeps everything younger (signed in again: a month has passed).
    const login = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    })
    const longer = await t.app.request(`/api/projects/${t.seed.projectId}`, {
      method: 'PATCH',
      headers: { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { retention_days: 3650 } }),
    })
    expect(longer.status).toBe(200)
    expect((await rows('SELECT settings FROM projects WHERE id = ?', [t.seed.projectId]))[0]!.settings).toContain(
      '3650',
    )
    t.clock.advance(100 * 86400_000)
    await runBackgroundJobs(t.deps, (m) => errors.push(m))
    expect((await rows('SELECT count(*) AS n FROM reports'))[0]!.n).toBe(2)
  })
})
