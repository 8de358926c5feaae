import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count } from 'drizzle-orm'
import { deploys, surges } from '../../worker/db/schema/index.js'
import { createApiToken } from '../../worker/domain/access/api-tokens.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { demoProject, DISTINCT_COMPLAINTS, report } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const MIN = 60_000
async function token(scopes: ('read' | 'write')[] = ['write']) {
  const project = await demoProject(t)
  return (await createApiToken(t.deps, { workspaceId: project.workspaceId, name: 'CI', scopes })).secret
}
const post = (body: unknown, auth?: string) =>
  t.app.request('/v1/deploys', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
const deployCount = async () => (await t.db.orm.select({ n: count() }).from(deploys).get())!.n

describe('POST /v1/deploys', () => {
  it('records a deploy marker from CI, and a later surge names it', async () => {
    const res = await post(
      { release: 'web@4.2.0', environment: 'production', url: 'https://ci.example.com/run/77' },
      await token(),
    )
    expect(res.status).toBe(201)
    const { deploy } = await res.json()
    expect(deploy).toMatchObject({
      release: 'web@4.2.0',
      environment: 'production',
      url: 'https://ci.example.com/run/77',
      project_id: t.seed.projectId,
    })
    expect(deploy.id).toMatch(/^dep_/)

    t.clock.advance(12 * MIN)
    for (let i = 0; i < 6; i++) {
      await report(t, 'Where did the pricing page go?', `p-${i}`, { release: 'web@4.2.0' })
      t.clock.advance(15_000)
    }
    const [surge] = await t.db.orm.select().from(surges).all()
    expect(surge).toMatchObject({ scope: 'cluster', deployId: deploy.id, deployRelease: 'web@4.2.0' })
    const minutes = Math.floor((surge!.startedAt - surge!.deployedAt!) / MIN)
    expect(minutes).toBeGreaterThanOrEqual(12)
    expect(minutes).toBeLessThanOrEqual(13)
    void DISTINCT_COMPLAINTS
  })

  it.each([
    ['no token', { release: 'x' }, undefined, 401, 'missing_token'],
    ['unknown token', { release: 'x' }, 'est_nope', 401, 'invalid_token'],
    ['public project key instead of a token', { release: 'x' }, 'PUBLIC_KEY', 401, 'invalid_token'],
    ['missing release', { environment: 'prod' }, 'TOKEN', 400, 'invalid_body'],
    ['bad url', { release: 'x', url: 'javascript:alert(1)' }, 'TOKEN', 400, 'invalid_body'],
    ['unknown project', { release: 'x', project: 'nope' }, 'TOKEN', 404, 'project_not_found'],
    ['malformed JSON', '{"release":', 'TOKEN', 400, 'invalid_json'],
  ] as const)('refuses %s and stores nothing', async (_name, body, auth, status, code) => {
    const secret = auth === 'TOKEN' ? await token() : auth === 'PUBLIC_KEY' ? t.key : auth
    const res = await post(body, secret)
    expect(res.status).toBe(status)
    expect((await res.json()).error.code).toBe(code)
    expect(await deployCount()).toBe(0)
  })

  it('needs the write scope', async () => {
    const res = await post({ release: 'x' }, await token(['read']))
    expect(res.status).toBe(403)
    expect(await deployCount()).toBe(0)
  })

  it('accepts the project by slug', async () => {
    const res = await post({ release: 'web@1', project: 'demo' }, await token())
    expect(res.status).toBe(201)
    expect(await deployCount()).toBe(1)
  })
})
