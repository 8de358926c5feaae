// Issue 11 #9 (help-desk tickets silently lost): a widget request with `Idempotency-Key:
// ext:ZD-13975` squatted the key a help-desk ticket arrives with, and the real ticket was answered
// 200 with the attacker's report and never stored. And a reused key with a different body was
// silently answered with the first report. Tried as the attacker did, over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApiToken } from '../../worker/domain/access/api-tokens.js'
import { findProjectBySlug } from '../../worker/domain/projects/projects.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from '../status/support.js'

let t: TestApp
let helpDesk: Record<string, string>
beforeEach(async () => {
  t = await createTestApp()
  const project = (await findProjectBySlug(t.db.orm, 'demo'))!
  const { secret } = await createApiToken(t.deps, {
    workspaceId: project.workspaceId,
    name: 'Zendesk',
    scopes: ['write'],
  })
  helpDesk = { authorization: `Bearer ${secret}`, 'content-type': 'application/json' }
})
afterEach(() => t.close())

const ORIGIN = 'https://shop.example.com'
const widget = (body: unknown, headers: Record<string, string> = {}) =>
  t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: ORIGIN, ...headers },
    body: JSON.stringify(body),
  })
const ticket = (body: unknown) => api(t, helpDesk, 'POST', `/api/projects/${t.seed.projectId}/reports`, body)
const reportCount = async () => Number((await t.db.client.execute('SELECT count(*) AS n FROM reports')).rows[0]!.n)

describe('help-desk keys cannot be claimed from the public API', () => {
  it('refuses a widget request in the help-desk key space, and the real ticket is stored', async () => {
    const squat = await widget({ message: 'Totally unrelated text' }, { 'idempotency-key': 'ext:ZD-13975' })
    expect(squat.status).toBe(400)
    expect((await squat.json()).error.code).toBe('invalid_idempotency_key')
    for (const key of ['EXT:ZD-13975', 'support:hd-000001']) {
      expect((await widget({ message: 'x' }, { 'idempotency-key': key })).status).toBe(400)
      expect((await widget({ message: 'x', idempotency_key: key })).status).toBe(400)
    }
    expect(await reportCount()).toBe(0)

    const real = await ticket({
      message: 'Customer cannot pay with Visa',
      customer_email: 'ann@example.com',
      external_id: 'ZD-13975',
    })
    expect(real.status).toBe(201)
    const stored = await t.db.client.execute({
      sql: 'SELECT message, source FROM reports WHERE id = ?',
      args: [real.json.id],
    })
    expect(stored.rows[0]).toMatchObject({ message: 'Customer cannot pay with Visa', source: 'api' })
  })

  it('keeps keys chosen on the staff API apart from the same key sent by a widget', async () => {
    const staff = await ticket({ message: 'Customer cannot pay with Visa', idempotency_key: 'hd-key-000042' })
    expect(staff.status).toBe(201)
    const other = await widget({ message: 'My avatar will not upload' }, { 'idempotency-key': 'hd-key-000042' })
    expect(other.status).toBe(202)
    expect((await other.json()).id).not.toBe(staff.json.id)
    expect(await reportCount()).toBe(2)
  })

  it('"me too" presses share the public rules', async () => {
    const res = await t.app.request('/v1/incidents/inc_x/affected', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, 'idempotency-key': 'ext:ZD-1' },
      body: '{}',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid_idempotency_key')
  })
})

describe('an idempotency key names one request', () => {
  it('widget: a retry of the same body gets the stored answer; another body is 409, not stored', async () => {
    const body = { message: 'Checkout button does nothing', release: 'web@1', context: { custom: { b: 2, a: 1 } } }
    const first = await widget(body, { 'idempotency-key': 'retry-key-0001' })
    expect(first.status).toBe(202)
    const { id } = await first.json()
    // The same body again, keys in another order (what matters is the JSON value, not its bytes).
    const again = await widget(
      { context: { custom: { a: 1, b: 2 } }, release: 'web@1', message: 'Checkout button does nothing' },
      { 'idempotency-key': 'retry-key-0001' },
    )
    expect(again.status).toBe(202)
    expect((await again.json()).id).toBe(id)
    // The key in the body as the widget also sends it: the same request.
    expect(
      (
        await (
          await widget({ ...body, idempotency_key: 'retry-key-0001' }, { 'idempotency-key': 'retry-key-0001' })
        ).json()
      ).id,
    ).toBe(id)

    const reused = await widget({ message: 'Something else entirely' }, { 'idempotency-key': 'retry-key-0001' })
    expect(reused.status).toBe(409)
    expect((await reused.json()).error).toMatchObject({ code: 'idempotency_key_reused', message: expect.any(String) })
    expect(await reportCount()).toBe(1)
  })

  it('help desk: the same ticket twice is one report (200); the same external_id, other text is 409', async () => {
    const body = {
      message: 'Customer says fonts look different',
      channel: 'email',
      customer_email: 'ann@example.com',
      external_id: 'ZD-1042',
    }
    const first = await ticket(body)
    expect(first.status).toBe(201)
    const again = await ticket(body)
    expect(again.status).toBe(200)
    expect(again.json.id).toBe(first.json.id)
    // The same ticket added by hand by a support person is the same request, too.
    const bySupport = await api(t, await signIn(t), 'POST', `/api/projects/${t.seed.projectId}/reports`, body)
    expect(bySupport.status).toBe(200)
    const changed = await ticket({ ...body, message: 'Customer now says the logo is gone' })
    expect(changed.status).toBe(409)
    expect(changed.json.error.code).toBe('idempotency_key_reused')
    expect(await reportCount()).toBe(1)
  })
})
