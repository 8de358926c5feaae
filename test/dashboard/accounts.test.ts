import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiTokens, reports } from '../../worker/db/schema/index.js'
import { authenticateApiToken } from '../../worker/domain/access/api-tokens.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'
import { addMember, client, otherWorkspace, report, signIn, type Client } from './helpers.js'

let t: TestApp
let owner: Client
let ws: string
beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
  ws = (await owner.json('GET', '/api/me')).body.workspaces[0].id
})
afterEach(() => t.close())

describe('API tokens', () => {
  it('are shown once, stored hashed, and work as Bearer on /api within their scope', async () => {
    const created = await owner.json('POST', `/api/workspaces/${ws}/tokens`, { name: 'CI', scopes: ['read'] })
    expect(created.status).toBe(201)
    const secret: string = created.body.secret
    expect(secret).toMatch(/^est_/)
    const rows = await t.db.orm.select().from(apiTokens).all()
    expect(JSON.stringify(rows)).not.toContain(secret)
    const listed = await owner.json('GET', `/api/workspaces/${ws}/tokens`)
    expect(JSON.stringify(listed.body)).not.toContain(secret)
    expect(listed.body.tokens[0]).toMatchObject({ name: 'CI', scopes: ['read'] })

    const r = await report(t, 'Slow dashboard')
    const bot = client(t, { bearer: secret })
    expect((await bot.get('/api/clusters')).status).toBe(200)
    const write = await bot.json('POST', `/api/clusters/${r.cluster_id}/status`, { status: 'muted' })
    expect([write.status, write.body.error.code]).toEqual([403, 'insufficient_scope'])
    expect(await authenticateApiToken(t.db, secret)).toMatchObject({ workspaceId: ws, scopes: ['read'] })
    expect(await authenticateApiToken(t.db, 'est_not-a-token')).toBeUndefined()

    expect((await owner.del(`/api/tokens/${created.body.token.id}`)).status).toBe(204)
    expect((await bot.get('/api/clusters')).status).toBe(401)
    expect(await authenticateApiToken(t.db, secret)).toBeUndefined()
  })

  it('lets a help desk forward tickets into the same intake (source api), idempotent per ticket', async () => {
    const { body } = await owner.json('POST', `/api/workspaces/${ws}/tokens`, {
      name: 'Zendesk',
      scopes: ['read', 'write'],
    })
    const desk = client(t, { bearer: body.secret })
    const ticket = {
      message: 'Customer says the fonts look different',
      channel: 'email',
      customer_email: 'ann@customer.test',
      external_id: 'ZD-1042',
    }
    const first = await desk.json('POST', `/api/projects/${t.seed.projectId}/reports`, ticket)
    expect(first.status).toBe(201)
    const again = await desk.json('POST', `/api/projects/${t.seed.projectId}/reports`, ticket)
    expect([again.status, again.body.id]).toEqual([200, first.body.id])
    const stored = (await t.db.orm.select().from(reports).all()).find((r) => r.id === first.body.id)!
    expect(stored).toMatchObject({ source: 'api', channel: 'email', email: 'ann@customer.test' })
    // tokens cannot mint tokens or invite people
    expect((await desk.json('POST', `/api/workspaces/${ws}/tokens`, { name: 'x', scopes: ['read'] })).status).toBe(403)
    expect((await desk.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'owner' })).status).toBe(403)
  })

  it('cannot be used on another workspace', async () => {
    const other = await otherWorkspace(t)
    const { body } = await owner.json('POST', `/api/workspaces/${ws}/tokens`, { name: 'CI', scopes: ['read', 'write'] })
    const bot = client(t, { bearer: body.secret })
    expect((await bot.get(`/api/clusters/${other.report.cluster_id}`)).status).toBe(404)
    expect(
      (await bot.json('POST', `/api/projects/${other.project.id}/reports`, { message: 'x', channel: 'email' })).status,
    ).toBe(404)
  })
})

describe('support adds reports for customers', () => {
  it('clusters them with widget reports and shows where they came from', async () => {
    const widget = await report(t, 'The fonts look different')
    const support = await addMember(t, 'support@acme.test', 'support')
    t.clock.advance(1000)
    const res = await support.json('POST', `/api/projects/${t.seed.projectId}/reports`, {
      message: 'The fonts look different',
      channel: 'phone',
      customer_contact: '+44 20 7946 0000',
    })
    expect(res.status).toBe(201)
    // Stored at once; the answer promises no cluster, the pipeline puts it with the widget's report.
    expect(res.body).toEqual({ id: expect.stringMatching(/^rep_/) })
    expect(await clusterOf(t.deps, res.body.id)).toBe(widget.cluster_id)
    const page = await support.json('GET', `/api/clusters/${widget.cluster_id}`)
    expect(page.body.cluster).toMatchObject({ report_count: 2 })
    expect(page.body.reports[0]).toMatchObject({ source: 'support', channel: 'phone' })
    expect(page.body.reports[0].context.customer_contact).toBe('+44 20 7946 0000')
    expect(page.body.breakdowns.source.map((b: any) => b.value).sort()).toEqual(['support · phone', 'widget'])
    const bad = await support.json('POST', `/api/projects/${t.seed.projectId}/reports`, { message: '', channel: 'fax' })
    expect(bad.status).toBe(400)
  })
})

describe('members and invitations', () => {
  it('invites by link: the invitee gets an account, signs in, joins with the role; the link works once', async () => {
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, {
      email: 'new@acme.test',
      role: 'support',
    })
    expect(inv.status).toBe(201)
    const token = inv.body.url.split('/').pop()
    const info = await t.app.request(`/api/invitations/by-token/${token}`)
    expect(await info.json()).toMatchObject({ workspace_name: 'Acme', role: 'support', email: 'new@acme.test' })
    const post = (body: unknown) =>
      t.app.request(`/api/invitations/by-token/${token}/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    expect((await post({ password: 'short' })).status).toBe(400)
    t.clock.advance(1000)
    const claim = await post({ name: 'Nia', password: 'a long new password' })
    expect(claim.status).toBe(202)
    expect(claim.headers.get('set-cookie')).toBeNull()
    const invitee = await signIn(t, 'new@acme.test', 'a long new password')
    expect((await invitee.json('GET', '/api/me')).body.workspaces[0].role).toBe('support')
    expect((await post({ password: 'a long new password' })).status).toBe(404)
    const members = (await owner.json('GET', `/api/workspaces/${ws}/members`)).body.members
    expect(members.map((m: any) => [m.email, m.role])).toEqual([
      [ADMIN_EMAIL, 'owner'],
      ['new@acme.test', 'support'],
    ])
  })

  it('lets owners change roles and remove members, but never the last owner; others cannot', async () => {
    const responder = await addMember(t, 'resp@acme.test', 'responder')
    const rid = (await responder.json('GET', '/api/me')).body.id
    const oid = (await owner.json('GET', '/api/me')).body.id
    expect((await responder.json('PATCH', `/api/workspaces/${ws}/members/${oid}`, { role: 'viewer' })).status).toBe(403)
    expect((await responder.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'owner' })).status).toBe(403)
    expect(
      (await owner.json('PATCH', `/api/workspaces/${ws}/members/${oid}`, { role: 'viewer' })).body.error.code,
    ).toBe('last_owner')
    expect((await owner.patch(`/api/workspaces/${ws}/members/${rid}`, { role: 'viewer' })).status).toBe(204)
    expect((await responder.json('GET', '/api/me')).body.workspaces[0].role).toBe('viewer')
    expect((await owner.del(`/api/workspaces/${ws}/members/${rid}`)).status).toBe(204)
    expect((await responder.json('GET', '/api/clusters')).body.clusters).toEqual([])
  })
})

describe('a workspace always keeps an owner (issue 11, item 16)', () => {
  const ownersOf = async (workspaceId: string) =>
    (await owner.json('GET', `/api/workspaces/${workspaceId}/members`)).body.members
      .filter((m: any) => m.role === 'owner')
      .map((m: any) => m.email)
  const acceptAs = (who: Client, url: string) =>
    who.json('POST', `/api/invitations/by-token/${url.split('/').pop()}/accept`, {})

  it('does not demote the last owner who accepts a lower-role invitation to their own workspace', async () => {
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'viewer' })
    const res = await acceptAs(owner, inv.body.url)
    expect([res.status, res.body]).toEqual([200, { workspace_id: ws, role: 'owner' }])
    expect(await ownersOf(ws)).toEqual([ADMIN_EMAIL])
    expect((await owner.json('GET', '/api/me')).body.workspaces[0].role).toBe('owner')
  })

  it('lets an invitation raise a role but never lower it, for any owner', async () => {
    const second = await addMember(t, 'second@acme.test', 'owner')
    const viewerInv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'viewer' })
    expect((await acceptAs(second, viewerInv.body.url)).body.role).toBe('owner')
    const support = await addMember(t, 'support@acme.test', 'support')
    const responderInv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'responder' })
    expect((await acceptAs(support, responderInv.body.url)).body.role).toBe('responder')
    expect((await ownersOf(ws)).sort()).toEqual([ADMIN_EMAIL, 'second@acme.test'])
  })

  it('refuses demoting, removing or leaving as the last owner, and allows each once another owner exists', async () => {
    const oid = (await owner.json('GET', '/api/me')).body.id
    expect(
      (await owner.json('PATCH', `/api/workspaces/${ws}/members/${oid}`, { role: 'responder' })).body.error.code,
    ).toBe('last_owner')
    expect((await owner.json('DELETE', `/api/workspaces/${ws}/members/${oid}`)).body.error.code).toBe('last_owner')
    const leave = await owner.json('POST', `/api/workspaces/${ws}/leave`, {})
    expect([leave.status, leave.body.error.code]).toEqual([409, 'last_owner'])
    expect(await ownersOf(ws)).toEqual([ADMIN_EMAIL])

    // A viewer may leave; then they see nothing of the workspace.
    const viewer = await addMember(t, 'viewer@acme.test', 'viewer')
    expect((await viewer.post(`/api/workspaces/${ws}/leave`, {})).status).toBe(204)
    expect((await viewer.json('GET', '/api/me')).body.workspaces).toEqual([])
    expect((await viewer.post(`/api/workspaces/${ws}/leave`, {})).status).toBe(404)

    // With a second owner, the first may step down or leave.
    const second = await addMember(t, 'second@acme.test', 'owner')
    const sid = (await second.json('GET', '/api/me')).body.id
    expect((await owner.patch(`/api/workspaces/${ws}/members/${oid}`, { role: 'responder' })).status).toBe(204)
    // …and now the second is the last owner: they cannot demote themselves.
    expect(
      (await second.json('PATCH', `/api/workspaces/${ws}/members/${sid}`, { role: 'viewer' })).body.error.code,
    ).toBe('last_owner')
    expect(await ownersOf(ws)).toEqual(['second@acme.test'])
  })

  it('keeps one owner when two owners demote each other at the same moment', async () => {
    const second = await addMember(t, 'second@acme.test', 'owner')
    const oid = (await owner.json('GET', '/api/me')).body.id
    const sid = (await second.json('GET', '/api/me')).body.id
    const [a, b] = await Promise.all([
      owner.patch(`/api/workspaces/${ws}/members/${sid}`, { role: 'viewer' }),
      second.patch(`/api/workspaces/${ws}/members/${oid}`, { role: 'viewer' }),
    ])
    // The loser is either refused as the last owner (409) or, if the winner's demotion of it
    // committed first, no longer an owner at all (403): both keep exactly one owner.
    const [won, lost] = [a.status, b.status].sort()
    expect(won).toBe(204)
    expect([403, 409]).toContain(lost)
    const owners = (
      await t.db.client.execute({
        sql: "SELECT count(*) AS n FROM memberships WHERE workspace_id = ? AND role = 'owner'",
        args: [ws],
      })
    ).rows[0]!.n
    expect(Number(owners)).toBe(1)
  })
})

describe('workspaces', () => {
  it('lets anyone signed in create a workspace they own, isolated from the others', async () => {
    const viewer = await addMember(t, 'viewer@acme.test', 'viewer')
    const created = await viewer.json('POST', '/api/workspaces', { name: 'Side project' })
    expect(created.status).toBe(201)
    const me = (await viewer.json('GET', '/api/me')).body
    expect(me.workspaces.map((w: any) => [w.name, w.role]).sort()).toEqual([
      ['Acme', 'viewer'],
      ['Side project', 'owner'],
    ])
    expect((await owner.get(`/api/workspaces/${created.body.workspace.id}/members`)).status).toBe(404)
    expect((await viewer.json('POST', '/api/workspaces', { name: '' })).status).toBe(400)
  })
})

describe('sessions and passwords', () => {
  it('changes the password, ending other sessions but not this one', async () => {
    const laptop = await signIn(t)
    const wrong = await owner.json('POST', '/api/me/password', {
      current_password: 'nope',
      new_password: 'a brand new password',
    })
    expect(wrong.body.error.code).toBe('wrong_password')
    expect(
      (await owner.post('/api/me/password', { current_password: ADMIN_PASSWORD, new_password: 'a brand new password' }))
        .status,
    ).toBe(204)
    expect((await owner.get('/api/me')).status).toBe(200)
    expect((await laptop.get('/api/me')).status).toBe(401)
    await expect(signIn(t)).rejects.toThrow()
    await signIn(t, ADMIN_EMAIL, 'a brand new password')
  })

  it('signs out everywhere, and sessions expire', async () => {
    const laptop = await signIn(t)
    expect((await owner.post('/api/me/sessions/revoke')).status).toBe(204)
    expect((await owner.get('/api/me')).status).toBe(401)
    expect((await laptop.get('/api/me')).status).toBe(401)
    const fresh = await signIn(t)
    t.clock.advance(t.deps.config.sessionTtlMs + 1000)
    expect((await fresh.get('/api/me')).status).toBe(401)
  })
})

describe('projects', () => {
  it('creates projects, sets origins and settings, rotates the key (old key stops working)', async () => {
    const created = await owner.json('POST', `/api/workspaces/${ws}/projects`, {
      name: 'Mobile web',
      slug: 'mobile',
      allowed_origins: ['https://m.example.com'],
    })
    expect(created.status).toBe(201)
    expect((await owner.json('POST', `/api/workspaces/${ws}/projects`, { name: 'Again', slug: 'mobile' })).status).toBe(
      409,
    )
    expect((await owner.json('POST', `/api/workspaces/${ws}/projects`, { name: 'Bad', slug: 'Bad Slug' })).status).toBe(
      400,
    )
    const id = t.seed.projectId
    const patched = await owner.json('PATCH', `/api/projects/${id}`, {
      allowed_origins: ['https://shop.example.com', 'https://new.example.com/'],
      settings: { retention_days: 30, surge: { windowMinutes: 10 } },
    })
    expect(patched.body.project.allowed_origins).toEqual(['https://shop.example.com', 'https://new.example.com'])
    expect(patched.body.project.settings).toMatchObject({ retention_days: 30, surge: { windowMinutes: 10 } })
    expect(
      (await owner.json('PATCH', `/api/projects/${id}`, { allowed_origins: ['javascript:alert(1)'] })).status,
    ).toBe(400)
    const kept = await owner.json('PATCH', `/api/projects/${id}`, { settings: { retention_days: null } })
    expect(kept.body.project.settings).toEqual({ surge: { windowMinutes: 10 } })
    const oldKey = t.key
    const rotated = await owner.json('POST', `/api/projects/${id}/rotate-key`, {})
    expect(rotated.body.project.public_key).not.toBe(oldKey)
    await expect(report(t, 'old key', {}, oldKey)).rejects.toThrow(/401/)
    await report(t, 'new key', {}, rotated.body.project.public_key)
    const responder = await addMember(t, 'resp@acme.test', 'responder')
    expect((await responder.json('PATCH', `/api/projects/${id}`, { name: 'x' })).status).toBe(403)
    expect((await responder.json('POST', `/api/projects/${id}/rotate-key`, {})).status).toBe(403)
  })
})
