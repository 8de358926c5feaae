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

  it('keeps the schema out of http/, app.ts, jobs.ts and demo/ at run time (types and other db modules are fine)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'earshot-imports-'))
    try {
      const files: Record<string, string> = {
        'worker/db/schema/index.ts': 'export const rateLimits = "rate_limits"\nexport type Row = { key: string }\n',
        'worker/db/client.ts': 'export const open = () => 1\n',
        'worker/domain/rate-limits.ts':
          "import { rateLimits } from '../db/schema/index.js'\nexport const store = () => rateLimits\n",
        'worker/http/rate-limit.ts':
          "import { rateLimits } from '../db/schema/index.js'\nimport { store } from '../domain/rate-limits.js'\nexport const limit = () => [rateLimits, store()]\n",
        'worker/http/ok.ts':
          "import type { Row } from '../db/schema/index.js'\nimport { open } from '../db/client.js'\nexport const ok = (r?: Row) => [r, open()]\n",
        'worker/app.ts':
          "import { rateLimits } from './db/schema/index.js'\nimport { limit } from './http/rate-limit.js'\nimport { ok } from './http/ok.js'\nexport const app = [rateLimits, limit, ok]\n",
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
          "import { addProject } from '../../domain/projects.js'",
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
