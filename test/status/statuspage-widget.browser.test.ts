import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { declareIncident } from '../../worker/domain/incidents/incidents.js'
import { createComponent } from '../../worker/domain/incidents/components.js'
import { launchBrowser } from '../support/browser.js'
import { startServer, type TestServer } from '../support/server.js'

// Atlassian's own embeddable status widget (@statuspage/status-widget, the <statuspage-widget>
// web component Statuspage customers put on their sites) pointed at an Earshot status site, in
// Chromium, from another origin: it reads /api/v2/summary.json at the root of the status host and
// must render Earshot's status as it renders a Statuspage page's.

const WIDGET = join(import.meta.dirname, '../../node_modules/@statuspage/status-widget/dist/index.js')
let server: TestServer
let host: Server
let hostOrigin = ''
let browser: Browser

beforeAll(async () => {
  server = await startServer()
  const checkout = await createComponent(server.deps, server.projectId, { name: 'Checkout' })
  await declareIncident(server.deps, {
    projectId: server.projectId,
    title: 'Payments failing',
    impact: 'major',
    message: 'Card payments fail.',
    components: [{ componentId: checkout.id, status: 'partial_outage' }],
  })
  const statusSite = `http://demo.status.localhost:${server.port}`
  host = createServer((req, res) => {
    if (req.url === '/status-widget.js')
      return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(WIDGET))
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><body>
<h1>Acme</h1>
<statuspage-widget id="basic" src="${statusSite}"></statuspage-widget>
<statuspage-widget id="badge" src="${statusSite}" appearance="badge" title="Acme status"></statuspage-widget>
<script src="/status-widget.js"></script>
</body></html>`)
  })
  await new Promise<void>((ok) => host.listen(0, '127.0.0.1', ok))
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await new Promise((ok) => host?.close(ok))
  await server?.close()
})

it("Atlassian's status widget shows an Earshot page's indicator and description, in both appearances", async () => {
  const page = await browser.newPage()
  const failed: string[] = []
  page.on('requestfailed', (r) => failed.push(r.url()))
  // The package's bundle assigns an undeclared `parcelRequire` under "use strict" (its own bug,
  // on any page, whatever the data); everything else must run cleanly.
  page.on('pageerror', (e) => String(e).includes('parcelRequire is not defined') || failed.push(String(e)))
  await page.goto(`${hostOrigin}/`)
  const shadowText = (id: string) =>
    page.evaluate((id) => document.getElementById(id)?.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim() ?? '', id)
  await page.waitForFunction(
    () => document.getElementById('badge')?.shadowRoot?.textContent?.includes('Partial System Outage'),
    undefined,
    { timeout: 20_000 },
  )
  expect(await shadowText('basic')).toContain('Partial System Outage')
  expect(await shadowText('badge')).toContain('Acme status')
  const indicator = await page.evaluate(
    () => document.getElementById('basic')!.shadowRoot!.querySelector('.status-indicator')!.className,
  )
  expect(indicator).toContain('major')
  const link = await page.evaluate(() =>
    document.getElementById('basic')!.shadowRoot!.querySelector('a')!.getAttribute('href'),
  )
  expect(link).toBe(`http://demo.status.localhost:${server.port}`)
  expect(failed).toEqual([])
  await page.close()
}, 60_000)
