// Responders see a report's screenshot on the cluster page (issue 14): a thumbnail that opens the
// full image, and "N with screenshot" on the cluster — in real Chromium at desktop and phone sizes.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { launchBrowser, signInToDashboard } from '../support/browser.js'
import { ADMIN_EMAIL, ADMIN_PASSWORD, startServer, type TestServer } from '../support/server.js'
import { clusterOf } from '../support/pipeline.js'

const SHOTS = '/tmp/shots'
let server: TestServer
let browser: Browser
let clusterId = ''
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  server = await startServer()
  browser = await launchBrowser()
  // A real screenshot-sized PNG: a picture of the status page, made by the browser itself.
  const maker = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await maker.goto(`${server.url}/status/demo`)
  const png = await maker.screenshot({ type: 'png' })
  await maker.close()
  for (const [i, image] of [png, undefined].entries()) {
    const form = new FormData()
    form.set(
      'report',
      JSON.stringify({ message: 'Status page shows the wrong colour for Payments', reporter_id: `shot-reporter-${i}` }),
    )
    if (image) form.set('screenshot', new Blob([new Uint8Array(image)], { type: 'image/png' }), 'screen.png')
    const res = await fetch(`${server.url}/v1/reports`, {
      method: 'POST',
      headers: { 'x-earshot-key': server.key, origin: server.url },
      body: form,
    })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    if (image) clusterId = (await clusterOf(server.deps, id))! // the page of the report with the screenshot
  }
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

for (const [name, viewport] of [
  ['desktop', { width: 1440, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const) {
  test(`${name}: the cluster page shows the thumbnail, the count, and the full image on click`, async () => {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' })
    const page = await context.newPage()
    page.setDefaultTimeout(8000) // a missing element fails with its name, not as a test timeout
    await signInToDashboard(page, `${server.url}/dashboard/`, ADMIN_EMAIL, ADMIN_PASSWORD)
    await page.waitForURL((url) => !url.pathname.includes('/login')) // signed in
    await page.goto(`${server.url}/dashboard/clusters/${clusterId}`)
    await expect.poll(() => page.locator('.shot-count').textContent()).toBe('1 with screenshot')
    const thumb = page.getByRole('button', { name: 'Open the customer’s screenshot' })
    expect(await thumb.count()).toBe(1) // the report without one shows none
    await expect
      .poll(() => thumb.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBeGreaterThan(0)
    await page.screenshot({ path: `${SHOTS}/dashboard-screenshot-thumb-${name}.png` })
    await thumb.click()
    const full = page.getByRole('dialog').locator('img.shot-full')
    await expect.poll(() => full.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1280)
    await page.screenshot({ path: `${SHOTS}/dashboard-screenshot-full-${name}.png` })
    await page.getByRole('dialog').getByRole('button', { name: /close/i }).click()
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0)
    await context.close()
  })
}
