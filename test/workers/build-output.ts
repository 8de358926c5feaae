import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const PUBLIC = join(ROOT, 'dist/public')

/**
 * The Workers assets directory must hold a real build (`npm test` builds first); when a Workers
 * test file runs on its own, build it here.
 */
export function ensureBuilt(): void {
  if (existsSync(join(PUBLIC, 'widget.js')) && existsSync(join(PUBLIC, 'dashboard/index.html'))) return
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
}
