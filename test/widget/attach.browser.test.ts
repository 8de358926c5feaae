// Screenshots in the report dialog (issue 14), in real Chromium against the real server: capture
// this tab (desktop) or pick an image (phone, the only path there), draw a box that blacks out or
// highlights a region, send it with the report, and keep it through an offline queue — delivered
// exactly once — or tell the customer when this device cannot keep it.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { attachments } from '../../worker/db/schema/index'
import {
  dialog,
  embed,
  launcher,
  newPage,
  outbox,
  shot,
  startHarness,
  storedReports,
  widget,
  type Harness,
} from './harness'

let h: Harness
beforeAll(async () => {
  // Chromium accepts "share this tab" on its own (no picker in a headless test).
  h = await startHarness({ browserArgs: ['--auto-accept-this-tab-capture'] })
})
afterAll(() => h?.close())

const DESKTOP = { viewport: { width: 1440, height: 900 } }
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }

async function attachmentOf(reportId: string) {
  return h.server.db.orm.select().from(attachments).where(eq(attachments.reportId, reportId)).get()
}

/** The stored image's pixel at (x, y) in its own coordinates, decoded by the browser. */
async function storedPixel(page: Page, storageKey: string, x: number, y: number) {
  const b64 = readFileSync(join(h.server.attachmentsDir, storageKey)).toString('base64')
  return page.evaluate(
    async ({ b64, x, y }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      const bitmap = await createImageBitmap(new Blob([bytes]))
      const c = new OffscreenCanvas(bitmap.width, bitmap.height)
      const ctx = c.getContext('2d')!
      ctx.drawImage(bitmap, 0, 0)
      return { size: [bitmap.width, bitmap.height], rgb: [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)] }
    },
    { b64, x, y },
  )
}

/** Drags a box on the screenshot canvas from (fx0, fy0) to (fx1, fy1), as fractions of its size. */
async function dragBox(page: Page, fx0: number, fy0: number, fx1: number, fy1: number) {
  const box = (await widget(page).locator('canvas.shot').boundingBox())!
  await page.mouse.move(box.x + box.width * fx0, box.y + box.height * fy0)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * ((fx0 + fx1) / 2), box.y + box.height * ((fy0 + fy1) / 2), { steps: 4 })
  await page.mouse.move(box.x + box.width * fx1, box.y + box.height * fy1, { steps: 4 })
  await page.mouse.up()
}

/** An image file the customer might pick: a real PNG of a page, made by the browser. */
async function pngOfPage(page: Page): Promise<Buffer> {
  return page.screenshot({ type: 'png' })
}

describe('attaching a screenshot', () => {
  test('desktop: capture this tab, black out a region, send — the server stores the edited image', async () => {
    const page = await newPage(h.browser, DESKTOP)
    await page.goto(h.hosts.page('/attach-desktop', { body: embed() }))
    await launcher(page).click()
    const d = dialog(page)
    await d.getByLabel('What happened?').fill('The order total is wrong after applying a coupon')
    await d.getByRole('button', { name: 'Attach a screenshot (optional)' }).click()
    const canvas = widget(page).locator('canvas.shot')
    await canvas.waitFor()
    // One frame of this very tab, downscaled to ≤ 1,920 px, and the capture stream is stopped at once.
    const size = await canvas.evaluate((c: HTMLCanvasElement) => [c.width, c.height])
    expect(Math.max(...size)).toBeLessThanOrEqual(1920)
    expect(size[0]).toBeGreaterThan(0)
    // The image is of the page, not of our widget: where the launcher sits, the page shows through.
    const box = (await launcher(page).boundingBox())!
    const at = [(box.x + box.width / 2) / 1440, (box.y + box.height * 0.2) / 900] // above its label
    const [underLauncher, launcherColour] = await canvas.evaluate((c: HTMLCanvasElement, [fx, fy]) => {
      const px = c.getContext('2d')!.getImageData(Math.round(fx! * c.width), Math.round(fy! * c.height), 1, 1).data
      const bg = getComputedStyle((c.getRootNode() as ShadowRoot).querySelector('button.l')!).backgroundColor
      return [[px[0], px[1], px[2]], bg.match(/\d+/g)!.slice(0, 3).map(Number)]
    }, at)
    const distance = Math.hypot(...underLauncher!.map((v, i) => v! - launcherColour![i]!))
    expect(distance, `pixel ${underLauncher} vs launcher ${launcherColour}`).toBeGreaterThan(60)
    await shot(page, 'attach-desktop-captured')

    await d.getByRole('button', { name: 'Black out' }).click()
    expect(await d.getByRole('button', { name: 'Black out' }).getAttribute('aria-pressed')).toBe('true')
    await dragBox(page, 0.1, 0.1, 0.5, 0.4)
    await shot(page, 'attach-desktop-blacked-out')
    await d.getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — your report was sent')

    const [report] = (await storedReports(h.server)).filter((r) => r.message.startsWith('The order total'))
    const stored = (await attachmentOf(report!.id))!
    expect(stored.contentType).toBe('image/png')
    expect(stored.size).toBeLessThanOrEqual(2 * 1024 * 1024)
    // The blacked-out region is black in what the server keeps; outside it, the page shows.
    const inside = await storedPixel(page, stored.storageKey, Math.round(size[0]! * 0.3), Math.round(size[1]! * 0.25))
    expect(inside.size).toEqual(size)
    expect(inside.rgb).toEqual([0, 0, 0])
    const outside = await storedPixel(page, stored.storageKey, Math.round(size[0]! * 0.8), Math.round(size[1]! * 0.8))
    expect(outside.rgb).not.toEqual([0, 0, 0])
    // The next report starts without the image.
    await dialog(page).getByRole('button', { name: 'Done' }).click()
    await launcher(page).click()
    expect(await widget(page).locator('canvas.shot').count()).toBe(0)
    await page.context().close()
  })

  test('phone: the file picker is the only path; highlight a region, remove and re-add, send', async () => {
    const page = await newPage(h.browser, PHONE)
    await page.goto(h.hosts.page('/attach-phone', { body: embed() }))
    const picture = await pngOfPage(page) // 780×1688: gets downscaled to ≤ 1,920 on its longest side
    await launcher(page).click()
    const d = dialog(page)
    await d.getByLabel('What happened?').fill('Cannot scroll the order list on my phone')
    const chooser = page.waitForEvent('filechooser')
    await d.getByRole('button', { name: 'Attach a screenshot (optional)' }).click()
    await (await chooser).setFiles({ name: 'screen.png', mimeType: 'image/png', buffer: picture })
    await widget(page).locator('canvas.shot').waitFor()
    expect(await d.getByRole('button', { name: 'Capture this page' }).count()).toBe(0) // no tab capture on a phone

    // Remove, then choose again: the picker is still there.
    await d.getByRole('button', { name: 'Remove screenshot' }).click()
    expect(await widget(page).locator('canvas.shot').count()).toBe(0)
    const again = page.waitForEvent('filechooser')
    await d.getByRole('button', { name: 'Choose an image' }).click()
    await (await again).setFiles({ name: 'screen.png', mimeType: 'image/png', buffer: picture })
    await widget(page).locator('canvas.shot').waitFor()
    expect(await d.getByRole('button', { name: 'Highlight' }).getAttribute('aria-pressed')).toBe('true')
    await dragBox(page, 0.2, 0.2, 0.8, 0.5)
    await shot(page, 'attach-phone-highlighted')
    await d.getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — your report was sent')
    await shot(page, 'attach-phone-sent')
    const [report] = (await storedReports(h.server)).filter((r) => r.message.startsWith('Cannot scroll'))
    const stored = (await attachmentOf(report!.id))!
    const px = await storedPixel(page, stored.storageKey, 10, 10)
    expect(px.size).toEqual([780, 1688])
    await page.context().close()
  })

  for (const [name, device] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    test(`zh-CN (${name}): the screenshot tools speak Simplified Chinese, and the image is sent`, async () => {
      const page = await newPage(h.browser, { ...device, locale: 'zh-CN' })
      await page.goto(h.hosts.page(`/attach-zh-${name}`, { body: embed({ locale: 'zh-CN' }) }))
      const picture = await pngOfPage(page)
      await launcher(page).click()
      const d = dialog(page)
      await d.getByLabel('发生了什么？').fill(`优惠券用了以后总价不对（${name}）`)
      if (name === 'desktop') {
        // Desktop Chromium captures this tab; the picker stays offered beside "capture again".
        await d.getByRole('button', { name: '添加截图（可选）' }).click()
      } else {
        const chooser = page.waitForEvent('filechooser')
        await d.getByRole('button', { name: '添加截图（可选）' }).click()
        await (await chooser).setFiles({ name: 'screen.png', mimeType: 'image/png', buffer: picture })
      }
      await widget(page).locator('canvas.shot').waitFor()
      expect(await widget(page).locator('canvas.shot').getAttribute('aria-label')).toBe('您的截图')
      for (const label of ['标出重点', '涂黑遮挡', '移除截图'])
        expect(await d.getByRole('button', { name: label }).count(), label).toBe(1)
      expect(await d.innerText()).toContain('在截图上拖动，可以标出重点或涂黑隐私信息。')
      expect(await d.innerText()).not.toMatch(/Screenshot|Highlight|Black out|Remove/)
      await d.getByRole('button', { name: '涂黑遮挡' }).click()
      await dragBox(page, 0.1, 0.1, 0.4, 0.3)
      await shot(page, `attach-zh-${name}`)
      await d.getByRole('button', { name: '发送报告' }).click()
      await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('谢谢，报告已发送')
      const [report] = (await storedReports(h.server)).filter((r) => r.message === `优惠券用了以后总价不对（${name}）`)
      expect(report!.locale).toBe('zh-CN')
      expect(await attachmentOf(report!.id)).toMatchObject({
        contentType: expect.stringMatching(/^image\/(png|jpeg)$/),
      })
      await page.context().close()
    })
  }

  test('an SVG or other non-image file is refused in the browser with a message', async () => {
    const page = await newPage(h.browser, PHONE)
    await page.goto(h.hosts.page('/attach-svg', { body: embed() }))
    await launcher(page).click()
    const chooser = page.waitForEvent('filechooser')
    await dialog(page).getByRole('button', { name: 'Attach a screenshot (optional)' }).click()
    await (await chooser).setFiles({
      name: 'x.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    })
    await expect
      .poll(() => dialog(page).getByRole('alert').textContent())
      .toBe('Please choose a PNG, JPEG or WebP image.')
    await page.context().close()
  })

  test('offline: the queued report keeps its image (IndexedDB) and is delivered once on the next visit', async () => {
    const context = await h.browser.newContext({ ...PHONE, reducedMotion: 'reduce' })
    const page = await context.newPage()
    const url = h.hosts.page('/attach-offline', { body: embed() })
    await page.goto(url)
    const picture = await pngOfPage(page)
    await launcher(page).click()
    const d = dialog(page)
    await d.getByLabel('What happened?').fill('Offline with a screenshot: invoice PDF is blank')
    const chooser = page.waitForEvent('filechooser')
    await d.getByRole('button', { name: 'Attach a screenshot (optional)' }).click()
    await (await chooser).setFiles({ name: 'invoice.png', mimeType: 'image/png', buffer: picture })
    await widget(page).locator('canvas.shot').waitFor()
    await context.setOffline(true)
    await d.getByRole('button', { name: 'Send report' }).click()
    await expect
      .poll(() => dialog(page).getByRole('heading').textContent())
      .toBe('Saved — it will be sent automatically')
    await shot(page, 'attach-offline-queued')
    const queued = (await outbox(page, h.server.key)) as { k: string; a?: number }[]
    expect(queued).toHaveLength(1)
    expect(queued[0]!.a).toBe(1)
    const inDb = await page.evaluate(
      (k) =>
        new Promise<number>((ok) => {
          const r = indexedDB.open('earshot')
          r.onsuccess = () => {
            const g = r.result.transaction('img').objectStore('img').get(k)
            g.onsuccess = () => ok((g.result as Blob)?.size ?? 0)
          }
        }),
      queued[0]!.k,
    )
    expect(inDb).toBeGreaterThan(0)
    await page.close()

    // The next visit, online: the outbox sends it, with its image, once.
    await context.setOffline(false)
    const next = await context.newPage()
    await next.goto(url)
    await expect
      .poll(
        async () =>
          (await storedReports(h.server)).filter((r) => r.message.startsWith('Offline with a screenshot')).length,
        { timeout: 15_000 },
      )
      .toBe(1)
    await expect.poll(() => outbox(next, h.server.key)).toEqual([])
    const [report] = (await storedReports(h.server)).filter((r) => r.message.startsWith('Offline with a screenshot'))
    expect(await attachmentOf(report!.id)).toMatchObject({ contentType: 'image/png' })
    const left = await next.evaluate(
      () =>
        new Promise<number>((ok) => {
          const r = indexedDB.open('earshot')
          r.onsuccess = () => {
            const c = r.result.transaction('img').objectStore('img').count()
            c.onsuccess = () => ok(c.result)
          }
        }),
    )
    expect(left).toBe(0) // the copy on the device is gone once delivered
    await next.reload() // and nothing is sent again
    await launcher(next).waitFor()
    expect(
      (await storedReports(h.server)).filter((r) => r.message.startsWith('Offline with a screenshot')),
    ).toHaveLength(1)
    await context.close()
  })

  test('when the device refuses to store the image, a queued report says the screenshot waits in-page', async () => {
    const context = await h.browser.newContext({ ...PHONE, reducedMotion: 'reduce' })
    await context.addInitScript(() => {
      // A browser whose storage refuses (private mode, quota, policy).
      IDBFactory.prototype.open = () => {
        throw new DOMException('refused', 'SecurityError')
      }
    })
    const page = await context.newPage()
    await page.goto(h.hosts.page('/attach-no-idb', { body: embed() }))
    const picture = await pngOfPage(page)
    await launcher(page).click()
    const d = dialog(page)
    await d.getByLabel('What happened?').fill('No storage here and no network either')
    const chooser = page.waitForEvent('filechooser')
    await d.getByRole('button', { name: 'Attach a screenshot (optional)' }).click()
    await (await chooser).setFiles({ name: 'a.png', mimeType: 'image/png', buffer: picture })
    await widget(page).locator('canvas.shot').waitFor()
    await context.setOffline(true)
    await d.getByRole('button', { name: 'Send report' }).click()
    await expect
      .poll(() => dialog(page).getByRole('status').textContent())
      .toContain('The screenshot could not be saved on this device: it is only sent if this page stays open.')
    await shot(page, 'attach-no-storage')
    // Still on this page: back online, it goes with its image.
    await context.setOffline(false)
    await expect
      .poll(async () => (await storedReports(h.server)).filter((r) => r.message.startsWith('No storage here')).length, {
        timeout: 15_000,
      })
      .toBe(1)
    const [report] = (await storedReports(h.server)).filter((r) => r.message.startsWith('No storage here'))
    expect(await attachmentOf(report!.id)).toMatchObject({ contentType: 'image/png' })
    await context.close()
  })
})

test('the stored files are exactly the attachments the database knows', async () => {
  const rows = await h.server.db.orm.select().from(attachments).all()
  const files = readdirSync(h.server.attachmentsDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile())
  expect(files.map((f) => f.name).sort()).toEqual(rows.map((r) => r.storageKey.split('/')[1]).sort())
})
