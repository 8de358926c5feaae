import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createResponder } from '../../worker/domain/access/auth.js'
import { verifySignature } from '../../worker/domain/notifications/crypto.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { demoProject } from '../surge/helpers.js'
import { startReceiver } from './receiver.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

async function signIn(email = ADMIN_EMAIL, password = ADMIN_PASSWORD) {
  const res = await t.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  expect(res.status).toBe(200)
  return res.headers.get('set-cookie')!.split(';')[0]!
}
const api = (cookie: string, method: string, path: string, body?: unknown) =>
  t.app.request(path, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })

describe('webhook API', () => {
  it('creates (secret shown once), lists, tests, logs deliveries and deletes a webhook', async () => {
    const rx = await startReceiver()
    try {
      const cookie = await signIn()
      const pid = t.seed.projectId
      const created = await api(cookie, 'POST', `/api/projects/${pid}/webhooks`, {
        url: rx.url,
        kind: 'generic',
        events: ['surge'],
      })
      expect(created.status).toBe(201)
      const { webhook, secret } = await created.json()
      expect(secret).toMatch(/^whsec_/)
      expect(webhook).toMatchObject({
        project_id: pid,
        url: rx.url,
        kind: 'generic',
        events: ['surge'],
        component_id: null,
      })
      expect(webhook.secret_hint).toBe(`whsec_…${secret.slice(-4)}`)

      const list = await (await api(cookie, 'GET', `/api/projects/${pid}/webhooks`)).json()
      expect(list.webhooks).toHaveLength(1)
      expect(JSON.stringify(list)).not.toContain(secret)

      const test = await api(cookie, 'POST', `/api/webhooks/${webhook.id}/test`, {})
      expect(test.status).toBe(202)
      await rx.waitFor(1)
      const got = rx.received[0]!
      expect(JSON.parse(got.body)).toMatchObject({ event: 'test' })
      const header = got.headers['x-earshot-signature'] as string
      expect(await verifySignature(secret, got.body, header, Number(header.match(/t=(\d+)/)![1]))).toBe(true)

      await expect
        .poll(
          async () => (await (await api(cookie, 'GET', `/api/webhooks/${webhook.id}/deliveries`)).json()).deliveries,
        )
        .toMatchObject([{ event: 'test', attempt: 1, status_code: 200, error: null, status: 'sent' }])

      expect((await api(cookie, 'DELETE', `/api/webhooks/${webhook.id}`)).status).toBe(204)
      expect((await (await api(cookie, 'GET', `/api/projects/${pid}/webhooks`)).json()).webhooks).toHaveLength(0)
      expect((await api(cookie, 'GET', `/api/webhooks/${webhook.id}/deliveries`)).status).toBe(404)
    } finally {
      await rx.close()
    }
  })

  it.each([
    ['not a URL', { url: 'nope' }, 'invalid_webhook_url'],
    ['unknown kind', { url: 'https://hooks.example.com/x', kind: 'teams' }, 'invalid_body'],
    ['unknown event', { url: 'https://hooks.example.com/x', events: ['everything'] }, 'invalid_body'],
    ['no events', { url: 'https://hooks.example.com/x', events: [] }, 'invalid_body'],
  ])('refuses %s with 400', async (_name, body, code) => {
    const cookie = await signIn()
    const res = await api(cookie, 'POST', `/api/projects/${t.seed.projectId}/webhooks`, body)
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe(code)
    expect(
      (await (await api(cookie, 'GET', `/api/projects/${t.seed.projectId}/webhooks`)).json()).webhooks,
    ).toHaveLength(0)
  })

  it('needs the owner role to change webhooks, and a session at all', async () => {
    const project = await demoProject(t)
    await t.db.write((tx) =>
      createResponder(tx, t.deps, {
        email: 'r@example.com',
        password: 'responder password 1',
        workspaceId: project.workspaceId,
        role: 'responder',
      }),
    )
    const cookie = await signIn('r@example.com', 'responder password 1')
    const res = await api(cookie, 'POST', `/api/projects/${project.id}/webhooks`, {
      url: 'https://hooks.example.com/x',
    })
    expect(res.status).toBe(403)
    expect((await api(cookie, 'GET', `/api/projects/${project.id}/webhooks`)).status).toBe(200)
    expect((await t.app.request(`/api/projects/${project.id}/webhooks`)).status).toBe(401)
    expect((await api(cookie, 'GET', `/api/projects/prj_unknown/webhooks`)).status).toBe(404)
  })
})
