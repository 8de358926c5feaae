// "People affected" counts a person, not a browser: the same identify()'d customer on a laptop and
// a phone (two anonymous reporter ids) is one person, also after a merge, a move and a recount.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
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
    const moved = await owner.json('POST', `/api/clusters/${a.cluster_id}/move`, { report_ids: [b.id], new_title: 'Split off' })
    expect(moved.status).toBe(200)
    const newId = moved.body.cluster.id
    expect((await owner.json('GET', `/api/clusters/${a.cluster_id}`)).body.cluster.reporter_count).toBe(2)
    const merged = await owner.json('POST', `/api/clusters/${newId}/merge`, { into_id: a.cluster_id })
    expect(merged.status).toBe(200)
    const after = await owner.json('GET', `/api/clusters/${a.cluster_id}`)
    expect(after.body.cluster.report_count).toBe(3)
    expect(after.body.cluster.reporter_count).toBe(2)
  })
})
