import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'earshot-surge-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('npm run surge', () => {
  it('replays a CSV on a simulated clock and prints one line per alert', async () => {
    const start = Date.UTC(2026, 10, 20, 8, 0, 0)
    const lines = ['text,created_at,release,reporter_id']
    const quiet = [
      'my order is late',
      'cannot log in',
      'page is slow',
      'price looks wrong',
      'where is my invoice',
      'app crashes on start',
    ]
    for (let i = 0; i < 30; i++)
      lines.push(`${quiet[i % quiet.length]},${new Date(start + i * 3 * 60_000).toISOString()},,bg${i}`)
    for (let i = 0; i < 6; i++)
      lines.push(`The fonts look different,${new Date(start + 95 * 60_000 + i * 30_000).toISOString()},web@2,f${i}`)
    const file = join(dir, 'replay.csv')
    writeFileSync(file, lines.join('\n') + '\n')
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/surge.ts', '--input', file], {
      cwd: process.cwd(),
      timeout: 120_000,
    })
    const alerts = stdout.trim().split('\n')
    expect(alerts).toHaveLength(1)
    const [time, scope, reports, reporters] = alerts[0]!.split('\t')
    expect(Date.parse(time!)).toBeGreaterThanOrEqual(start + 95 * 60_000)
    expect(scope).toMatch(/^(clu_\w+|topic:\S+|project)$/)
    expect(reports).toMatch(/^reports=\d+$/)
    expect(reporters).toMatch(/^reporters=\d+$/)
  }, 150_000)

  it('refuses a CSV without created_at', async () => {
    const file = join(dir, 'bad.csv')
    writeFileSync(file, 'text\nhello\n')
    await expect(
      run(process.execPath, ['--import', 'tsx', 'scripts/surge.ts', '--input', file], { timeout: 60_000 }),
    ).rejects.toMatchObject({ code: 2 })
  }, 90_000)
})
