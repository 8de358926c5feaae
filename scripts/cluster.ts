// npm run -s cluster -- --input FILE.csv [--at-ingest] [--no-refine] [--refine-every SECONDS] [--batch N] [--db FILE]
// Clusters CSV rows (column `text`; optional route, release, category, reporter_id, locale,
// created_at) in file order through the server's path (intake, then the report pipeline in
// batches of the server's size); prints one cluster id per row. `--batch 1` assigns strictly one
// report after another. Refinement runs as on the Node server: every 30 s of real time, and once
// after the last row. `--refine-every S` runs it every S seconds of simulated time instead (rows are 1 s apart).
import { parseArgs } from 'node:util'
import { readCsv, replay } from './clustering/replay.js'
import { NODE_JOBS_INTERVAL_MS } from '../worker/entries/node-server.js'

const { values } = parseArgs({
  options: {
    input: { type: 'string' },
    'at-ingest': { type: 'boolean', default: false },
    'no-refine': { type: 'boolean', default: false },
    'refine-every': { type: 'string' },
    batch: { type: 'string' },
    db: { type: 'string' },
  },
})
if (!values.input) {
  console.error(
    'usage: npm run -s cluster -- --input FILE.csv [--at-ingest] [--no-refine] [--refine-every SECONDS] ' +
      '[--batch N] [--db FILE]',
  )
  process.exit(2)
}
const rows = readCsv(values.input)
if (rows.length && !('text' in rows[0]!)) {
  console.error('the CSV needs a `text` column')
  process.exit(2)
}
const result = await replay(rows, {
  refineEveryMs:
    values['no-refine'] || values['refine-every'] === undefined ? 0 : Number(values['refine-every']) * 1000,
  refineWallMs: values['no-refine'] || values['refine-every'] !== undefined ? 0 : NODE_JOBS_INTERVAL_MS,
  dbPath: values.db,
  batchSize: values.batch ? Math.max(1, Number(values.batch)) : undefined,
})
const out = values['at-ingest'] ? result.atIngest : result.clusters
process.stdout.write(out.map((id) => id || 'rejected').join('\n') + (out.length ? '\n' : ''))
