import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createClient } from '@libsql/client'
import { afterAll, describe, expect, it } from 'vitest'
import { checkPipeline } from '../../scripts/pipeline-check.js'

// kill -9 of a real process at each step of a pipeline batch (test/support/pipeline-child.ts),
// then a restart on the same file: every report ends up processed exactly once.
const REPO = resolve(import.meta.dirname, '../..')
const CHILD = resolve(REPO, 'test/support/pipeline-child.ts')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function child(args: string[]): {
  process: ChildProcess
  output: Promise<string>
  line(pattern: RegExp): Promise<string>
} {
  const p = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters: { pattern: RegExp; ok(line: string): void }[] = []
  p.stdout!.on('data', (c: Buffer) => {
    out += c.toString()
    for (const w of [...waiters]) {
      const m = out.match(w.pattern)
      if (m) {
        waiters.splice(waiters.indexOf(w), 1)
        w.ok(m[0])
      }
    }
  })
  p.stderr!.on('data', (c: Buffer) => (err += c.toString()))
  const output = new Promise<string>((ok, fail) =>
    p.once('exit', (code, signal) =>
      code === 0 ? ok(out) : fail(new Error(`child ${args[0]} exited ${code ?? signal}:\n${out}\n${err}`)),
    ),
  )
  return {
    process: p,
    output,
    line: (pattern) => new Promise((ok) => waiters.push({ pattern, ok })),
  }
}

async function check(file: string) {
  const db = createClient({ url: `file:${file}` })
  try {
    return await checkPipeline(db)
  } finally {
    db.close()
  }
}

describe('pipeline under kill -9', () => {
  it.each(['computed', 'written', 'committed'] as const)(
    'a kill -9 after a batch is %s leaves every report processed exactly once after a restart',
    async (step) => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-pipeline-crash-'))
      dirs.push(dir)
      const file = join(dir, 'crash.db')
      await child(['seed', file, '40']).output
      expect((await check(file)).problems).toEqual(['40 reports still wait for the pipeline'])

      const victim = child(['drain', file, step])
      await victim.line(new RegExp(`AT ${step}`))
      victim.process.kill('SIGKILL')
      await victim.output.catch(() => {})
      // The first batch (16 reports) is durable only once it committed; nothing of it otherwise.
      const afterCrash = await check(file)
      expect(afterCrash.clustered).toBe(step === 'committed' ? 16 : 0)
      expect(afterCrash.problems[0]).toBe(`${step === 'committed' ? 24 : 40} reports still wait for the pipeline`)

      const restart = await child(['drain', file]).output
      expect(restart).toContain(`DRAINED ${step === 'committed' ? 24 : 40}`)
      const result = await check(file)
      expect(result.problems).toEqual([])
      expect(result.reports).toBe(40)
      expect(result.clustered).toBe(40)
    },
    60_000,
  )
})
