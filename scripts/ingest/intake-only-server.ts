// `npm run bench:ingest` with BENCH_INTAKE_ONLY=1 (child process): the Node server exactly as
// worker/entries/node.ts starts it (startNodeServer, same config from the environment), except that
// the report pipeline does not run on its own and the background jobs are off. The load then
// measures the intake alone; reports wait, stored, until the driver writes `drain` on stdin, which
// runs the same pipeline over everything that waits and answers `DRAINED <processed> <ms>`.
import { createInterface } from 'node:readline'
import { databaseFromEnv } from '../../worker/config.js'
import { startNodeServer } from '../../worker/entries/node-server.js'

const database = databaseFromEnv(process.env)
if (!database.url) throw new Error('intake-only-server.ts needs LIBSQL_URL')
const server = await startNodeServer({
  databaseUrl: database.url,
  authToken: database.authToken,
  host: '127.0.0.1',
  port: Number(process.env.PORT || 0),
  demoComponents: true,
  jobsIntervalMs: 0,
  pipeline: { auto: false },
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().finally(() => process.exit(0)))
}
createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'drain') return
  const started = performance.now()
  const processed = await server.deps.pipeline.drain()
  console.log(`DRAINED ${processed} ${Math.round(performance.now() - started)}`)
})
console.log(`Earshot (intake only) is running on ${server.url}\n  Public key (demo)   ${server.seed.publicKey}`)
