import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openNodeClient } from '../../worker/db/node-client.js'
import { freePort } from '../../scripts/lib/free-port.js'
import { spawnNodeEntry, type NodeEntryProcess } from '../../scripts/lib/node-entry.js'

// A disk that can no longer be written, on the real Node entry: the server runs as a child process
// and its file-size limit (RLIMIT_FSIZE, set from outside with util-linux `prlimit`) is dropped to
// 0, so every write() to a file fails (EFBIG) while reads still work, as on a full disk. Then the
// limit is lifted again. Needs Linux with `prlimit`.
const hasPrlimit = (() => {
  try {
    execFileSync('prlimit', ['--version'], { stdio: 'ignore' })
    return process.platform === 'linux'
  } catch {
    return false
  }
})()

const dir = mkdtempSync(join(tmpdir(), 'earshot-disk-full-'))
const file = join(dir, 'earshot.db')
let server: NodeEntryProcess | undefined
afterAll(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

const fileSizeLimit = (pid: number, soft: string) =>
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${soft}:unlimited`])

describe.skipIf(!hasPrlimit)('/health when the disk cannot be written', () => {
  it('answers 503 (database up, not writable) while writes fail, and 200 again once they work', async () => {
    server = spawnNodeEntry({
      port: await freePort(),
      file,
      env: { EARSHOT_ENV: 'test', EARSHOT_ADMIN_PASSWORD: 'disk-full-password' },
    })
    const key = await server.ready
    const base = server.stdout().match(/running on (http:\/\/\S+)/)![1]!
    const report = () =>
      fetch(`${base}/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-earshot-key': key, 'idempotency-key': 'disk-full-report-1' },
        body: JSON.stringify({ message: 'Checkout fails while the disk is full' }),
      })

    fileSizeLimit(server.child.pid!, '0')
    try {
      const refused = await report()
      expect(refused.status).toBe(503)
      expect(((await refused.json()) as any).error.code).toBe('database_unavailable')

      const health = await fetch(`${base}/health`)
      expect(health.status).toBe(503)
      expect(health.headers.get('retry-after')).toMatch(/^\d+$/)
      expect(await health.json()).toEqual({ ok: false, database: 'up', writable: false })
    } finally {
      fileSizeLimit(server.child.pid!, 'unlimited')
    }

    // The outcome of a probe stands a few seconds: wait for the next one.
    await expect.poll(async () => (await fetch(`${base}/health`)).status, { timeout: 20_000, interval: 500 }).toBe(200)
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ ok: true, database: 'up', writable: true })
    // The widget retries with the same key: stored once.
    expect((await report()).status).toBe(202)

    server.child.kill('SIGTERM')
    await server.exited
    const db = await openNodeClient(`file:${file}`)
    try {
      expect(
        (await db.execute("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'disk-full-report-1'")).rows[0]!.n,
      ).toBe(1)
      expect((await db.execute('PRAGMA integrity_check')).rows[0]![0]).toBe('ok')
    } finally {
      db.close()
    }
  }, 90_000)
})
