import { chromium, type Browser } from 'playwright-core'
import { CHROMIUM_PATH, ensureChromium } from './chromium.js'

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Debian's Chromium through playwright-core (no downloaded browser). */
export async function launchBrowser(): Promise<Browser> {
  ensureChromium()
  // The launcher script prints a harmless shell warning; the real binary sits beside it on Debian.
  const direct = '/usr/lib/chromium/chromium'
  const { existsSync } = await import('node:fs')
  return chromium.launch({ executablePath: CHROMIUM_PATH === '/usr/bin/chromium' && existsSync(direct) ? direct : CHROMIUM_PATH, args: ARGS })
}
