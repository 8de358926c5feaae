import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { openNodeClient } from '../../worker/db/node-client.js'
import { freePort } from '../../scripts/lib/free-port.js'
import { REPO, spawnNodeEntry, type NodeEntryProcess } from '../../scripts/lib/node-entry.js'

// Two processes writing one embedded libSQL file lose acknowledged writes (issue 11, item 4), so
// every opener of a file takes an OS lock on it. Real child processes here: the Node entry under
// load, and a second `npm start`, `npm run db:migrate` and `npm run cluster -- --db` on its file.

const dir = mkdtempSync(join(tmpdir(), 'earshot-single-writer-'))
const file = join(dir, 'earshot.db')
const children: NodeEntryProcess[] = []
afterAll(() => {
  for (const p of children) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const env = { EARSHOT_ENV: 'test', EARSHOT_ADMIN_PASSWORD: 'single-writer-password' }
const start = async () => {
  const p = spawnNodeEntry({ port: await freePort(), file, env })
  children.push(p)
  return p
}
/** Whichever comes first: the server listening, or the process exiting. */
const outcome = (p: NodeEntryProcess) => Promise.race([p.ready.then(() => 'listening' as const), p.exited])
const run = (args: string[], extraEnv: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO,
    env: { ...process.env, ...extraEnv },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )

describe('one writer process per embedded database file', () => {
  it('refuses a second server, db:migrate, a CLI on the live file; loses nothing the first acknowledged', async () => {
    const first = await start()
    const key = await first.ready
    const base = first.stdout().match(/running on (http:\/\/\S+)/)![1]!

    // Reports keep arriving at the first server the whole time, as they would in production.
    const acked = new Map<string, string>()
    let stop = false
    let seq = 0
    const client = async (n: number) => {
      while (!stop) {
        const idem = `single-writer-${n}-${seq++}`
        for (;;) {
          const res = await fetch(`${base}/v1/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-earshot-key': key, 'idempotency-key': idem },
            body: JSON.stringify({ message: `Checkout is broken (${idem})`, reporter_id: `r${n}` }),
          }).catch(() => undefined)
          if (res?.status === 202) {
            acked.set(idem, ((await res.json()) as { id: string }).id)
            break
          }
          // Like the widget: keep it and retry on a network error or 5xx; anything else is a bug here.
          if (res && res.status < 500) throw new Error(`unexpected ${res.status}: ${await res.text()}`)
          await res?.body?.cancel()
        }
      }
    }
    const load = [0, 1, 2, 3].map(client)

    // A second `npm start` on the same file.
    const second = await start()
    expect(await outcome(second)).toEqual({ code: 1, signal: null })
    const refusal = second.stderr()
    expect(refusal).toContain(`${file} is already open for writing by pid ${first.child.pid}`)
    expect(refusal).toContain('Stop the other process first')
    expect(refusal).toContain('point LIBSQL_URL at a libSQL server (sqld)')

    // `npm run db:migrate` pointed at it.
    const migrate = await run(['scripts/db-migrate.ts'], { LIBSQL_URL: `file:${file}`, TURSO_DATABASE_URL: '' })
    expect(migrate.code).toBe(1)
    expect(migrate.stderr).toContain('is already open for writing by pid')

    // A CLI pointed at it (`npm run cluster -- --db FILE`).
    const csv = join(dir, 'rows.csv')
    writeFileSync(csv, 'text\nThe fonts look different\n')
    const cli = await run(['scripts/cluster.ts', '--input', csv, '--db', file, '--no-refine'])
    expect(cli.code).not.toBe(0)
    expect(cli.stderr).toContain('is already open for writing by pid')
    expect(cli.stdout).toBe('')

    stop = true
    await Promise.all(load)
    expect((await fetch(`${base}/health`)).status).toBe(200)
    first.child.kill('SIGTERM')
    await first.exited

    const db = await openNodeClient(`file:${file}`)
    try {
      const rows = (
        await db.execute("SELECT idempotency_key AS k, id FROM reports WHERE idempotency_key LIKE 'single-writer-%'")
      ).rows
      const stored = new Map(rows.map((r) => [String(r.k), String(r.id)]))
      expect(acked.size).toBeGreaterThan(0)
      expect(stored.size).toBe(rows.length) // no duplicates
      expect(stored).toEqual(acked) // every acknowledged report, under the id it was given, and nothing else
      expect(
        (await db.execute("SELECT count(*) AS n FROM reports WHERE message = 'The fonts look different'")).rows[0]!.n,
      ).toBe(0)
      expect((await db.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok')
    } finally {
      db.close()
    }
  }, 180_000)

  it('is never left stale: after kill -9 the next server starts on the same file at once', async () => {
    const crashed = await start()
    await crashed.ready
    crashed.child.kill('SIGKILL')
    await crashed.exited

    const next = await start()
    expect(await outcome(next)).toBe('listening')
    next.child.kill('SIGTERM')
    expect(await next.exited).toEqual({ code: 0, signal: null })
  }, 120_000)
})
