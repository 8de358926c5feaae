// `npm run db:migrate` against a libSQL server (sqld, what Turso runs), as the Workers deployment
// steps in the README use it: migrations, then the first project and its owner, idempotently.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSqld, type Sqld } from '../support/sqld.js'
import { ROOT } from '../workers/build-output.js'

let sqld: Sqld
beforeAll(async () => {
  sqld = await startSqld()
})
afterAll(() => sqld?.close())

const dbMigrate = (env: Record<string, string | undefined>) =>
  promisify(execFile)('node', ['--import', 'tsx', 'scripts/db-migrate.ts'], {
    cwd: ROOT,
    env: { ...process.env, LIBSQL_URL: '', LIBSQL_AUTH_TOKEN: '', TURSO_DATABASE_URL: sqld.url, ...env },
  })

describe('npm run db:migrate on a libSQL server', () => {
  it('refuses to run with a token the server does not accept, without printing it', async () => {
    const failed = await dbMigrate({ TURSO_AUTH_TOKEN: 'not-a-valid-token' }).catch((e) => e)
    expect(failed.code).toBe(1)
    expect(failed.stderr).toContain(`db:migrate failed on ${sqld.url}`)
    expect(failed.stdout + failed.stderr).not.toContain('not-a-valid-token')
    expect(await sqld.query("SELECT count(*) AS n FROM sqlite_master WHERE name = 'reports'")).toEqual([{ n: 0 }])
  })

  it('applies every migration and creates the first project once', async () => {
    const env = {
      TURSO_AUTH_TOKEN: sqld.authToken,
      EARSHOT_ADMIN_EMAIL: 'owner@acme.test',
      EARSHOT_PROJECT_SLUG: 'acme',
      EARSHOT_ALLOWED_ORIGINS: 'https://acme.test',
    }
    const first = await dbMigrate(env)
    const applied = Number(first.stdout.match(/applied (\d+) migration\(s\)/)?.[1])
    expect(applied).toBeGreaterThan(0)
    const key = first.stdout.match(/Created the project \(public key (pk_\w+)\)/)?.[1]
    expect(key).toBeDefined()
    expect(await sqld.query("SELECT public_key, allowed_origins FROM projects WHERE slug = 'acme'")).toEqual([
      { public_key: key, allowed_origins: expect.stringContaining('https://acme.test') },
    ])

    const again = await dbMigrate(env)
    expect(again.stdout).toContain(`applied 0 migration(s); ${applied} in total.`)
    expect(again.stdout).toContain(`The project already exists (public key ${key}); nothing created.`)
    expect(await sqld.query('SELECT count(*) AS n FROM projects')).toEqual([{ n: 1 }])
  })
})
