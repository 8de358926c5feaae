// Measures what the widget costs a host page, gzip at level 9 (Node's zlib; GNU `gzip -9` is a few bytes smaller):
//   before any click  = dist/public/widget.js (the loader; the dialog loads on first open)
//   loader + dialog   = what the report form costs: the loader and the larger of the dialog chunks
//                       (one per language; a customer downloads only theirs)
//   screenshot tools  = the attach chunk, loaded only when a customer attaches a screenshot
// Run after `npm run build:widget`:  npm run size   (--json for machine-readable output)
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

export const BUDGET = { beforeClick: 6 * 1024, total: 12 * 1024, attach: 4 * 1024 }

export function measureWidget(publicDir = join(import.meta.dirname, '../dist/public')) {
  const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length
  const loader = join(publicDir, 'widget.js')
  const chunks = readdirSync(join(publicDir, 'widget')).filter((f) => f.endsWith('.js'))
  const files = [{ file: 'widget.js', bytes: readFileSync(loader).length, gzip: gz(loader) }]
  for (const f of chunks) {
    const path = join(publicDir, 'widget', f)
    files.push({ file: `widget/${f}`, bytes: readFileSync(path).length, gzip: gz(path) })
  }
  const attach = files.find((f) => f.file.startsWith('widget/attach.'))?.gzip ?? 0
  const dialog = Math.max(...files.filter((f) => f.file.startsWith('widget/dialog')).map((f) => f.gzip))
  return { files, beforeClick: files[0].gzip, total: files[0].gzip + dialog, attach }
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const m = measureWidget()
  if (process.argv.includes('--json')) console.log(JSON.stringify({ ...m, budget: BUDGET }))
  else {
    for (const f of m.files)
      console.log(`${f.file.padEnd(32)} ${String(f.bytes).padStart(7)} B  ${String(f.gzip).padStart(6)} B gzip -9`)
    const line = (label: string, value: number, budget: number) =>
      console.log(
        `${label.padEnd(32)} ${String(value).padStart(6)} B gzip -9  ` +
          `(budget ${budget} B: ${value <= budget ? 'ok' : 'OVER'})`,
      )
    line('before any click (loader)', m.beforeClick, BUDGET.beforeClick)
    line('loader + dialog', m.total, BUDGET.total)
    line('screenshot tools (attach)', m.attach, BUDGET.attach)
    if (m.beforeClick > BUDGET.beforeClick || m.total > BUDGET.total || m.attach > BUDGET.attach) process.exitCode = 1
  }
}
