// `npm run dev`: the Node server with everything rebuilt and restarted on change.
//   widget/src/**     → the widget is rebuilt (esbuild, widget/build.ts) into dist/public + widget/dist
//   dashboard/**      → `vite build --watch` rebuilds dist/public/dashboard
//   worker/** (.ts)   → `tsx watch` restarts the server (worker/entries/node.ts, as `npm start`)
// The server reads .env like `npm start`. Ctrl-C stops all three.
import { spawn, type ChildProcess } from 'node:child_process'
import { watch } from 'node:fs'
import { join } from 'node:path'
import { buildWidget } from '../widget/build.js'

const root = join(import.meta.dirname, '..')
const children: ChildProcess[] = []

/**
 * Calls `rebuild` once per burst of changes under `dir` (editors write several events per save),
 * never two at a time.
 */
export function rebuildOnChange(dir: string, rebuild: () => Promise<unknown>, log = console.error) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let again = false
  const run = async () => {
    if (running) return void (again = true)
    running = rebuild().then(
      () => log(`rebuilt after a change in ${dir}`),
      (error) => log(`rebuild failed: ${(error as Error).message}`),
    )
    await running
    running = undefined
    if (again) {
      again = false
      void run()
    }
  }
  const watcher = watch(dir, { recursive: true }, () => {
    clearTimeout(timer)
    timer = setTimeout(() => void run(), 50)
  })
  return { close: () => (clearTimeout(timer), watcher.close()), idle: () => running ?? Promise.resolve() }
}

function start(command: string, args: string[]) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
  children.push(child)
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGTERM') {
      console.error(`${args.join(' ')} exited (${code ?? signal}); stopping`)
      stop(1)
    }
  })
}

function stop(code = 0) {
  for (const c of children) if (c.exitCode == null) c.kill('SIGTERM')
  process.exit(code)
}

if (import.meta.url == `file://${process.argv[1]}`) {
  await buildWidget()
  rebuildOnChange(join(root, 'widget/src'), () => buildWidget())
  start(process.execPath, [
    join(root, 'node_modules/vite/bin/vite.js'),
    'build',
    '--watch',
    '--config',
    'dashboard/vite.config.ts',
    '--logLevel',
    'warn',
  ])
  start(process.execPath, [
    join(root, 'node_modules/tsx/dist/cli.mjs'),
    'watch',
    '--clear-screen=false',
    '--exclude',
    'dist/**',
    '--exclude',
    'data/**',
    'worker/entries/node.ts',
  ])
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop(0))
}
