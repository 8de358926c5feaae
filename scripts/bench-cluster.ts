// npm run bench:cluster [-- --data DIR] [-- --only NAME] [-- --batch 1,256] [-- --scale] [-- --no-scenarios]
// --scale [--reports 100000,1000000] [--per-cluster 10] [--batch 1,64,256] [--words real|synthetic]
//   [--zh 0.1] [--measure 2000] [--repeat 3] [--cpu-prof DIR] [--keep-db DIR]
// Scores the engine on every labelled dataset (AMI, ARI, clusters vs labels, ms per report) and on
// the after-deploy scenario set (test/fixtures/scenarios: clusters vs problems, purity, Chinese with English),
// replaying rows through the server's path (intake, then the report pipeline), once per pipeline
// batch size (1 = strictly sequential assignment; 256 = the server's). `--scale` measures the
// pipeline on a large stored state instead (see scripts/clustering/scale.ts).
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { adjustedMutualInformation, adjustedRandIndex } from './clustering/metrics.js'
import { readCsv, replay } from './clustering/replay.js'
import { DEFAULT_PIPELINE } from '../worker/domain/pipeline/index.js'
import { DEFAULT_OPTIONS, DEFAULT_REFINE } from '../worker/domain/clustering/index.js'
import { scenarioRows } from '../test/fixtures/scenarios/after-deploy.js'
import { scoreScenario } from './clustering/scenario-metrics.js'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(import.meta.dirname, '../../shared/data') },
    only: { type: 'string' },
    scale: { type: 'boolean', default: false },
    reports: { type: 'string' },
    'refine-every': { type: 'string', default: '60' },
    'merge-factor': { type: 'string' },
    'singleton-factor': { type: 'string' },
    batch: { type: 'string' },
    'per-cluster': { type: 'string' },
    words: { type: 'string' },
    zh: { type: 'string' },
    measure: { type: 'string' },
    repeat: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'keep-db': { type: 'string' },
    'no-scenarios': { type: 'boolean', default: false },
    set: { type: 'string' },
  },
})

// `--set engine.weights.c=0.5,engine.youth=0,refine.mergeFactorYoung=1`: try engine or refinement
// settings without editing the defaults (they are changed in place before any engine is made).
for (const pair of values.set ? values.set.split(',') : []) {
  const [path, value] = pair.split('=') as [string, string]
  const keys = path.split('.')
  let target: Record<string, unknown> = { engine: DEFAULT_OPTIONS, refine: DEFAULT_REFINE }
  for (const k of keys.slice(0, -1)) target = target[k] as Record<string, unknown>
  if (!target || !(keys[keys.length - 1]! in target)) throw new Error(`--set: unknown setting ${path}`)
  target[keys[keys.length - 1]!] = Number(value)
}
if (values.set) console.log(`settings: ${values.set}\n`)

const numbers = (s: string) => s.split(',').map((b) => Math.max(1, Number(b)))

if (values.scale) {
  const { runScale, DEFAULT_SCALE } = await import('./clustering/scale.js')
  const words = values.words ?? DEFAULT_SCALE.words
  if (words !== 'real' && words !== 'synthetic') throw new Error('--words: real or synthetic')
  await runScale({
    reports: values.reports ? numbers(values.reports) : DEFAULT_SCALE.reports,
    perCluster: values['per-cluster'] ? Number(values['per-cluster']) : DEFAULT_SCALE.perCluster,
    batches: values.batch ? numbers(values.batch) : DEFAULT_SCALE.batches,
    words,
    zh: values.zh !== undefined ? Number(values.zh) : DEFAULT_SCALE.zh,
    measure: values.measure ? Number(values.measure) : DEFAULT_SCALE.measure,
    repeat: values.repeat ? Number(values.repeat) : DEFAULT_SCALE.repeat,
    cpuProf: values['cpu-prof'],
    keepDb: values['keep-db'],
  })
  process.exit(0)
}

const batchSizes = numbers(values.batch ?? `1,${DEFAULT_PIPELINE.batchSize}`)

function datasets(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const sub = join(dir, name)
    if (!statSync(sub).isDirectory()) continue
    for (const f of readdirSync(sub).sort()) if (f.endsWith('.csv')) out.push(join(sub, f))
  }
  return out
}

if (!existsSync(values.data)) {
  console.error(`no data folder at ${values.data} (pass --data DIR)`)
  process.exit(2)
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0
}
/** A markdown table row of `cells`. */
const tableRow = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`
console.log(
  tableRow([
    'data',
    'batch',
    'rows',
    'labels',
    'clusters at ingest',
    'AMI / ARI at ingest',
    'clusters',
    'AMI',
    'ARI',
    'intake ms (mean, p99)',
    'pipeline ms/report',
    'batch compute ms (p50, p99)',
    'refinement total',
  ]),
)
console.log('|---|---:|---|---|---|---|---|---|---|---|---|---|---|')
for (const file of datasets(values.data)) {
  const name = file.slice(values.data.length + 1).replace(/\.csv$/, '')
  if (values.only && !name.includes(values.only)) continue
  const rows = readCsv(file)
  const labels = rows.map((r) => r.label ?? '')
  for (const batchSize of batchSizes) {
    const started = performance.now()
    const r = await replay(
      rows.map(({ label: _label, ...rest }) => rest),
      {
        refineEveryMs: Number(values['refine-every']) * 1000,
        batchSize,
        refine: {
          ...(values['merge-factor'] ? { mergeFactor: Number(values['merge-factor']) } : {}),
          ...(values['singleton-factor'] ? { singletonFactor: Number(values['singleton-factor']) } : {}),
        },
      },
    )
    const wall = performance.now() - started
    const nLabels = new Set(labels).size
    const nIngest = new Set(r.atIngest).size
    const n = new Set(r.clusters).size
    const mean = r.ingestMs.reduce((a, b) => a + b, 0) / r.ingestMs.length
    const processed = r.batches.reduce((a, b) => a + b.reports, 0)
    const pipelineMs = r.batches.reduce((a, b) => a + b.computeMs + b.writeMs, 0)
    const compute = r.batches.map((b) => b.computeMs)
    console.log(
      tableRow([
        name,
        batchSize,
        rows.length,
        nLabels,
        nIngest,
        `${adjustedMutualInformation(labels, r.atIngest).toFixed(3)} / ` +
          adjustedRandIndex(labels, r.atIngest).toFixed(3),
        `${n}${n > 3 * nLabels ? ' (> 3×)' : ''}`,
        adjustedMutualInformation(labels, r.clusters).toFixed(3),
        adjustedRandIndex(labels, r.clusters).toFixed(3),
        `${mean.toFixed(2)}, ${pct(r.ingestMs, 99).toFixed(2)}`,
        (pipelineMs / Math.max(1, processed)).toFixed(2),
        `${pct(compute, 50).toFixed(2)}, ${pct(compute, 99).toFixed(2)}`,
        `${(r.refineMs / 1000).toFixed(1)} s in ${r.refineRuns} runs (wall ${(wall / 1000).toFixed(1)} s)`,
      ]),
    )
  }
}

if (!values['no-scenarios'] && (!values.only || 'scenarios/after-deploy'.includes(values.only))) {
  const rows = scenarioRows()
  console.log('')
  console.log(
    tableRow([
      'scenario set',
      'batch',
      'reports',
      'problems',
      'clusters (target ≤ 1.5×)',
      'purity (≥ 0.9)',
      'Chinese with English (≥ 10/12; all of them)',
      'AMI',
      'ARI',
      'clusters per problem',
    ]),
  )
  console.log('|---|---:|---|---|---|---|---|---|---|---|')
  for (const batchSize of batchSizes) {
    const r = await replay(
      rows.map(({ label: _l, lang: _g, ...rest }) => rest),
      { refineEveryMs: Number(values['refine-every']) * 1000, batchSize },
    )
    const s = scoreScenario(rows, r.clusters)
    const labels = rows.map((x) => x.label)
    console.log(
      tableRow([
        'after-deploy',
        batchSize,
        rows.length,
        s.problems,
        `${s.clusters} (${(s.clusters / s.problems).toFixed(2)}×)`,
        s.purity.toFixed(3),
        `${s.zhWithEn}/${s.problems}; ${s.zhAllWithEn}/${s.problems}`,
        adjustedMutualInformation(labels, r.clusters).toFixed(3),
        adjustedRandIndex(labels, r.clusters).toFixed(3),
        Object.entries(s.spread)
          .map(([k, v]) => `${k} ${v}`)
          .join(', '),
      ]),
    )
  }
}
