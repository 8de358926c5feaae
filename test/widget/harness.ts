// Shared set-up for the widget's browser tests: the real Earshot server (fresh libSQL), a second
// origin serving the fixture host pages, Debian's Chromium, and small helpers to look inside.
import { mkdirSync } from 'node:fs'
import { eq } from 'drizzle-orm'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { startServer, type TestServer } from '../support/server'
import { launchBrowser } from '../support/browser'
import { reports } from '../../worker/db/schema/core'
import { startHostServer } from './hosts'

export const SHOTS = '/tmp/shots'

export async function startHarness(opts: { browserArgs?: string[] } = {}) {
  mkdirSync(SHOTS, { recursive: true })
  const hosts = await startHostServer()
  const server = await startServer({ extraOrigins: [hosts.origin] })
  hosts.connect(server.url, server.key)
  const browser = await launchBrowser(opts.browserArgs)
  return {
    hosts,
    server,
    browser,
    async close() {
      await browser.close()
      await server.close()
      await hosts.close()
    },
  }
}
export type Harness = Awaited<ReturnType<typeof startHarness>>

/** The script tag exactly as the README shows it, plus data-* options. */
export function embed(attrs: Record<string, string> = {}, { async = true, src = '{{EARSHOT}}/widget.js' } = {}) {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${v}"`)
    .join('')
  return `<script src="${src}" data-key="{{KEY}}"${extra}${async ? ' async' : ''}></script>`
}

export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  // reducedMotion: screenshots show the settled state, not a frame of an animation.
  const context = await browser.newContext({
    viewport: { width: 1100, height: 720 },
    reducedMotion: 'reduce',
    ...options,
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('[host page error]', error.message))
  return page
}

export const widget = (page: Page) => page.locator('earshot-widget')
export const launcher = (page: Page) => widget(page).locator('button.l')
export const dialog = (page: Page) => widget(page).getByRole('dialog')

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SHOTS}/widget-${name}.png` })
}

/** Reports stored for the demo project, oldest first. */
export async function storedReports(server: TestServer) {
  const rows = await server.db.orm.select().from(reports).where(eq(reports.projectId, server.projectId)).all()
  return rows.sort((a, b) => a.createdAt - b.createdAt).map((r) => ({ ...r, context: JSON.parse(r.context) }))
}

/** What the outbox still holds in this page's localStorage. */
export async function outbox(page: Page, key: string): Promise<unknown[]> {
  return page.evaluate((k) => JSON.parse(localStorage.getItem('earshot:outbox:' + k) || '[]'), key)
}

/** The element focused right now, looking through shadow roots: "tag#id.class" or a marker. */
export async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let node = document.activeElement
    let inWidget = false
    while (node?.shadowRoot?.activeElement) {
      inWidget ||= node.tagName == 'EARSHOT-WIDGET'
      node = node.shadowRoot.activeElement
    }
    if (!node) return 'none'
    const inDialog = !!node.closest?.('dialog')
    const id = node.id ? '#' + node.id : ''
    const classes = node.className && typeof node.className == 'string' ? '.' + node.className.split(' ').join('.') : ''
    return `${inWidget ? 'widget:' : ''}${inDialog ? 'dialog:' : ''}${node.tagName.toLowerCase()}${id}${classes}`
  })
}
