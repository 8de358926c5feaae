import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Browser tests never skip silently. Where Chromium is missing on Debian and we are root (CI, a
 * fresh machine) it is installed with apt-get; anywhere else the run fails saying how to get it.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  const debian = existsSync('/etc/debian_version') || /debian/i.test(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')
  const root = process.getuid?.() === 0
  if (debian && root) {
    console.error('[earshot tests] Chromium is missing: installing it with apt-get (about 20 s)…')
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env })
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  }
  throw new Error(
    `Chromium not found at ${CHROMIUM_PATH}. Install it (Debian/Ubuntu: "sudo apt-get install -y chromium") ` +
      'or point CHROMIUM_PATH at a Chromium/Chrome binary. The browser tests do not skip without it.',
  )
}
