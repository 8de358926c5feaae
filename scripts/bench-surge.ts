// npm run bench:surge [-- --data DIR] [-- --weeks N] [-- --seed N] [-- --rate PER_MIN] [-- --settings JSON]
//   [-- --trace DIR | --from-trace DIR] [-- --node-trials N] [-- --skip-node] [-- --skip-replay]
//
// Alert quality on a simulated week (or several): ordinary background reports built from the
// labelled texts in ../shared/data (a label = one underlying problem), with injected surges,
// replayed through the server's own intake, clustering and surge detection on a simulated clock.
// Reports, per injected surge, the delay from its onset to the first alert about it, and the
// alerts that matched no injected surge (false alerts) per simulated week.
// --trace DIR keeps each week's clustering (the cluster every report got) in DIR; --from-trace DIR
// runs detection alone on it, in seconds, to try rules and settings (bench-surge/replay.ts).
// Then, on the real Node server with a real local HTTP receiver, the time from sending the report
// that crosses the threshold to the webhook request arriving (bench-surge/node-latency.ts).
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { readLabelled } from './bench-surge/data.js'
import { measureNodeLatency } from './bench-surge/node-latency.js'
import { detectFromTrace, loadTrace, replayWeek, saveTrace } from './bench-surge/replay.js'
import { printSummary, printWeek, scoreWeek, type WeekResult } from './bench-surge/score.js'
import { buildWeek } from './bench-surge/week.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(import.meta.dirname, '../../shared/data') },
    weeks: { type: 'string', default: '2' },
    seed: { type: 'string', default: '1' },
    rate: { type: 'string', default: '0.5' },
    'node-trials': { type: 'string', default: '20' },
    'skip-node': { type: 'boolean', default: false },
    'skip-replay': { type: 'boolean', default: false },
    settings: { type: 'string' },
    trace: { type: 'string' },
    'from-trace': { type: 'string' },
  },
})

if (!values['skip-replay']) {
  if (!existsSync(join(values.data, 'clinc150/test.csv'))) {
    console.error(`no data at ${values.data} (pass --data DIR with clinc150/ and smp_ecdt/)`)
    process.exit(2)
  }
  const en = readLabelled(join(values.data, 'clinc150/test.csv'))
  const zh = readLabelled(join(values.data, 'smp_ecdt/train.csv'))
  const settings = values.settings ? (JSON.parse(values.settings) as Record<string, unknown>) : undefined
  const all: WeekResult[] = []
  for (let w = 0; w < Number(values.weeks); w++) {
    const seed = Number(values.seed) + w
    const start = Date.UTC(2026, 0, 5, 0, 0, 0) // a Monday
    const { rows, injected } = buildWeek(seed, start, en, zh, Number(values.rate))
    let result: WeekResult
    if (values['from-trace']) {
      const trace = loadTrace(values['from-trace'], seed)
      const { clusterOf, raised, ms } = await detectFromTrace(rows, trace, start, settings)
      result = scoreWeek(seed, rows, injected, clusterOf, raised, ms)
    } else {
      const { trace, clusterOf, raised, ms } = await replayWeek(seed, rows, start, settings)
      if (values.trace) saveTrace(values.trace, trace)
      result = scoreWeek(seed, rows, injected, clusterOf, raised, ms)
    }
    all.push(result)
    printWeek(w, result)
  }
  printSummary(all)
}

if (!values['skip-node']) await measureNodeLatency(Number(values['node-trials']))
