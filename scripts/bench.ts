// `npm run bench`: runs every area's benchmark that exists, one after another (they would skew
// each other if run at once on a small machine). Each prints its own figures; see BENCHMARKS.md.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = resolve(fileURLToPath(import.meta.url), '../..')
const KNOWN = ['bench:ingest', 'bench:cluster', 'bench:surge', 'bench:dashboard', 'bench:status']
const scripts = JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8')).scripts as Record<string, string>
// `npm run bench -- ingest surge` runs only those.
const only = process.argv.slice(2).map((a) => (a.startsWith('bench:') ? a : `bench:${a}`))
const present = KNOWN.filter((name) => scripts[name] && (!only.length || only.includes(name)))
const failed: string[] = []
for (const name of present) {
  console.log(`\n=== npm run ${name}`)
  const result = spawnSync('npm', ['run', '--silent', name], { cwd: REPO, stdio: 'inherit' })
  if (result.status !== 0) failed.push(name)
}
const missing = KNOWN.filter((name) => !scripts[name])
if (missing.length) console.log(`\n(not present yet: ${missing.join(', ')})`)
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`)
  process.exit(1)
}
