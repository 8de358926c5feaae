// Issue 11, item 2: an invitation link was an unlimited password oracle for any account (and told
// known e-mails from unknown ones). Tried as an attacker would: anyone signed in can create a
// workspace and mint invitation links to it, so the attacker always holds a valid token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { invitations, responders } from '../../worker/db/schema/index.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, createTestApp, type TestApp } from '../support/db.js'
import { addMember, client, signIn, type Client } from '../dashboard/helpers.js'

let t: TestApp
let owner: Client
let ws: string
beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
  ws = (await owner.json('GET', '/api/me')).body.workspaces[0].id
})
afterEach(() => t.close())

/** POST accept as a browser would send it, with or without a session cookie. */
async function accept(token: string, body: unknown, cookie?: string) {
  const res = await t.app.request(`/api/invitations/by-token/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined, cookie: res.headers.get('set-cookie') }
}

const signInRaw = (email: string, password: string) =>
  t.app.request('/api/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })

/** A viewer of Acme makes a workspace of their own and an open invitation link to it. */
async function attackerWithLink() {
  const attacker = await addMember(t, 'mallory@acme.test', 'viewer')
  const evil = (await attacker.json('POST', '/api/workspaces', { name: 'Evil Corp' })).body.workspace.id as string
  const inv = await attacker.json('POST', `/api/workspaces/${evil}/invitations`, { role: 'owner' })
  return { attacker, evil, token: String(inv.body.url).split('/').pop()! }
}

const tokenOf = (res: { body: { url: string } }) => String(res.body.url).split('/').pop()!

describe('an invitation link is not a way into existing accounts', () => {
  it('never signs anyone in as an existing account, whatever password is sent, and the link stays unused', async () => {
    const { evil, token } = await attackerWithLink()
    const victimId = (await owner.json('GET', '/api/me')).body.id
    for (const password of ['password123', 'Winter2026!', ADMIN_PASSWORD]) {
      const res = await accept(token, { email: ADMIN_EMAIL, password, name: 'x' })
      expect(res.cookie).toBeNull()
      expect(res.status).toBe(202)
    }
    // The victim's own sign-in still gives their own account, and it never joined Evil Corp.
    const me = (await owner.json('GET', '/api/me')).body
    expect(me.id).toBe(victimId)
    expect(me.workspaces.map((w: any) => w.id)).not.toContain(evil)
    const again = await signIn(t)
    expect((await again.json('GET', '/api/me')).body.workspaces.map((w: any) => w.id)).toEqual([ws])
    // The link was not used up by the attempts.
    expect((await t.app.request(`/api/invitations/by-token/${token}`)).status).toBe(200)
  })

  it('answers the same for an e-mail with an account and one without, weak password or strong', async () => {
    const { token } = await attackerWithLink()
    const answers = async (password: string) => {
      const known = await accept(token, { email: ADMIN_EMAIL, password })
      const unknown = await accept(token, { email: 'nobody-here@example.com', password })
      return { known, unknown }
    }
    const weak = await answers('guess')
    expect(weak.known).toEqual(weak.unknown)
    expect(weak.known.body.error.code).toBe('weak_password')
    const strong = await answers('a long enough guess')
    expect(strong.known).toEqual(strong.unknown)
    expect(strong.known.status).toBe(202)
    // Nothing was created for either e-mail by accepting.
    expect((await t.db.orm.select().from(responders).all()).map((r) => r.email).sort()).toEqual([
      ADMIN_EMAIL,
      'mallory@acme.test',
    ])
  })

  it('refuses a password from a signed-in caller: an existing account joins with its session only', async () => {
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'responder' })
    const person = await addMember(t, 'sam@elsewhere.test', 'viewer', (await createSideWorkspace()).id)
    const withPassword = await accept(tokenOf(inv), { password: 'long enough password' }, person.auth.cookie)
    expect([withPassword.status, withPassword.body.error.code]).toEqual([400, 'invalid_body'])
    const joined = await accept(tokenOf(inv), {}, person.auth.cookie)
    expect(joined.status).toBe(200)
    expect(joined.body).toMatchObject({ workspace_id: ws, role: 'responder' })
    expect(joined.cookie).toBeNull() // the session it came with is the session it keeps
    const me = (await person.json('GET', '/api/me')).body
    expect(me.workspaces.find((w: any) => w.id === ws)?.role).toBe('responder')
    // Used once: the same person again is told it worked; anyone else finds the link used.
    expect((await accept(tokenOf(inv), {}, person.auth.cookie)).status).toBe(200)
    const late = await addMember(t, 'late@elsewhere.test', 'viewer', (await createSideWorkspace()).id)
    expect((await accept(tokenOf(inv), {}, late.auth.cookie)).body.error.code).toBe('invitation_invalid')
  })

  it('keeps an invitation for one e-mail to the account with that e-mail', async () => {
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, {
      email: 'pat@partner.test',
      role: 'viewer',
    })
    const side = await createSideWorkspace()
    const wrong = await addMember(t, 'someone-else@partner.test', 'viewer', side.id)
    const refused = await accept(tokenOf(inv), {}, wrong.auth.cookie)
    expect([refused.status, refused.body.error.code]).toEqual([403, 'invitation_for_another_email'])
    const pat = await addMember(t, 'Pat@Partner.test', 'viewer', side.id)
    expect((await accept(tokenOf(inv), {}, pat.auth.cookie)).status).toBe(200)
    // Signed out, the invitation's e-mail is the only one an account can be asked for.
    const inv2 = await owner.json('POST', `/api/workspaces/${ws}/invitations`, {
      email: 'new@partner.test',
      role: 'viewer',
    })
    expect((await accept(tokenOf(inv2), { email: 'attacker@evil.test', password: 'a long new password' })).status).toBe(
      202,
    )
    expect((await signInRaw('attacker@evil.test', 'a long new password')).status).toBe(401)
    expect((await signInRaw('new@partner.test', 'a long new password')).status).toBe(200)
  })
})

describe('a new person joins through the link and the normal sign-in', () => {
  it('asks for an account, creates it at sign-in with the role, and the link works once', async () => {
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, {
      email: 'new@acme.test',
      role: 'support',
    })
    const token = tokenOf(inv)
    expect(await (await t.app.request(`/api/invitations/by-token/${token}`)).json()).toMatchObject({
      workspace_name: 'Acme',
      role: 'support',
      email: 'new@acme.test',
    })
    const weak = await accept(token, { password: 'short' })
    expect([weak.status, weak.body.error.code]).toEqual([400, 'weak_password'])
    const claimed = await accept(token, { name: 'Nia', password: 'a long new password' })
    expect([claimed.status, claimed.body]).toEqual([202, { next: 'sign_in' }])
    // No account exists until the person signs in with what they chose.
    expect((await t.db.orm.select().from(responders).all()).some((r) => r.email === 'new@acme.test')).toBe(false)
    expect((await signInRaw('new@acme.test', 'not the chosen one')).status).toBe(401)
    const res = await signInRaw('new@acme.test', 'a long new password')
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ email: 'new@acme.test', name: 'Nia' })
    const invitee = client(t, { cookie: res.headers.get('set-cookie')!.split(';')[0]! })
    expect((await invitee.json('GET', '/api/me')).body.workspaces.map((w: any) => [w.id, w.role])).toEqual([
      [ws, 'support'],
    ])
    // The claim is gone with the invitation: no password hash is left behind on it.
    const row = (await t.db.orm.select().from(invitations).all()).find((i) => i.email === 'new@acme.test')!
    expect(row).toMatchObject({
      claimEmail: null,
      claimPasswordHash: null,
      acceptedById: expect.stringMatching(/^usr_/),
    })
    expect((await t.app.request(`/api/invitations/by-token/${token}`)).status).toBe(404)
    expect((await accept(token, { password: 'a long new password' })).status).toBe(404)
    // The signed-in follow-up the dashboard makes is answered with the workspace.
    expect((await accept(token, {}, invitee.auth.cookie)).body).toMatchObject({ workspace_id: ws, role: 'support' })
    const members = (await owner.json('GET', `/api/workspaces/${ws}/members`)).body.members
    expect(members.map((m: any) => [m.email, m.role])).toEqual([
      [ADMIN_EMAIL, 'owner'],
      ['new@acme.test', 'support'],
    ])
  })

  it('does not let a claim on an expired or revoked invitation create an account', async () => {
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'viewer' })
    expect((await accept(tokenOf(inv), { email: 'later@acme.test', password: 'a long new password' })).status).toBe(202)
    expect((await owner.del(`/api/invitations/${inv.body.invitation.id}`)).status).toBe(204)
    expect((await signInRaw('later@acme.test', 'a long new password')).status).toBe(401)
  })
})

describe('accepting is rate-limited like sign-in', () => {
  it('counts accept attempts in the sign-in budgets, per e-mail and per address', async () => {
    t.close()
    t = await createTestApp({ config: { rateLimits: { loginsPerAddressPer15Min: 6, loginsPerEmailPer15Min: 3 } } })
    owner = await signIn(t) // attempt 1 from this address (every caller shares the test's one address)
    ws = (await owner.json('GET', '/api/me')).body.workspaces[0].id
    const inv = await owner.json('POST', `/api/workspaces/${ws}/invitations`, { role: 'viewer' })
    const token = tokenOf(inv)
    const statuses = []
    for (let i = 0; i < 4; i++)
      statuses.push((await accept(token, { email: 'target@example.com', password: `guess number ${i}` })).status)
    expect(statuses).toEqual([202, 202, 202, 429])
    // The same e-mail's sign-in budget is the one those attempts used up.
    const login = await signInRaw('target@example.com', 'guess number 0')
    expect(login.status).toBe(429)
    expect(login.headers.get('retry-after')).toMatch(/^\d+$/)
    // And the address budget is shared too: 1 sign-in + 4 accepts + 1 sign-in = 6; the next is refused.
    expect((await accept(token, { email: 'another@example.com', password: 'a long new password' })).status).toBe(429)
    t.clock.advance(15 * 60_000)
    expect((await accept(token, { email: 'another@example.com', password: 'a long new password' })).status).toBe(202)
  })
})

async function createSideWorkspace() {
  const { createWorkspace } = await import('../../worker/domain/projects/projects.js')
  return t.db.write((tx) => createWorkspace(tx, t.deps, `Side ${Math.random().toString(36).slice(2, 8)}`))
}
