// The Workers entry in workerd, through wrangler's dev server (`unstable_startWorker`), with only
// the bindings a test gives it: nothing from the developer's machine.
import { devNull } from 'node:os'
import { join } from 'node:path'
import { unstable_startWorker } from 'wrangler'
import { ROOT } from '../workers/build-output.js'

type StartInput = Parameters<typeof unstable_startWorker>[0]
export type WorkerBindings = NonNullable<StartInput['bindings']>
export type Workerd = Awaited<ReturnType<typeof unstable_startWorker>>

// No network: wrangler must not look up the request's `cf` object or send metrics. And never
// the shell's environment as secrets.
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
process.env.WRANGLER_SEND_METRICS = 'false'
process.env.CLOUDFLARE_INCLUDE_PROCESS_ENV = 'false'

export interface WorkerdOptions {
  bindings?: WorkerBindings
  /** wrangler.toml to run (default: the repository's). Its directory is where wrangler looks for `.dev.vars`. */
  config?: string
  logLevel?: 'none' | 'error' | 'warn' | 'info' | 'debug' | 'log'
}

/**
 * Starts the Worker on 127.0.0.1 (random port) and waits until it is ready.
 *
 * `envFiles` is set to an empty file on purpose: wrangler 4.86 reads `.dev.vars` (and `.env`)
 * next to wrangler.toml whenever `envFiles` is missing *or empty*, and puts its values in the
 * Worker's env over wrangler.toml's `[vars]` for every name the test does not bind itself — so the
 * README's local-run `.dev.vars` handed its TURSO_DATABASE_URL, EARSHOT_DEMO and EARSHOT_ENV to
 * every test Worker (and the "without its database secret" test found a database).
 */
export async function startWorkerd(opts: WorkerdOptions = {}): Promise<{ worker: Workerd; url: URL }> {
  const worker = await unstable_startWorker({
    config: opts.config ?? join(ROOT, 'wrangler.toml'),
    envFiles: [devNull],
    bindings: opts.bindings,
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      remote: false,
      persist: false,
      watch: false,
      logLevel: opts.logLevel ?? 'warn',
      testScheduled: true,
    },
  })
  try {
    await worker.ready
    return { worker, url: await worker.url }
  } catch (error) {
    await worker.dispose().catch(() => {})
    throw error
  }
}
