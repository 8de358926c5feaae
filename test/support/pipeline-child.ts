// A child process for test/trust/pipeline.test.ts, so a real `kill -9` can hit the pipeline at an
// exact step of a batch:
//   node --import tsx test/support/pipeline-child.ts seed  FILE N      stores N reports (not clustered)
//   node --import tsx test/support/pipeline-child.ts drain FILE [STEP]  clusters them; with STEP it
//     prints "AT <step>" when the first batch reaches it and then waits to be killed.
import { createDeps } from '../../worker/app.js'
import { systemClock } from '../../worker/clock.js'
import { loadConfig } from '../../worker/config.js'
import { createDatabase } from '../../worker/db/client.js'
import { migrateDatabase } from '../../worker/db/migrate.js'
import { openNodeClient } from '../../worker/db/node-client.js'
import { ensureDemoWorkspace } from '../../worker/demo/seed.js'
import type { BatchStep } from '../../worker/domain/pipeline/index.js'
import { findProjectBySlug } from '../../worker/domain/projects/projects.js'
import { submitReport } from '../../worker/domain/reports/submit.js'

const [mode, file, arg] = process.argv.slice(2)
const TEXTS = [
  'Checkout button does nothing',
  'Fonts look different',
  'Where did the pricing page go?',
  '结账按钮点击没有反应',
  'Login loops back to the start',
]
const db = createDatabase(await openNodeClient(`file:${file}`))
await migrateDatabase(db)
const stopAt = mode === 'drain' ? (arg as BatchStep | undefined) : undefined
const deps = createDeps({
  db,
  clock: systemClock,
  config: loadConfig({ EARSHOT_ENV: 'test' }),
  pipeline: {
    exclusive: true,
    batchSize: 16,
    onStep: async (step) => {
      if (step !== stopAt) return
      process.stdout.write(`AT ${step}\n`)
      await new Promise(() => {}) // until the parent's kill -9
    },
  },
})
if (mode === 'seed') {
  await ensureDemoWorkspace(deps, { origins: [], adminPassword: 'not-used-in-this-test' })
  const project = (await findProjectBySlug(db.orm, 'demo'))!
  for (let i = 0; i < Number(arg); i++) {
    await submitReport(
      deps,
      project,
      { message: TEXTS[i % TEXTS.length]!, reporter_id: `r${i % 7}`, release: `web@${i % 3}`, route: '/checkout' },
      { idempotencyKey: `child-${i}` },
    )
  }
} else if (mode === 'drain') {
  process.stdout.write(`DRAINED ${await deps.pipeline.drain()}\n`)
}
db.close()
