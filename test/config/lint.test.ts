// `npm run lint` is Biome (biome.jsonc) over the whole tree, run by .ci/run before the tests. The
// real tool, on the real tree; a planted mistake proves the configuration catches something.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, test } from 'vitest'

const root = join(import.meta.dirname, '../..')
const biome = join(root, 'node_modules/.bin/biome')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// Inside the repository (Biome lints only what is under its root and not git-ignored); a .js file,
// so the TypeScript projects never see it.
const probeDir = mkdtempSync(join(root, 'test/lint-probe-'))
afterAll(() => rmSync(probeDir, { recursive: true, force: true }))

async function lint(args: string[]) {
  try {
    const { stdout } = await promisify(execFile)(biome, ['lint', '--error-on-warnings', '--reporter=json', ...args], {
      cwd: root,
      maxBuffer: 16 << 20,
    })
    return { code: 0, report: JSON.parse(stdout) }
  } catch (error: any) {
    return { code: error.code as number, report: JSON.parse(error.stdout) }
  }
}
const categories = (report: { diagnostics: { category: string }[] }) => report.diagnostics.map((d) => d.category)

test('npm run lint is Biome, warnings as errors, plus the import rules; .ci/run runs it before the tests', () => {
  // The import rules (scripts/check-imports.ts) have their own test in test/architecture/.
  expect(pkg.scripts.lint).toBe('biome check --error-on-warnings . && npm run -s check:imports')
  expect(pkg.scripts['check:imports']).toBe('node --import tsx scripts/check-imports.ts')
  expect(pkg.devDependencies['@biomejs/biome']).toMatch(/^\d+\.\d+\.\d+$/) // pinned
  const ci = readFileSync(join(root, '.ci/run'), 'utf8')
  expect(ci.indexOf('npm run lint')).toBeGreaterThan(ci.indexOf('npm ci'))
  expect(ci.indexOf('npm run lint')).toBeLessThan(ci.indexOf('npm test'))
  // Lint only: the formatter stays off, so no branch gets a reformatted tree.
  expect(readFileSync(join(root, 'biome.jsonc'), 'utf8')).toMatch(/"lineWidth": 120/)
})

test('the configuration catches real mistakes', async () => {
  const file = join(probeDir, 'mistakes.js')
  writeFileSync(
    file,
    [
      "import { readFileSync } from 'node:fs'",
      'export function total(list) {',
      '  debugger',
      '  let sum = 0',
      '  for (const x of list) sum += x',
      '  return list.length',
      '}',
      '',
    ].join('\n'),
  )
  const { code, report } = await lint([relative(root, file)])
  expect(code).not.toBe(0)
  expect(categories(report)).toEqual(
    expect.arrayContaining(['lint/correctness/noUnusedImports', 'lint/suspicious/noDebugger']),
  )
})

test('the whole tree is clean', async () => {
  rmSync(join(probeDir, 'mistakes.js'), { force: true })
  const { code, report } = await lint(['.'])
  expect(categories(report)).toEqual([])
  expect(code).toBe(0)
  expect(report.summary.unchanged).toBeGreaterThan(200) // it really looked at the tree
}, 60_000)
