/**
 * Cloudflare Workers entry: wires the one Earshot app to Turso (libSQL over HTTP, through the
 * web client — workerd has no native libSQL) and to wrangler's static assets. All behaviour
 * lives in `createApp`; this file only hands Workers' events to it. The wiring (dependencies built
 * once per isolate) is in workers-instance.ts, the queue consumer in workers-queue.ts, the env and
 * runtime types in workers-env.ts.
 */
import type { ExecutionContext } from 'hono'
import { errorBody } from '../http/errors.js'
import { runBackgroundJobs } from '../jobs.js'
import { releaseLease } from '../domain/pipeline/index.js'
import type { MessageBatch, ScheduledController, WorkersEnv } from './workers-env.js'
import { getInstance, log } from './workers-instance.js'
import { consumeReports } from './workers-queue.js'
import type { App } from '../app.js'

export type { ReportMessage, WorkersEnv } from './workers-env.js'

export default {
  async fetch(request: Request, env: WorkersEnv, ctx: ExecutionContext): Promise<Response> {
    let app: App
    try {
      app = getInstance(env).app
    } catch (error) {
      // Building the client does not touch the network, so this is a configuration mistake.
      console.error(`earshot: cannot start: ${(error as Error).message}`)
      return Response.json(errorBody('server_misconfigured', 'The service is not configured correctly.'), {
        status: 500,
      })
    }
    return app.fetch(request, env, ctx)
  },

  /**
   * The queue consumer: runs the same pipeline as the Node server (oldest waiting reports first,
   * in batches), then delivers the notifications those batches queued — a surge webhook leaves
   * seconds after the crossing report. A message whose report is processed (by this run or an
   * earlier one) is acked; one whose report still waits is retried, and a failing run retries
   * them all, with a delay (Queues gives up after max_retries; the cron's safety net remains).
   */
  async queue(batch: MessageBatch, env: WorkersEnv, _ctx: ExecutionContext): Promise<void> {
    const { deps } = getInstance(env)
    await consumeReports(deps, batch)
  },

  async scheduled(_controller: ScheduledController, env: WorkersEnv, ctx: ExecutionContext): Promise<void> {
    const { deps } = getInstance(env)
    // If the safety net ran the pipeline, give the lease back so the queue consumer need not wait for it to lapse.
    const run = runBackgroundJobs(deps, log).finally(() =>
      deps.db.write((tx) => releaseLease(tx, deps.pipeline.options.holder)).catch(() => {}),
    )
    ctx.waitUntil(run)
  },
}
