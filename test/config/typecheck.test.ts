// `npm run typecheck` inside `npm test`: tests/scripts, the worker under Node, the worker under
// Cloudflare Workers (@cloudflare/workers-types only, no Node globals), the widget and the
// dashboard (DOM only) — each its own tsconfig project, all with the real compiler.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { expect, test } from 'vitest'

const root = join(import.meta.dirname, '../..')
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const PROJECTS = [
  'tsconfig.json',
  'worker/tsconfig.json',
  'worker/tsconfig.workers.json',
  'widget/tsconfig.json',
  'dashboard/tsconfig.json',
]

test('npm run typecheck checks each project', async () => {
  const script: string = (await import('../../package.json', { with: { type: 'json' } })).default.scripts.typecheck
  expect(script.split('&&').map((s) => s.trim())).toEqual(PROJECTS.map((p) => `tsc -p ${p}`))
})

for (const project of PROJECTS) {
  test(`tsc -p ${project} passes`, async () => {
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', project], { cwd: root }).catch((e) => e)
    expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('')
  }, 300_000)
}
