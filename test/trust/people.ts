import type { Role } from '../../worker/db/schema/index.js'
import { createResponder } from '../../worker/domain/access/auth.js'
import { createProject, createWorkspace } from '../../worker/domain/projects/projects.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/db.js'

export type Who = 'anonymous' | 'viewer' | 'support' | 'responder' | 'owner' | 'other_owner'
export const PEOPLE: Who[] = ['anonymous', 'viewer', 'support', 'responder', 'owner', 'other_owner']
export const PASSWORD = 'people-test-password-1'

/**
 * One signed-in person per role in the seeded workspace, plus the owner of a second workspace
 * (with its own project), each with a session cookie from the real sign-in route.
 */
export async function signInEveryone(t: TestApp) {
  const workspaceId = (
    await t.db.client.execute({ sql: 'SELECT workspace_id FROM projects WHERE id = ?', args: [t.seed.projectId] })
  ).rows[0]![0] as string
  const other = await t.db.write(async (tx) => {
    const ws = await createWorkspace(tx, t.deps, 'Elsewhere Inc')
    const project = await createProject(tx, t.deps, {
      workspaceId: ws.id,
      name: 'Elsewhere',
      slug: 'elsewhere',
      allowedOrigins: [],
    })
    await createResponder(tx, t.deps, {
      email: 'owner@elsewhere.example',
      password: PASSWORD,
      workspaceId: ws.id,
      role: 'owner',
    })
    return { workspaceId: ws.id, projectId: project.id, publicKey: project.publicKey }
  })
  for (const role of ['viewer', 'support', 'responder'] as Role[]) {
    await t.db.write((tx) =>
      createResponder(tx, t.deps, { email: `${role}@example.com`, password: PASSWORD, workspaceId, role }),
    )
  }
  const signIn = async (email: string, password: string) => {
    const res = await t.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    if (res.status !== 200) throw new Error(`sign-in ${email}: ${res.status} ${await res.text()}`)
    return res.headers.get('set-cookie')!.split(';')[0]!
  }
  const cookies: Record<Who, string | undefined> = {
    anonymous: undefined,
    viewer: await signIn('viewer@example.com', PASSWORD),
    support: await signIn('support@example.com', PASSWORD),
    responder: await signIn('responder@example.com', PASSWORD),
    owner: await signIn(ADMIN_EMAIL, ADMIN_PASSWORD),
    other_owner: await signIn('owner@elsewhere.example', PASSWORD),
  }
  return { workspaceId, other, cookies }
}
