// Project writes through the dashboard API (routes/api/projects.ts → domain/projects/projects.ts addProject,
// changeProject, rotateProjectKey): each is one domain call that writes in one transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { listProjects } from '../../worker/domain/projects/projects.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { type Client, signIn } from './helpers.js'

let t: TestApp
let owner: Client
let ws: string
beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
  ws = (await owner.json('GET', '/api/me')).body.workspaces[0].id
})
afterEach(() => t.close())

describe('projects', () => {
  it('refuses a taken slug with 409 slug_taken and stores nothing', async () => {
    const before = (await listProjects(t.db.orm, ws)).length
    const taken = await owner.json('POST', `/api/workspaces/${ws}/projects`, { name: 'Again', slug: 'demo' })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('slug_taken')
    expect((await listProjects(t.db.orm, ws)).length).toBe(before)
    const made = await owner.json('POST', `/api/workspaces/${ws}/projects`, {
      name: 'Docs',
      slug: 'docs',
      allowed_origins: ['https://docs.example.com/page?x=1'],
    })
    expect(made.status).toBe(201)
    expect(made.body.project).toMatchObject({ slug: 'docs', allowed_origins: ['https://docs.example.com'] })
    expect((await listProjects(t.db.orm, ws)).length).toBe(before + 1)
  })

  it('merges settings shallowly, drops retention_days on null, and answers the project as stored', async () => {
    const id = t.seed.projectId
    const first = await owner.json('PATCH', `/api/projects/${id}`, {
      name: 'Renamed',
      settings: { retention_days: 30, surge: { windowMinutes: 7 } },
    })
    expect(first.status).toBe(200)
    expect(first.body.project.name).toBe('Renamed')
    expect(first.body.project.settings).toMatchObject({ retention_days: 30, surge: { windowMinutes: 7 } })
    const second = await owner.json('PATCH', `/api/projects/${id}`, { settings: { retention_days: null } })
    expect(second.body.project.settings.surge).toEqual({ windowMinutes: 7 })
    expect('retention_days' in second.body.project.settings).toBe(false)
    expect((await owner.json('GET', `/api/projects/${id}`)).body.project).toEqual(second.body.project)
  })

  it('rotates the public key: the answer carries the new key and the old one stops working', async () => {
    const old = t.key
    const rotated = await owner.json('POST', `/api/projects/${t.seed.projectId}/rotate-key`, {})
    expect(rotated.status).toBe(200)
    const fresh = rotated.body.project.public_key
    expect(fresh).not.toBe(old)
    const send = (key: string) =>
      t.app.request('/v1/incidents', { headers: { 'x-earshot-key': key, origin: 'https://shop.example.com' } })
    expect((await send(old)).status).toBe(401)
    expect((await send(fresh)).status).toBe(200)
  })
})
