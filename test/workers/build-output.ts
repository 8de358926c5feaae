import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const PUBLIC = join(ROOT, 'dist/public')

const built = () => existsSync(join(PUBLIC, 'widget.js')) && existsSync(join(PUBLIC, 'dashboard/index.html'))

/**
 * The Workers assets directory must hold a real build (`npm test` builds first). When a Workers
 * test file runs on its own, build it here — under a lock, since the files run in parallel.
 */
export function ensureBuilt(): void {
  if (built()) return
  mkdirSync(join(ROOT, 'dist'), { recursive: true })
  execFileSync(
    'flock',
    [
      join(ROOT, 'dist/.build.lock'),
      'sh',
      '-c',
      'test -f dist/public/widget.js && test -f dist/public/dashboard/index.html || npm run build',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  )
  if (!built())
    throw new Error('npm run build did not produce dist/public/widget.js and dist/public/dashboard/index.html')
}
