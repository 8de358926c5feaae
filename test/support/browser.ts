import { chromium, type Browser, type Page } from 'playwright-core'
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
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  ensureChromium()
  // The launcher script prints a harmless shell warning; the real binary sits beside it on Debian.
  const direct = '/usr/lib/chromium/chromium'
  const { existsSync } = await import('node:fs')
  return chromium.launch({
    executablePath: CHROMIUM_PATH === '/usr/bin/chromium' && existsSync(direct) ? direct : CHROMIUM_PATH,
    args: [...ARGS, ...extraArgs],
  })
}

/** Opens `url` (a dashboard page) and signs in there as the seeded admin; callers wait for what they need next. */
export async function signInToDashboard(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url)
  await page.getByLabel('E-mail').fill(email)
  await page.getByLabel('Password').fill(password)
  // Wait for the session cookie: a goto straight after the click could otherwise abort the sign-in.
  const signedIn = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await signedIn
}
