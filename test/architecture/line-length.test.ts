// The width habit of issue 16: no source line over 120 characters, strings, HTML/CSS templates and
// comments included (the formatter wraps code, not the text inside a string). Checked here for
// the rooms whose long lines are wrapped already; add a folder once its lines are.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const ROOTS = ['worker/routes', 'worker/http']
const MAX = 120

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`
    if (entry.isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(entry.name) ? [path] : []
  })
}

describe('line length', () => {
  const files = ROOTS.flatMap(sourceFiles)

  it('finds the files it checks', () => {
    expect(files).toContain('worker/routes/status/views.ts')
    expect(files).toContain('worker/http/openapi.ts')
  })

  it(`has no line over ${MAX} characters in ${ROOTS.join(', ')}`, () => {
    const long = files.flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.length > MAX ? [`${f}:${i + 1}: ${line.length} characters`] : [])),
    )
    expect(long).toEqual([])
  })
})
