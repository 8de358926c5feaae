// The ES module ships TypeScript types generated from the widget's source; a product's code that
// imports 'earshot/widget' must type-check against them. Built into a temp folder (never racing
// the browser tests that serve dist/), then a consumer is compiled against the declarations.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { buildWidget } from '../../widget/build'

const root = join(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'earshot-npm-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a consumer importing earshot/widget type-checks against the generated declarations', async () => {
  await buildWidget({ publicDir: join(dir, 'public'), npmDir: join(dir, 'npm') })
  const consumer = join(root, 'test/fixtures/npm-consumer/consumer.ts')
  const tsconfig = join(dir, 'tsconfig.json')
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2023', 'DOM'], strict: true, noEmit: true, types: [],
        // What package.json "exports" maps 'earshot/widget' to, pointed at this build.
        paths: { 'earshot/widget': [join(dir, 'npm/types/npm.d.ts')] },
      },
      files: [consumer],
    }),
  )
  let output = ''
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { cwd: root, stdio: 'pipe' })
  } catch (error: any) {
    output = String(error.stdout) + String(error.stderr)
  }
  expect(output).toBe('')
}, 60_000)
