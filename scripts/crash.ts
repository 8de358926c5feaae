// `npm run crash`: 10 × kill -9 of the real Node server under load, then checks that every report
// answered 2xx is stored exactly once (see scripts/crash-lib.ts). CRASH_KILLS=… to change the count.
import { cpus } from 'node:os'
import { runCrashTest } from './crash-lib.js'

const kills = Number(process.env.CRASH_KILLS || 10)
const started = Date.now()
console.log(
  `crash test: ${kills} × kill -9 under load from 16 clients; ` +
    `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.versions.node}`,
)
const r = await runCrashTest({ kills, clients: 16, minUpMs: 500, maxUpMs: 3000, log: (l) => console.log(`  ${l}`) })
const problems = [
  r.missing.length && `${r.missing.length} acknowledged reports missing (e.g. ${r.missing.slice(0, 3).join(', ')})`,
  r.duplicates && `${r.duplicates} idempotency keys stored more than once`,
  r.idMismatches.length && `${r.idMismatches.length} id mismatches (e.g. ${r.idMismatches.slice(0, 3).join('; ')})`,
  r.clusterCountMismatch,
  ...r.pipelineProblems.map((p) => `pipeline: ${p}`),
  r.integrity !== 'ok' && `integrity_check: ${r.integrity}`,
].filter(Boolean)
console.log(
  [
    `requests sent ${r.sent}, 2xx answers ${r.acknowledged} for ${r.acknowledgedKeys} distinct reports`,
    `retries after a failed request ${r.retriesAfterFailure}, re-sends of acknowledged reports ${r.resentAfterAck}`,
    `rows stored ${r.stored}; missing ${r.missing.length}; duplicate keys ${r.duplicates}; ` +
      `id mismatches ${r.idMismatches.length}`,
    `pipeline after the last restart: ${r.clustered} of ${r.stored} reports clustered; ` +
      (r.pipelineProblems.length ? r.pipelineProblems.join('; ') : 'each exactly once, counters equal a recount'),
    `cluster counters: ${r.clusterCountMismatch ?? 'consistent'}; integrity_check: ${r.integrity}`,
    `restart to ready: median ${[...r.restartMs].sort((a, b) => a - b)[Math.floor(r.restartMs.length / 2)]} ms`,
    `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
  ].join('\n'),
)
if (problems.length) {
  console.error(`FAILED:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
console.log('OK: every acknowledged report is stored exactly once and clustered exactly once')
