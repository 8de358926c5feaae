// `wrangler deploy --dry-run` must bundle the Workers entry, and the bundle must be the
// Workers build of everything: @libsql/client's web client, no native libSQL, no Node built-ins.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ensureBuilt, ROOT } from './build-output.js'

let out: string
let stdout: string

beforeAll(async () => {
  ensureBuilt()
  out = mkdtempSync(join(tmpdir(), 'earshot-bundle-'))
  ;({ stdout } = await promisify(execFile)(
    'npx',
    ['wrangler', 'deploy', '--dry-run', '--outdir', out, '--metafile', join(out, 'meta.json')],
    { cwd: ROOT, env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' } },
  ))
}, 240_000) // may include `npm run build` when run on its own

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true })
})

it('bundles the Workers entry with the web libSQL client and nothing Node-only', () => {
  expect(stdout).toContain('--dry-run: exiting now.')
  expect(stdout).toMatch(/env\.ASSETS\s+Assets/)

  const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as {
    inputs: Record<string, unknown>
    outputs: Record<string, { imports: { path: string; external?: boolean }[] }>
  }
  const inputs = Object.keys(meta.inputs)
  expect(inputs).toContain('worker/entries/workers.ts')
  expect(inputs.some((p) => p.endsWith('@libsql/client/lib-esm/web.js'))).toBe(true)
  expect(
    inputs.filter((p) =>
      /@libsql\/client\/lib-esm\/(node|sqlite3)\.js$|node_modules\/libsql\/|@libsql\/linux-/.test(p),
    ),
  ).toEqual([])
  expect(inputs.filter((p) => /drizzle-orm\/.*migrator/.test(p))).toEqual([]) // reads files with node:fs

  const externals = Object.values(meta.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path))
  expect(externals.filter((p) => p.startsWith('node:') || !p.startsWith('cloudflare:'))).toEqual([])

  const size = statSync(join(out, 'workers.js')).size
  expect(size).toBeGreaterThan(50_000) // the app really is in there
})
