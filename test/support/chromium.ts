import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

/**
 * Browser tests never skip silently. Where Chromium is missing on Debian and we are root (CI, a
 * fresh machine) it is installed with apt-get; anywhere else the run fails saying how to get it.
 */
export function ensureChromium(): string {
  const debian =
    existsSync('/etc/debian_version') ||
    /debian/i.test(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')
  const root = process.getuid?.() === 0
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  if (existsSync(CHROMIUM_PATH)) {
    if (debian && root) ensureCjkFont(env)
    return CHROMIUM_PATH
  }
  if (debian && root) {
    console.error('[earshot tests] Chromium is missing: installing it with apt-get (about 20 s)…')
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env })
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium', CJK_FONT_PACKAGE], { stdio: 'inherit', env })
    if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH
  }
  throw new Error(
    `Chromium not found at ${CHROMIUM_PATH}. Install it (Debian/Ubuntu: "sudo apt-get install -y chromium") ` +
      'or point CHROMIUM_PATH at a Chromium/Chrome binary. The browser tests do not skip without it.',
  )
}

const CJK_FONT_PACKAGE = 'fonts-wqy-microhei'
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'

/**
 * Screenshots of the Simplified Chinese widget, status page and e-mails are only worth looking at
 * with a font that has Chinese glyphs (a bare Debian has none: every character is a box). No test
 * depends on the glyphs, so a failed install only warns.
 */
function ensureCjkFont(env: NodeJS.ProcessEnv) {
  if (existsSync(CJK_FONT)) return
  console.error(
    `[earshot tests] no Chinese font: installing ${CJK_FONT_PACKAGE} with apt-get for legible zh-CN screenshots…`,
  )
  const install = () => execFileSync('apt-get', ['install', '-y', '-qq', CJK_FONT_PACKAGE], { stdio: 'inherit', env })
  try {
    try {
      install()
    } catch {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env }) // no package lists yet
      install()
    }
  } catch {
    console.error(
      `[earshot tests] could not install ${CJK_FONT_PACKAGE}: zh-CN screenshots will show boxes instead of characters`,
    )
  }
}
