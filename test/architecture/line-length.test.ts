// The line habit of issue 16: no source line over 120 characters (Biome's formatter wraps code at
// 120 columns; what it cannot wrap — strings, SQL/HTML templates, test names, comments — is wrapped
// by hand). Characters, not bytes: a line of Chinese text is as wide as its characters.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const ROOTS = ['worker', 'widget/src', 'dashboard/src', 'scripts', 'test']
const SOURCE = /\.(ts|tsx|js|mjs|cjs|css)$/
const MAX_CHARS = 120

/**
 * Written by tools, not by hand: the generated API types and concept table. (drizzle-kit's migrations
 * under worker/db/migrations are .sql and .json, not checked.)
 */
const GENERATED = [
  /^dashboard\/src\/api-types\.ts$/,
  /^worker\/domain\/clustering\/concept-table\.ts$/,
  /^worker\/domain\/clustering\/background-table\.ts$/,
]

/**
 * Over the limit, knowingly: none (session 22 wrapped the last ones). A file added here must say why;
 * the test fails for an entry that is no longer over the limit (or gone), so the list stays true.
 */
const KNOWN_OVER: Record<string, string> = {}

/** Source files under `dir` of `base`, as paths relative to `base` (node_modules and dot folders skipped). */
function sourceFiles(base: string, dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(base, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) out.push(...sourceFiles(base, path))
    else if (SOURCE.test(entry.name)) out.push(path)
  }
  return out
}

/** 1-based numbers of the lines longer than `max` characters (code points, not UTF-16 units or bytes). */
function longLines(text: string, max = MAX_CHARS): number[] {
  const over: number[] = []
  text.split(/\r?\n/).forEach((line, i) => {
    if ([...line].length > max) over.push(i + 1)
  })
  return over
}

/** Every checked file under `base` with a line over the limit, as `path:line (n chars)`. */
function violations(base: string, roots: string[], skip: (path: string) => boolean): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const path of roots.flatMap((r) => sourceFiles(base, r))) {
    if (GENERATED.some((g) => g.test(path)) || skip(path)) continue
    const text = readFileSync(join(base, path), 'utf8')
    const lines = text.split(/\r?\n/)
    const over = longLines(text).map((n) => `${path}:${n} (${[...lines[n - 1]!].length} chars)`)
    if (over.length) found.set(path, over)
  }
  return found
}

describe('line length', () => {
  const temps: string[] = []
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true })
  })

  it('counts characters, not bytes or UTF-16 units', () => {
    const chinese = '字'.repeat(MAX_CHARS) // 360 bytes in UTF-8, 120 characters
    const emoji = '🙂'.repeat(MAX_CHARS) // 240 UTF-16 units, 120 characters
    expect(longLines(`${chinese}\n${emoji}\n${'x'.repeat(MAX_CHARS)}`)).toEqual([])
    expect(longLines(`ok\n${chinese}字\nok\r\n${'x'.repeat(MAX_CHARS + 1)}\n`)).toEqual([2, 4])
  })

  it('finds a planted long line in every kind of source file, and skips generated ones', () => {
    const base = mkdtempSync(join(tmpdir(), 'earshot-line-length-'))
    temps.push(base)
    const long = `const s = '${'a'.repeat(MAX_CHARS)}'\n`
    const plant = (path: string, text: string) => {
      mkdirSync(join(base, path, '..'), { recursive: true })
      writeFileSync(join(base, path), text)
    }
    for (const ext of ['ts', 'tsx', 'js', 'mjs', 'cjs', 'css']) plant(`worker/planted.${ext}`, `ok\n${long}`)
    plant('test/fine.ts', `${'b'.repeat(MAX_CHARS)}\n`)
    plant('test/notes.md', long) // not source
    plant('worker/db/migrations/0001_x.sql', long) // not source
    plant('worker/node_modules/dep/index.js', long)
    plant('worker/.cache/x.ts', long)
    plant('dashboard/src/api-types.ts', long)
    const found = violations(base, ['worker', 'dashboard/src', 'test'], () => false)
    expect([...found.keys()].sort()).toEqual(
      ['cjs', 'css', 'js', 'mjs', 'ts', 'tsx'].map((ext) => `worker/planted.${ext}`),
    )
    expect(found.get('worker/planted.ts')).toEqual([`worker/planted.ts:2 (${long.length - 1} chars)`])
  })

  it('walks the real tree: files in every root, and each generated pattern names a file that exists', () => {
    const files = ROOTS.flatMap((r) => sourceFiles(root, r))
    expect(files.length).toBeGreaterThan(300)
    for (const r of ROOTS) expect(files.some((f) => f.startsWith(`${r}/`))).toBe(true)
    expect(files).toContain('test/fixtures/hosts/hostile.css')
    expect(GENERATED.filter((g) => !files.some((f) => g.test(f)))).toEqual([])
  })

  it(`has no source line over ${MAX_CHARS} characters outside generated files and the known list`, () => {
    const found = violations(root, ROOTS, (path) => path in KNOWN_OVER)
    expect([...found.values()].flat()).toEqual([])
  })

  it('lists as known only files that exist and are still over the limit', () => {
    const over = violations(root, ROOTS, () => false)
    expect(Object.keys(KNOWN_OVER).filter((path) => !over.has(path))).toEqual([])
  })
})
