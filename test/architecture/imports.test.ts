// The import rules (scripts/check-imports.ts, run by `npm run lint`): the checker itself on a small
// project written here, then the real tree.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { importViolations, routeWriteViolations } from '../../scripts/check-imports.js'

const project = mkdtempSync(join(tmpdir(), 'earshot-imports-'))
afterAll(() => rmSync(project, { recursive: true, force: true }))

function write(files: Record<string, string>) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true })
    writeFileSync(join(project, path), text)
  }
}

describe('the import checker', () => {
  it('reports a runtime circle and a route reaching the database, and ignores type-only imports', async () => {
    write({
      'worker/domain/a.ts': "import { b } from './b.js'\nexport const a = () => b()\n",
      'worker/domain/b.ts': "import { a } from './a.js'\nexport const b = (): number => (a ? 1 : 0)\n",
      // A circle through `import type` only is erased at compile time: not a problem.
      'worker/domain/c.ts': "import type { D } from './d.js'\nexport type C = { d?: D }\nexport const c = 1\n",
      'worker/domain/d.ts': "import { c } from './c.js'\nexport type D = { c: number }\nexport const d = c\n",
      'worker/db/table.ts': 'export const table = "reports"\n',
      'worker/routes/x.ts':
        "import { table } from '../db/table.js'\nimport { d } from '../domain/d.js'\nexport const x = [table, d]\n",
    })
    const problems = await importViolations(project, ['worker'])
    expect(problems).toEqual([
      'import circle between: worker/domain/a.ts, worker/domain/b.ts',
      expect.stringMatching(/^worker\/routes\/x\.ts imports worker\/db\/table\.ts: /),
    ])
  })

  it('lets the rest of worker/ use a domain feature only through its index.ts', async () => {
    const other = mkdtempSync(join(tmpdir(), 'earshot-imports-'))
    try {
      const files: Record<string, string> = {
        'worker/domain/reports/rows.ts': 'export const rows = 1\n',
        'worker/domain/reports/submit.ts': "import { rows } from './rows.js'\nexport const submit = () => rows\n",
        'worker/domain/reports/index.ts': "export { submit } from './submit.js'\n",
        'worker/domain/surge/detect.ts':
          "import { submit } from '../reports/index.js'\nimport { rows } from '../reports/rows.js'\n" +
          'export const detect = () => [submit, rows]\n',
        'worker/routes/r.ts': "import { submit } from '../domain/reports/index.js'\nexport const r = submit\n",
        'worker/routes/s.ts': "import { submit } from '../domain/reports/submit.js'\nexport const s = submit\n",
      }
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(other, path)), { recursive: true })
        writeFileSync(join(other, path), text)
      }
      const problems = await importViolations(other, ['worker'])
      expect(problems.sort()).toEqual([
        expect.stringMatching(/^worker\/domain\/surge\/detect\.ts imports worker\/domain\/reports\/rows\.ts: /),
        expect.stringMatching(/^worker\/routes\/s\.ts imports worker\/domain\/reports\/submit\.ts: /),
      ])
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('keeps the schema out of http/, app.ts, jobs.ts, demo/ at run time (types, other db modules: fine)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'earshot-imports-'))
    try {
      const files: Record<string, string> = {
        'worker/db/schema/index.ts': 'export const rateLimits = "rate_limits"\nexport type Row = { key: string }\n',
        'worker/db/client.ts': 'export const open = () => 1\n',
        'worker/domain/access/rate-limits.ts':
          "import { rateLimits } from '../../db/schema/index.js'\nexport const store = () => rateLimits\n",
        'worker/domain/access/index.ts': "export { store } from './rate-limits.js'\n",
        'worker/http/rate-limit.ts':
          "import { rateLimits } from '../db/schema/index.js'\n" +
          "import { store } from '../domain/access/index.js'\n" +
          'export const limit = () => [rateLimits, store()]\n',
        'worker/http/ok.ts':
          "import type { Row } from '../db/schema/index.js'\n" +
          "import { open } from '../db/client.js'\n" +
          'export const ok = (r?: Row) => [r, open()]\n',
        'worker/app.ts':
          "import { rateLimits } from './db/schema/index.js'\n" +
          "import { limit } from './http/rate-limit.js'\n" +
          "import { ok } from './http/ok.js'\n" +
          'export const app = [rateLimits, limit, ok]\n',
        'worker/jobs.ts': "import { rateLimits } from './db/schema/index.js'\nexport const jobs = [rateLimits]\n",
        'worker/demo/seed.ts': "import { rateLimits } from '../db/schema/index.js'\nexport const seed = [rateLimits]\n",
      }
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(other, path)), { recursive: true })
        writeFileSync(join(other, path), text)
      }
      const problems = await importViolations(other, ['worker'])
      expect(problems.sort()).toEqual([
        expect.stringMatching(/^worker\/app\.ts imports worker\/db\/schema\/index\.ts: /),
        expect.stringMatching(/^worker\/demo\/seed\.ts imports worker\/db\/schema\/index\.ts: /),
        expect.stringMatching(/^worker\/http\/rate-limit\.ts imports worker\/db\/schema\/index\.ts: /),
        expect.stringMatching(/^worker\/jobs\.ts imports worker\/db\/schema\/index\.ts: /),
      ])
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })
})

describe('the route write check', () => {
  it('reports a route that opens a write or a transaction, not one that calls the domain', () => {
    const other = mkdtempSync(join(tmpdir(), 'earshot-routes-'))
    try {
      const files: Record<string, string> = {
        'worker/routes/api/bad.ts': [
          'export async function route(deps: any) {',
          '  await deps.db.write(async (tx: any) => tx.insert(1))',
          '  await deps.db.orm.transaction(async () => {})',
          '}',
        ].join('\n'),
        'worker/routes/api/good.ts': [
          "import { addProject } from '../../domain/projects/projects.js'",
          '// a comment about deps.db.write(…) is not a call',
          '/* nor is deps.db.transaction(() => {}) in a block comment */',
          'export const route = (deps: any) => addProject(deps, {})',
        ].join('\n'),
      }
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(other, path)), { recursive: true })
        writeFileSync(join(other, path), text)
      }
      expect(routeWriteViolations(other)).toEqual([
        expect.stringMatching(/^worker\/routes\/api\/bad\.ts:2 opens a write/),
        expect.stringMatching(/^worker\/routes\/api\/bad\.ts:3 opens a write/),
      ])
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })
})

describe('this tree', () => {
  it('has no route file that opens a write itself', () => {
    expect(routeWriteViolations(fileURLToPath(new URL('../..', import.meta.url)))).toEqual([])
  })

  it('has no runtime import circles and keeps its layer rules', async () => {
    expect(await importViolations(fileURLToPath(new URL('../..', import.meta.url)))).toEqual([])
  })
})
