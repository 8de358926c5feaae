// "People affected" counts a person, not a browser: the same identify()'d customer on a laptop and
// a phone (two anonymous reporter ids) is one person, also after a merge, a move and a recount.
import { sql } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient } from '@libsql/client'
import { checkPipeline } from '../../scripts/pipeline-check.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { report, signIn, type Client } from './helpers.js'

let t: TestApp
let owner: Client
beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
})
afterEach(() => t.close())

const MSG = 'Checkout button does nothing when I press pay'

describe('people affected', () => {
  it('counts an identified user once across browsers and devices (by user id, else e-mail in any case)', async () => {
    const a = await report(t, MSG, { reporter_id: 'laptop-browser', context: { user: { id: 'cust_42', name: 'Ada' } } })
    await report(t, MSG, { reporter_id: 'phone-browser', context: { user: { id: 'cust_42', name: 'Ada' } } })
    await report(t, MSG, { reporter_id: 'tablet-browser', context: { user: { email: 'Grace@Example.com' } } })
    await report(t, MSG, { reporter_id: 'work-browser', context: { user: { email: 'grace@example.com ' } } })
    await report(t, MSG, { reporter_id: 'anon-1' })
    await report(t, MSG, { reporter_id: 'anon-1' })
    await report(t, MSG, { reporter_id: 'anon-2' })
    const page = await owner.json('GET', `/api/clusters/${a.cluster_id}`)
    expect(page.body.cluster.report_count).toBe(7)
    // Ada, Grace, anon-1, anon-2
    expect(page.body.cluster.reporter_count).toBe(4)
  })

  it('keeps counting the person once after reports are moved out and back (recount)', async () => {
    const a = await report(t, MSG, { reporter_id: 'laptop', context: { user: { id: 'u1' } } })
    const b = await report(t, MSG, { reporter_id: 'phone', context: { user: { id: 'u1' } } })
    await report(t, MSG, { reporter_id: 'other' })
    const moved = await owner.json('POST', `/api/clusters/${a.cluster_id}/move`, {
      report_ids: [b.id],
      new_title: 'Split off',
    })
    expect(moved.status).toBe(200)
    const newId = moved.body.cluster.id
    expect((await owner.json('GET', `/api/clusters/${a.cluster_id}`)).body.cluster.reporter_count).toBe(2)
    const merged = await owner.json('POST', `/api/clusters/${newId}/merge`, { into_id: a.cluster_id })
    expect(merged.status).toBe(200)
    const after = await owner.json('GET', `/api/clusters/${a.cluster_id}`)
    expect(after.body.cluster.report_count).toBe(3)
    expect(after.body.cluster.reporter_count).toBe(2)
  })

  it('counts the person the same way when one pipeline batch processes all their reports', async () => {
    // Posted without waiting, so the one drain below takes them all in a single batch (the
    // in-memory count of that batch, not one report per batch as the helper above gives).
    const send = (reporterId: string, user?: Record<string, string>) =>
      t.app.request('/v1/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
        body: JSON.stringify({ message: MSG, reporter_id: reporterId, ...(user ? { context: { user } } : {}) }),
      })
    const people: [string, Record<string, string>?][] = [
      ['laptop-browser', { id: 'cust_42' }],
      ['phone-browser', { id: 'cust_42' }],
      ['tablet-browser', { email: 'Grace@Example.com' }],
      ['work-browser', { email: 'grace@example.com ' }],
      ['anon-1'],
      ['anon-1'],
      ['anon-2'],
    ]
    const ids: string[] = []
    for (const [rid, user] of people) {
      const res = await send(rid, user)
      expect(res.status).toBe(202)
      ids.push(((await res.json()) as { id: string }).id)
    }
    expect(await t.deps.pipeline.drain({ maxBatches: 1 })).toBe(7) // all seven in one batch
    const [row] = await t.db.orm.all<{ cluster_id: string }>(
      sql`SELECT DISTINCT cluster_id FROM reports WHERE id IN (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`,
    )
    const page = await owner.json('GET', `/api/clusters/${row!.cluster_id}`)
    expect(page.body.cluster.report_count).toBe(7)
    expect(page.body.cluster.reporter_count).toBe(4) // Ada, Grace, anon-1, anon-2
    // And the batch's numbers are what a recount from the stored reports gives.
    const client = createClient({ url: t.url })
    try {
      expect((await checkPipeline(client)).problems).toEqual([])
    } finally {
      client.close()
    }
  })
})
