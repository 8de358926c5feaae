// npm run -s surge -- --input FILE.csv [--settings JSON] [--jobs-every SECONDS]
// Replays rows (columns text, created_at ISO 8601; optional route, release, reporter_id) in file
// order through the server's intake, clustering and surge detection on a simulated clock, and
// prints one line per alert: time, scope (cluster id, `topic:<word>`, or `project`), reports and distinct
// reporters in the detection window (tab-separated).
import { parseArgs } from 'node:util'
import { formatAlert, openSurgeHarness, readReplayCsv, replayRows } from './surge-replay.js'

const { values } = parseArgs({
  options: {
    input: { type: 'string' },
    settings: { type: 'string' },
    'jobs-every': { type: 'string', default: '60' },
  },
})
if (!values.input) {
  console.error(
    'usage: npm run -s surge -- --input FILE.csv [--settings \'{"cluster":{"minReports":5}}\'] [--jobs-every SECONDS]',
  )
  process.exit(2)
}
let rows: ReturnType<typeof readReplayCsv>
try {
  rows = readReplayCsv(values.input)
} catch (error) {
  console.error(`surge: ${(error as Error).message}`)
  process.exit(2)
}
const settings = values.settings ? (JSON.parse(values.settings) as Record<string, unknown>) : undefined
const start = rows.length ? Math.min(...rows.map((r) => r.createdAt)) : Date.now()
const h = await openSurgeHarness({ start, settings })
try {
  await replayRows(h, rows, {
    jobsEveryMs: Number(values['jobs-every']) * 1000,
    onAlert: (a) => process.stdout.write(formatAlert(a) + '\n'),
  })
} finally {
  h.close()
}
