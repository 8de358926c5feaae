// "Never lose a report", in real Chromium against the real server: offline → online, server
// errors then recovery, a lost acknowledgement, the next page load, refusals, the reverse-proxy
// path, and opt-in error capture. Every case checks the database: exactly one stored report.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { dialog, embed, launcher, newPage, outbox, shot, startHarness, storedReports, type Harness } from './harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h?.close())

async function openAndType(page: Page, message: string) {
  await launcher(page).click()
  await dialog(page).getByLabel('What happened?').fill(message)
}
const send = (page: Page) => dialog(page).getByRole('button', { name: 'Send report' }).click()
const heading = (page: Page) => dialog(page).getByRole('heading').textContent()
/** POST /v1/reports?key=… (the key rides in the URL: no custom header, no preflight). */
const reportsUrl = (url: URL) => url.pathname == '/v1/reports'
const withMessage = async (message: string) => (await storedReports(h.server)).filter((r) => r.message == message)

describe('delivery', () => {
  test('offline → saved on the device → delivered exactly once when the connection is back', async () => {
    const page = await newPage(h.browser)
    await page.goto(h.hosts.page('/offline', { body: embed() }))
    await openAndType(page, 'Offline: the map never loads')
    await page.context().setOffline(true)
    await send(page)
    await expect.poll(() => heading(page)).toBe('Saved — it will be sent automatically')
    expect(await dialog(page).getByRole('status').textContent()).toContain('You’re offline')
    await shot(page, 'offline-saved')
    expect(await outbox(page, h.server.key)).toHaveLength(1)
    expect(await withMessage('Offline: the map never loads')).toHaveLength(0)

    await page.context().setOffline(false) // fires "online": the outbox flushes at once
    await expect.poll(() => heading(page), { timeout: 10_000 }).toBe('Thanks — your report was sent')
    await shot(page, 'offline-delivered')
    expect(await outbox(page, h.server.key)).toHaveLength(0)
    expect(await withMessage('Offline: the map never loads')).toHaveLength(1)
    await page.context().close()
  })

  test('server 500 twice, then recovery: retried with backoff, exactly one stored report', async () => {
    const page = await newPage(h.browser)
    let failures = 0
    const keys = new Set<string>()
    await page.route(reportsUrl, async (route) => {
      if (route.request().method() != 'POST') return route.continue()
      keys.add(route.request().postDataJSON().idempotency_key)
      if (failures++ < 2)
        return route.fulfill({
          status: 500,
          headers: { 'access-control-allow-origin': h.hosts.origin, 'content-type': 'application/json' },
          body: JSON.stringify({ error: { code: 'internal', message: 'boom' } }),
        })
      return route.continue()
    })
    await page.goto(h.hosts.page('/flaky', { body: embed() }))
    await openAndType(page, 'Flaky: search returns nothing')
    await send(page)
    await expect.poll(() => heading(page)).toBe('Saved — it will be sent automatically')
    expect(await dialog(page).getByRole('status').textContent()).toContain('Our server didn’t answer')
    await shot(page, 'server-error-saved')
    // Backoff: ~2 s, then ~4 s; the dialog turns to "sent" when the retry lands.
    await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('Thanks — your report was sent')
    expect(failures).toBe(3)
    expect(keys.size).toBe(1) // every attempt carried the same idempotency key
    const stored = await withMessage('Flaky: search returns nothing')
    expect(stored).toHaveLength(1)
    expect(stored[0].idempotencyKey).toBe([...keys][0])
    expect(await outbox(page, h.server.key)).toHaveLength(0)
    await page.context().close()
  })

  test('a lost acknowledgement (stored, but the answer never arrived) is retried without a second report', async () => {
    const page = await newPage(h.browser)
    let attempts = 0
    await page.route(reportsUrl, async (route) => {
      if (route.request().method() != 'POST' || attempts++ > 0) return route.continue()
      await route.fetch() // the server stores it…
      await route.abort('connectionreset') // …and the browser never hears back
    })
    await page.goto(h.hosts.page('/lost-ack', { body: embed() }))
    await openAndType(page, 'Lost ack: coupon rejected')
    await send(page)
    await expect.poll(() => heading(page)).toBe('Saved — it will be sent automatically')
    expect(await withMessage('Lost ack: coupon rejected')).toHaveLength(1)
    await expect.poll(() => heading(page), { timeout: 15_000 }).toBe('Thanks — your report was sent')
    expect(attempts).toBe(2)
    expect(await withMessage('Lost ack: coupon rejected')).toHaveLength(1)
    await page.context().close()
  })

  test('a report saved offline is delivered on the next page load', async () => {
    const page = await newPage(h.browser)
    const url = h.hosts.page('/next-load', { body: embed() })
    await page.goto(url)
    await openAndType(page, 'Next load: invoice download fails')
    await page.context().setOffline(true)
    await send(page)
    await expect.poll(() => heading(page)).toBe('Saved — it will be sent automatically')
    const context = page.context()
    await page.close() // the customer leaves while still offline
    await context.setOffline(false)
    expect(await withMessage('Next load: invoice download fails')).toHaveLength(0)
    const later = await context.newPage()
    await later.goto(url)
    await expect
      .poll(() => withMessage('Next load: invoice download fails').then((r) => r.length), { timeout: 10_000 })
      .toBe(1)
    await expect.poll(() => outbox(later, h.server.key)).toHaveLength(0)
    await later.reload()
    await later.waitForTimeout(500)
    expect(await withMessage('Next load: invoice download fails')).toHaveLength(1)
    await context.close()
  })

  test('a refusal (4xx) is shown with the server’s reason and not retried', async () => {
    // (A page whose origin is not allowed no longer gets a form at all: honest.browser.test.ts.)
    // Link spam is refused with a reason the customer can act on.
    const page = await newPage(h.browser)
    const errors: unknown[] = []
    await page.exposeFunction('reportError', (d: unknown) => errors.push(d))
    const url = h.hosts.page('/refused', { body: `<script src="/refused-listener.js"></script>` + embed() })
    await page.goto(url)
    const text = 'Refused: ' + Array.from({ length: 6 }, (_, i) => `https://spam${i}.example/`).join(' ')
    await openAndType(page, text)
    await send(page)
    await expect.poll(() => heading(page)).toBe('Your report could not be sent')
    const reason = await dialog(page).getByRole('alert').textContent()
    expect(reason).toContain('The server refused it: Reports may contain at most 5 links')
    await shot(page, 'refused')
    expect(await outbox(page, h.server.key)).toHaveLength(0)
    await expect.poll(() => errors).toEqual([expect.objectContaining({ status: 'refused', code: 'too_many_links' })])
    // "Back to edit" keeps what they wrote.
    await dialog(page).getByRole('button', { name: 'Back to edit' }).click()
    expect(await dialog(page).getByLabel('What happened?').inputValue()).toBe(text)
    expect(await withMessage(text)).toHaveLength(0)
    await page.context().close()
  })

  test('a report is one request: no CORS preflight, the key in the URL, the idempotency key in the body', async () => {
    const page = await newPage(h.browser)
    // Chromium reports preflights only through the DevTools protocol (not as page requests).
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    const seen: { type?: string; url: string; method: string; headers: Record<string, string> }[] = []
    cdp.on('Network.requestWillBeSent', (e) =>
      seen.push({ type: e.type, url: e.request.url, method: e.request.method, headers: e.request.headers }),
    )
    await page.goto(h.hosts.page('/simple-request', { body: embed() }))
    await openAndType(page, 'Simple request: the basket empties itself')
    await send(page)
    await expect.poll(() => heading(page)).toBe('Thanks — your report was sent')
    const toServer = seen.filter((r) => r.url.startsWith(h.server.url))
    expect(toServer.filter((r) => r.type == 'Preflight' || r.method == 'OPTIONS')).toEqual([])
    const post = toServer.find((r) => r.method == 'POST' && new URL(r.url).pathname == '/v1/reports')!
    expect(new URL(post.url).searchParams.get('key')).toBe(h.server.key)
    expect(Object.keys(post.headers).map((k) => k.toLowerCase())).not.toContain('x-earshot-key')
    expect(post.headers['Content-Type'] ?? post.headers['content-type']).toMatch(/^text\/plain/)
    const [stored] = await withMessage('Simple request: the basket empties itself')
    expect(stored.idempotencyKey).toMatch(/.{8,}/)
    await page.context().close()
  })

  test('through a reverse-proxy path on the product’s own domain (same origin, ad-blocker proof)', async () => {
    const page = await newPage(h.browser)
    const seen: string[] = []
    page.on('request', (r) => seen.push(new URL(r.url()).origin))
    await page.goto(h.hosts.page('/proxied', { body: embed({}, { src: '/earshot/widget.js' }) }))
    await openAndType(page, 'Proxied: dark mode toggle resets')
    await send(page)
    await expect.poll(() => heading(page)).toBe('Thanks — your report was sent')
    expect(await withMessage('Proxied: dark mode toggle resets')).toHaveLength(1)
    expect(new Set(seen)).toEqual(new Set([h.hosts.origin])) // nothing went to another origin
    await page.context().close()
  })

  test('opt-in error capture records errors and failed requests without changing what the host sees', async () => {
    const page = await newPage(h.browser)
    const url = h.hosts.page('/capture', {
      body:
        embed({ capture: 'errors', release: 'web@2.0.0' }, { async: false }) + '<script src="/app-errors.js"></script>',
    })
    const sent: any[] = []
    page.on('request', (r) => reportsUrl(new URL(r.url())) && r.method() == 'POST' && sent.push(r.postDataJSON()))
    await page.goto(url + '?session_token=abc123&tab=2')
    await expect
      .poll(() => page.evaluate(() => (window as any).hostSaw))
      .toEqual({ errors: 1, fetchStatus: 404, xhrStatus: 404 })
    await openAndType(page, 'Capture: checkout crashed')
    await send(page)
    await expect.poll(() => heading(page)).toBe('Thanks — your report was sent')
    const [report] = await withMessage('Capture: checkout crashed')
    // The secret never leaves the browser (the server scrubs again on its side).
    expect(sent[0].page_url).toBe(`${h.hosts.origin}/capture?session_token=redacted&tab=2`)
    expect(report.pageUrl).not.toContain('abc123')
    expect(report.release).toBe('web@2.0.0')
    const messages = report.context.errors.map((e: { message: string }) => e.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        'host: could not load recommendations',
        expect.stringContaining('checkout button handler crashed'),
      ]),
    )
    expect(report.context.network).toEqual(
      expect.arrayContaining([
        { method: 'GET', url: `${h.hosts.origin}/missing-endpoint`, status: 404 },
        { method: 'POST', url: `${h.hosts.origin}/also-missing`, status: 404 },
      ]),
    )
    // The widget's own API calls are never listed as the host's failures.
    expect(report.context.network.every((n: { url: string }) => !n.url.startsWith(h.server.url))).toBe(true)
    expect(report.context).toMatchObject({ timezone: expect.any(String), viewport: '1100x720' })
    await page.context().close()
  })
})
