// `npm run dev` rebuilds the widget when its source changes (the dashboard has `vite build
// --watch`, the server `tsx watch`): the watcher it uses, on a real folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { rebuildOnChange } from '../../scripts/dev'

const dir = mkdtempSync(join(tmpdir(), 'earshot-dev-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a change anywhere under the source folder triggers one rebuild per burst, never two at once', async () => {
  mkdirSync(join(dir, 'dialog'))
  let builds = 0
  let concurrent = 0
  let maxConcurrent = 0
  let notify: () => void = () => {}
  const watcher = rebuildOnChange(
    dir,
    async () => {
      concurrent++
      maxConcurrent = Math.max(maxConcurrent, concurrent)
      await new Promise((ok) => setImmediate(ok))
      builds++
      concurrent--
      notify()
    },
    () => {},
  )
  try {
    const rebuilt = () => new Promise<void>((ok) => (notify = ok))
    let next = rebuilt()
    // An editor's save: several writes in a row, in a nested folder.
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, 'dialog', 'mount.ts'), `export const n = ${i}\n`)
    await next
    await watcher.idle()
    expect(builds).toBeGreaterThanOrEqual(1)
    const afterFirst = builds
    next = rebuilt()
    writeFileSync(join(dir, 'core.ts'), 'export const x = 1\n')
    await next
    expect(builds).toBeGreaterThan(afterFirst)
    expect(maxConcurrent).toBe(1)
  } finally {
    watcher.close()
  }
})

test('npm run dev runs this script, which watches the widget, the dashboard and the server', async () => {
  const { readFileSync } = await import('node:fs')
  const root = join(import.meta.dirname, '../..')
  expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.dev).toBe(
    'node --import tsx scripts/dev.ts',
  )
  const source = readFileSync(join(root, 'scripts/dev.ts'), 'utf8')
  expect(source).toContain("rebuildOnChange(join(root, 'widget/src')")
  expect(source).toMatch(/vite\.js'\),\s*'build',\s*'--watch'/)
  expect(source).toMatch(/cli\.mjs'\),\s*'watch'[^\]]*'worker\/entries\/node\.ts'/)
})
