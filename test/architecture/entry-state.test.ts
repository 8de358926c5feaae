// One Deps per entry, and nothing an entry remembers lives outside it (issue 12): two apps on two
// databases in one process share no state, and each app works on the very Deps it was given.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canSendEmail, configureOutbox } from '../../worker/domain/notifications/index.js'
import { findProjectByKey } from '../../worker/domain/projects/projects.js'
import { cachedStatus, statusChanged } from '../../worker/domain/incidents/cache.js'
import { runBackgroundJobs } from '../../worker/jobs.js'
import { createTestApp, type TestApp } from '../support/db.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Every field of Deps that holds what an entry remembers between requests. */
const STATE = [
  'jobRuns',
  'healthProbe',
  'projectByKeyQuery',
  'outbox',
  'surgePrune',
  'statusCache',
  'statusHosts',
] as const

let a: TestApp
let b: TestApp
beforeAll(async () => {
  a = await createTestApp()
  b = await createTestApp()
})
afterAll(() => {
  a?.close()
  b?.close()
})

describe('two apps on two databases in one process', () => {
  it('each have their own state objects, built by createDeps', () => {
    for (const field of STATE) {
      expect(a.deps[field], field).toBeDefined()
      expect(a.deps[field], field).not.toBe(b.deps[field])
    }
  })

  it('share no memory: health probe, outbox transport, status cache, job runs, project-key query', async () => {
    // /health goes through the app to the Deps it was given (not a copy built inside createApp).
    expect((await a.app.request('/health')).status).toBe(200)
    expect(a.deps.healthProbe.writable).toBe(true)
    expect(b.deps.healthProbe.writable).toBeUndefined()

    configureOutbox(a.deps, { sendEmail: async () => {} })
    expect(canSendEmail(a.deps)).toBe(true)
    expect(canSendEmail(b.deps)).toBe(false)

    let loads = 0
    const load = async () => ++loads
    expect(await cachedStatus(a.deps, 'k', load)).toBe(1)
    expect(await cachedStatus(b.deps, 'k', load)).toBe(2) // b's cache does not hold a's answer
    expect(await cachedStatus(a.deps, 'k', load)).toBe(1)
    statusChanged(b.deps) // a write in b drops b's answers only
    expect(await cachedStatus(a.deps, 'k', load)).toBe(1)
    expect(await cachedStatus(b.deps, 'k', load)).toBe(3)

    await runBackgroundJobs(a.deps, (m) => expect.fail(m))
    expect(a.deps.jobRuns.size).toBeGreaterThan(0)
    expect(a.deps.surgePrune.at).toBe(a.clock.now())
    expect(b.deps.jobRuns.size).toBe(0)
    expect(b.deps.surgePrune.at).toBe(0)

    // Each app's prepared project query reads its own database.
    expect((await findProjectByKey(a.deps, a.key))?.publicKey).toBe(a.key)
    expect(await findProjectByKey(a.deps, b.key)).toBeUndefined()
    expect((await findProjectByKey(b.deps, b.key))?.publicKey).toBe(b.key)
  })
})

describe('module-level state', () => {
  // Only the driver-handle registries are keyed by an object on purpose (per connection, not per entry).
  const ALLOWED = new Set(['worker/db/statement-cache.ts', 'worker/db/raw-sql.ts'])
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name)
      return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : []
    })

  it('no WeakMap keyed by the database (or anything else) outside the driver-handle registries', () => {
    const offenders = files(join(ROOT, 'worker'))
      .map((f) => relative(ROOT, f))
      .filter((f) => !ALLOWED.has(f) && /new WeakMap\b/.test(readFileSync(join(ROOT, f), 'utf8')))
    expect(offenders).toEqual([])
  })
})
