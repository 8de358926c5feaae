// The widget as customers meet it, in real Chromium on fixture host pages of another origin:
// hostile CSS, a strict CSP, zh-CN, keyboard only, 320 px, dark theme. Screenshots go to
// /tmp/shots/widget-*.png (looked at by a person; the assertions here check what can be checked).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  dialog,
  embed,
  focused,
  launcher,
  newPage,
  shot,
  startHarness,
  storedReports,
  widget,
  type Harness,
} from './harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(() => h?.close())

describe('widget UI', () => {
  test('a hostile global stylesheet cannot reach the widget', async () => {
    const url = h.hosts.page('/hostile', {
      head: '<link rel="stylesheet" href="/hostile.css">',
      body: embed({ release: 'web@1.0.0' }),
    })
    const page = await newPage(h.browser)
    await page.goto(url)
    await launcher(page).waitFor()
    const look = await launcher(page).evaluate((b) => {
      const s = getComputedStyle(b)
      const r = b.getBoundingClientRect()
      return {
        font: s.fontFamily,
        transform: s.textTransform,
        spacing: s.letterSpacing,
        color: s.color,
        height: r.height,
        width: r.width,
        right: innerWidth - r.right,
        bottom: innerHeight - r.bottom,
        visible: s.visibility == 'visible' && s.display != 'none' && s.opacity == '1',
      }
    })
    expect(look.visible).toBe(true)
    expect(look.font).not.toMatch(/comic/i)
    expect(look.transform).toBe('none')
    expect(look.spacing).toBe('normal')
    expect(look.color).toBe('rgb(255, 255, 255)')
    expect(look.height).toBe(44)
    expect(look.width).toBeLessThan(220)
    expect([look.right, look.bottom]).toEqual([20, 20])
    await shot(page, 'hostile-launcher')

    await launcher(page).click()
    const message = dialog(page).getByLabel('What happened?')
    await expect.poll(() => message.evaluate((n) => n === (n.getRootNode() as ShadowRoot).activeElement)).toBe(true)
    const box = await dialog(page).evaluate((d) => {
      const s = getComputedStyle(d)
      return {
        bg: s.backgroundColor,
        display: s.display,
        position: s.position,
        font: s.fontFamily,
        modal: d.matches(':modal'),
      }
    })
    expect(box).toMatchObject({ bg: 'rgb(255, 255, 255)', display: 'block', position: 'fixed', modal: true })
    expect(box.font).not.toMatch(/comic/i)
    await message.fill('Prices show as NaN on the cart page')
    await shot(page, 'hostile-dialog')
    await dialog(page).getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('Thanks — your report was sent')
    const [report] = await storedReports(h.server)
    expect(report).toMatchObject({
      message: 'Prices show as NaN on the cart page',
      release: 'web@1.0.0',
      route: '/hostile',
      source: 'widget',
    })
    await page.context().close()
  })

  test('works under a strict CSP (nonce, no eval, self styles, Trusted Types), queue snippet, own button', async () => {
    const snippet = `<script nonce="n0nce">
      !function(w,n,m){w[n]=w[n]||{q:[]};m.forEach(function(k){w[n][k]=w[n][k]||function(){
        w[n].q.push([k,[].slice.call(arguments)])}})}(window,"Earshot",
        ["init","open","close","identify","setContext","on"]);
      Earshot.identify({ id: 'u_42', email: 'maya@example.com', name: 'Maya Lin' });
      Earshot.setContext({ plan: 'pro' });
      Earshot.on('submitted', function (d) { window.submitted = d.status });
      Earshot.on('open', function () { window.opened = (window.opened || 0) + 1 });
      document.addEventListener('securitypolicyviolation', function (e) {
        (window.violations = window.violations || []).push(e.violatedDirective + ' ' + e.blockedURI)
      });
    </script>`
    const csp = [
      "default-src 'none'",
      "script-src 'nonce-n0nce' {{EARSHOT}}",
      "style-src 'self'",
      'connect-src {{EARSHOT}}',
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "require-trusted-types-for 'script'",
      'trusted-types earshot',
    ].join('; ')
    const url = h.hosts.page('/csp', {
      head: snippet,
      body: embed({ attach: '#help' }),
      headers: { 'content-security-policy': csp.replaceAll('{{EARSHOT}}', h.server.url) },
    })
    const page = await newPage(h.browser)
    const refused: string[] = []
    page.on('console', (m) => /Content Security Policy|Trusted Type/i.test(m.text()) && refused.push(m.text()))
    await page.goto(url)
    await widget(page).waitFor({ state: 'attached' })
    // data-attach without a position: the product's own button opens it, no floating launcher.
    await expect.poll(() => launcher(page).isVisible()).toBe(false)
    await page.click('#help')
    const message = dialog(page).getByLabel('What happened?')
    await message.waitFor()
    expect(await dialog(page).getByLabel('Email (optional)').inputValue()).toBe('maya@example.com')
    await message.fill('Export button does nothing')
    await shot(page, 'csp-dialog')
    await dialog(page).getByRole('button', { name: 'Send report' }).click()
    await expect.poll(() => page.evaluate(() => (window as any).submitted)).toBe('sent')
    await dialog(page).getByRole('button', { name: 'Done' }).click()
    // Focus goes back to the product's own button that opened the dialog.
    await expect.poll(() => focused(page)).toBe('button#help.own')
    expect(await page.evaluate(() => (window as any).opened)).toBe(1)
    expect(await page.evaluate(() => (window as any).violations || [])).toEqual([])
    expect(refused).toEqual([])
    const report = (await storedReports(h.server)).find((r) => r.message == 'Export button does nothing')!
    expect(report.context.user).toEqual({ id: 'u_42', email: 'maya@example.com', name: 'Maya Lin' })
    expect(report.context.custom).toEqual({ plan: 'pro' })
    expect(report.email).toBe('maya@example.com')
    await page.context().close()
  })

  test('speaks Simplified Chinese when the browser does', async () => {
    const url = h.hosts.page('/zh/orders/10482', { body: embed() })
    const page = await newPage(h.browser, { locale: 'zh-CN' })
    await page.goto(url)
    await expect.poll(() => launcher(page).textContent()).toBe('报告问题')
    await launcher(page).click()
    await dialog(page).getByLabel('发生了什么？').fill('付款页面一直在加载，无法完成订单')
    await dialog(page).getByText('速度很慢').click()
    await shot(page, 'zh-form')
    await dialog(page).getByRole('button', { name: '发送报告' }).click()
    await expect.poll(() => dialog(page).getByRole('heading').textContent()).toBe('谢谢，报告已发送')
    await shot(page, 'zh-sent')
    const report = (await storedReports(h.server)).find((r) => r.message.startsWith('付款页面'))!
    expect(report).toMatchObject({ locale: 'zh-CN', category: 'slow', route: '/zh/orders/:id' })
    await page.context().close()
  })

  test('works by keyboard alone: focus goes in, is trapped, Esc closes, focus returns, errors announced', async () => {
    const url = h.hosts.page('/keyboard', { body: embed() })
    const page = await newPage(h.browser)
    await page.goto(url)
    await launcher(page).waitFor()
    for (let i = 0; i < 12 && (await focused(page)) != 'widget:button.l'; i++) await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('widget:button.l')
    await shot(page, 'keyboard-launcher-focus')
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('false')

    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('widget:dialog:textarea#es-message')
    expect(await launcher(page).getAttribute('aria-expanded')).toBe('true')
    // Every control has an accessible name.
    const d = dialog(page)
    expect(await widget(page).getByRole('dialog', { name: 'Report an issue' }).count()).toBe(1)
    for (const name of ['Close', 'Cancel', 'Send report', 'Attach a screenshot (optional)'])
      expect(await d.getByRole('button', { name }).count()).toBe(1)
    for (const name of ['Something’s broken', 'It’s slow', 'Looks wrong', 'Something else'])
      expect(await d.getByRole('radio', { name }).count()).toBe(1)
    expect(await d.getByRole('textbox', { name: 'What happened?' }).count()).toBe(1)
    expect(await d.getByRole('textbox', { name: 'Email (optional)' }).count()).toBe(1)

    // Sending nothing: the error is announced (role=alert), tied to the field, and focus goes there.
    // (textarea → "Attach a screenshot" → e-mail → Cancel → Send)
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('widget:dialog:button.btn.pri')
    await page.keyboard.press('Enter')
    const alert = d.getByRole('alert')
    await expect.poll(() => alert.textContent()).toBe('Please describe what happened.')
    await expect.poll(() => focused(page)).toBe('widget:dialog:textarea#es-message')
    expect(await d.getByRole('textbox', { name: 'What happened?' }).getAttribute('aria-invalid')).toBe('true')
    expect(await d.getByRole('textbox', { name: 'What happened?' }).getAttribute('aria-describedby')).toBe(
      'es-message-note',
    )
    await shot(page, 'keyboard-error')

    // Tab and Shift+Tab never leave the dialog.
    const seen = new Set<string>()
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Tab')
      seen.add(await focused(page))
    }
    for (let i = 0; i < 14; i++) {
      await page.keyboard.press('Shift+Tab')
      seen.add(await focused(page))
    }
    expect([...seen].every((f) => f.startsWith('widget:dialog:'))).toBe(true)
    expect(seen).toContain('widget:dialog:button.x')
    expect(seen).toContain('widget:dialog:input#es-email')

    // Esc closes and gives focus back to the launcher; the draft survives.
    await page.keyboard.press('Escape')
    await expect.poll(() => dialog(page).isVisible()).toBe(false)
    await expect.poll(() => focused(page)).toBe('widget:button.l')
    await expect.poll(() => launcher(page).getAttribute('aria-expanded')).toBe('false')

    await page.keyboard.press('Enter')
    await expect.poll(() => focused(page)).toBe('widget:dialog:textarea#es-message')
    // Esc and straight back in: the late "close" event of the first must not shut the second.
    await page.keyboard.press('Escape')
    await page.keyboard.press('Enter')
    await page.waitForTimeout(300)
    expect(await dialog(page).isVisible()).toBe(true)
    await expect.poll(() => focused(page)).toBe('widget:dialog:textarea#es-message')
    await page.keyboard.type('Keyboard user: search results never load')
    // Radio chips: arrow keys pick a category.
    await page.keyboard.press('Shift+Tab')
    await page.keyboard.press('ArrowLeft') // from the last chip, "Something else", to "Looks wrong"
    await page.keyboard.press('Tab') // the message
    await page.keyboard.press('Tab') // "Attach a screenshot"
    await page.keyboard.press('Tab') // the e-mail
    await page.keyboard.type('kb@example.com')
    await page.keyboard.press('Enter') // submits the form
    await expect.poll(() => focused(page)).toBe('widget:dialog:h2#es-title')
    expect(await d.getByRole('heading').textContent()).toBe('Thanks — your report was sent')
    await shot(page, 'keyboard-sent')
    await page.keyboard.press('Escape')
    await expect.poll(() => focused(page)).toBe('widget:button.l')
    const report = (await storedReports(h.server)).find((r) => r.message.startsWith('Keyboard user'))!
    expect(report).toMatchObject({ email: 'kb@example.com', category: 'looks' })
    await page.context().close()
  })

  for (const width of [320, 375])
    test(`fits a ${width} px phone`, async () => {
      const url = h.hosts.page('/mobile', { body: embed() })
      const page = await newPage(h.browser, {
        viewport: { width, height: 640 },
        isMobile: true,
        hasTouch: true,
        deviceScaleFactor: 2,
      })
      await page.goto(url)
      await launcher(page).waitFor()
      const b = (await launcher(page).boundingBox())!
      expect(b.x).toBeGreaterThanOrEqual(0)
      expect(b.x + b.width).toBeLessThanOrEqual(width)
      await launcher(page).tap()
      await dialog(page).getByLabel('What happened?').waitFor()
      const fit = await dialog(page).evaluate((d) => {
        const r = d.getBoundingClientRect()
        const buttons = [...d.querySelectorAll('.acts .btn')].map((x) => x.getBoundingClientRect().width)
        return { left: r.left, right: r.right, overflow: d.scrollWidth - d.clientWidth, buttons, inner: d.clientWidth }
      })
      expect(fit.left).toBeGreaterThanOrEqual(0)
      expect(fit.right).toBeLessThanOrEqual(width)
      expect(fit.overflow).toBe(0)
      // Narrow screens stack the actions full width: big touch targets.
      for (const w of fit.buttons) expect(w).toBeGreaterThan(fit.inner - 40)
      await shot(page, `mobile-${width}`)
      await page.context().close()
    })

  test('dark theme, and "system" follows the OS setting', async () => {
    const url = h.hosts.page('/dark', { body: embed({ theme: 'dark' }) })
    const page = await newPage(h.browser)
    await page.goto(url)
    await launcher(page).click()
    await dialog(page).getByLabel('What happened?').fill('The invoice PDF is blank')
    const bg = await dialog(page).evaluate((d) => getComputedStyle(d).backgroundColor)
    expect(bg).toBe('rgb(23, 25, 30)')
    await shot(page, 'dark-dialog')
    await page.context().close()

    const systemUrl = h.hosts.page('/system', {
      body: embed({ theme: 'system', accent: '#0f766e', label: 'Feedback' }),
    })
    const dark = await newPage(h.browser, { colorScheme: 'dark' })
    await dark.goto(systemUrl)
    await expect.poll(() => launcher(dark).textContent()).toBe('Feedback')
    expect(await launcher(dark).evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(15, 118, 110)')
    await launcher(dark).click()
    await dialog(dark).getByLabel('What happened?').waitFor()
    expect(await dialog(dark).evaluate((d) => getComputedStyle(d).backgroundColor)).toBe('rgb(23, 25, 30)')
    await dark.emulateMedia({ colorScheme: 'light' })
    await expect
      .poll(() => dialog(dark).evaluate((d) => getComputedStyle(d).backgroundColor))
      .toBe('rgb(255, 255, 255)')
    await dark.context().close()
  })

  test('positions: each corner, and Earshot.open() pre-fills a message', async () => {
    const url = h.hosts.page('/top-left', { body: embed({ position: 'top-left' }) })
    const page = await newPage(h.browser)
    await page.goto(url)
    await launcher(page).waitFor()
    const b = (await launcher(page).boundingBox())!
    expect([b.x, b.y]).toEqual([20, 20])
    await page.evaluate(() => (window as any).Earshot.open({ message: 'Pre-filled from the product' }))
    await expect.poll(() => dialog(page).getByLabel('What happened?').inputValue()).toBe('Pre-filled from the product')
    // close() then open() in one go: the native "close" event of the first arrives after the
    // second has opened the dialog again, and must not shut it.
    await page.evaluate(() => {
      ;(window as any).Earshot.close()
      ;(window as any).Earshot.open()
    })
    await page.waitForTimeout(300)
    expect(await dialog(page).isVisible()).toBe(true)
    await page.evaluate(() => (window as any).Earshot.close())
    await expect.poll(() => dialog(page).isVisible()).toBe(false)
    await page.context().close()
  })
})

describe('ES module build', () => {
  test('import { init, open, identify, on } from the npm build works without a script tag', async () => {
    const module = `<script type="module">
      import { init, open, identify, on } from '/npm/widget.js'
      on('submitted', (d) => (window.submitted = d.status))
      init({
        key: '{{KEY}}', api: '{{EARSHOT}}', release: 'spa@3.1.0', position: 'bottom-left',
        strings: { launcher: 'Feedback', title: 'Tell us what broke', send: 'Send it' },
      })
      identify({ id: 'u_7' })
      window.openWidget = () => open({ message: 'From the ES module' })
    </script>`
    const page = await newPage(h.browser)
    await page.goto(h.hosts.page('/esm', { body: module }))
    await launcher(page).waitFor()
    expect((await launcher(page).boundingBox())!.x).toBe(20) // bottom-left
    expect(await launcher(page).textContent()).toBe('Feedback') // every string can be overridden
    await page.evaluate(() => (window as any).openWidget())
    expect(await dialog(page).getByRole('heading').textContent()).toBe('Tell us what broke')
    await dialog(page).getByRole('button', { name: 'Send it' }).click()
    await expect.poll(() => page.evaluate(() => (window as any).submitted)).toBe('sent')
    const report = (await storedReports(h.server)).find((r) => r.message == 'From the ES module')!
    expect(report).toMatchObject({ release: 'spa@3.1.0', context: expect.objectContaining({ user: { id: 'u_7' } }) })
    await page.context().close()
  })
})
