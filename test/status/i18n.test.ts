import { and, eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { outbox, subscribers } from '../../worker/db/schema/index.js'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { en } from '../../worker/domain/incidents/i18n/en.js'
import { fromAcceptLanguage, pickLang } from '../../worker/domain/incidents/i18n/index.js'
import { zhCN } from '../../worker/domain/incidents/i18n/zh-CN.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'
import { api, signIn } from './support.js'

// The status page, its e-mails and feeds in English and Simplified Chinese: which language a
// request gets, that both catalogues are complete, and that each channel uses it.

describe('message catalogues', () => {
  /** Every key path with the kind of its value (string / function / object). */
  const shape = (o: Record<string, unknown>, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      v && typeof v === 'object'
        ? shape(v as Record<string, unknown>, `${prefix}${k}.`)
        : [`${prefix}${k}:${typeof v}`],
    )
  it('have the same keys, each of the same kind, and no text left empty or in English in the Chinese one', () => {
    expect(shape(zhCN).sort()).toEqual(shape(en).sort())
    const texts = (o: Record<string, unknown>): string[] =>
      Object.values(o).flatMap((v) =>
        typeof v === 'string' ? [v] : v && typeof v === 'object' ? texts(v as Record<string, unknown>) : [],
      )
    for (const s of texts(zhCN)) expect(s.trim(), s).not.toBe('')
    // Every Chinese text but the few that are names (Atom, RSS) holds Chinese characters.
    const zhOnly = texts(zhCN).filter((s) => !/[\u4e00-\u9fff]/.test(s))
    expect(zhOnly).toEqual([])
    expect(zhCN.time(Date.UTC(2026, 11, 4, 6, 5))).toBe('12月4日 06:05 UTC')
    expect(en.time(Date.UTC(2026, 11, 4, 6, 5))).toBe('Dec 4, 06:05 UTC')
  })
})

describe('choosing the language', () => {
  it('?lang= first, then the remembered choice, Accept-Language (by q), the project default, English', () => {
    expect(pickLang({ query: 'zh-CN', cookie: 'en', acceptLanguage: 'en' })).toBe('zh-CN')
    expect(pickLang({ cookie: 'zh-CN', acceptLanguage: 'en-US,en;q=0.9' })).toBe('zh-CN')
    expect(pickLang({ acceptLanguage: 'fr-FR,zh;q=0.8,en;q=0.5' })).toBe('zh-CN')
    expect(pickLang({ acceptLanguage: 'de-DE,de;q=0.9', projectDefault: 'zh-CN' })).toBe('zh-CN')
    expect(pickLang({ acceptLanguage: 'en-GB', projectDefault: 'zh-CN' })).toBe('en')
    expect(pickLang({ query: 'xx', cookie: 'klingon', acceptLanguage: '' })).toBe('en')
    // Traditional Chinese is not Simplified Chinese.
    expect(fromAcceptLanguage('zh-TW,zh-Hant;q=0.9')).toBeUndefined()
    expect(fromAcceptLanguage('zh-Hans-CN')).toBe('zh-CN')
  })
})

describe('status site in both languages', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(() => t.close())
  const page = (path: string, headers: Record<string, string> = {}) =>
    t.app.request(path, { headers: { accept: 'text/html', ...headers } })

  it('renders from Accept-Language, switches with ?lang= (kept in a cookie), tells caches it varies', async () => {
    await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Checkout errors',
      impact: 'major',
      message: 'Payments fail.',
    })
    const zh = await page('/status/demo', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' })
    const zhHtml = await zh.text()
    expect(zhHtml).toContain('<html lang="zh-CN">')
    expect(zhHtml).toContain('进行中的事件')
    expect(zhHtml).toContain('调查中')
    expect(zhHtml).toContain('Checkout errors')
    expect(zhHtml).not.toContain('Active incidents')
    expect(zh.headers.get('vary')).toMatch(/Accept-Language/)
    // The switch links to the same page in English.
    expect(zhHtml).toContain('href="/status/demo?lang=en"')

    const en = await page('/status/demo', { 'accept-language': 'en-US' })
    expect(await en.text()).toContain('Active incidents')

    const switched = await page('/status/demo?lang=zh-CN', { 'accept-language': 'en-US' })
    expect(await switched.text()).toContain('进行中的事件')
    const cookie = switched.headers.get('set-cookie')!.split(';')[0]!
    expect(cookie).toBe('earshot_status_lang=zh-CN')
    expect(switched.headers.get('cache-control')).toMatch(/^private/)
    const remembered = await page('/status/demo/incidents/' + (await firstIncident(t)), {
      'accept-language': 'en-US',
      cookie,
    })
    expect(await remembered.text()).toContain('← 当前状态')
  })

  it("falls back to the project's default language, set in the project settings", async () => {
    const auth = await signIn(t)
    const bad = await api(t, auth, 'PATCH', `/api/projects/${t.seed.projectId}`, {
      settings: { status_language: 'fr' },
    })
    expect(bad.status).toBe(400)
    expect(
      (await api(t, auth, 'PATCH', `/api/projects/${t.seed.projectId}`, { settings: { status_language: 'zh-CN' } }))
        .status,
    ).toBe(200)
    const got = await api(t, auth, 'GET', `/api/projects/${t.seed.projectId}`)
    expect(JSON.stringify(got.json)).toContain('"status_language":"zh-CN"')
    // Wait out the 2 s public cache: the page below must be rendered with the new setting.
    t.clock.advance(61_000)
    expect(await (await page('/status/demo', { 'accept-language': 'de-DE' })).text()).toContain('所有系统运行正常')
    expect(await (await page('/status/demo', { 'accept-language': 'en' })).text()).toContain('All Systems Operational')
    expect(await (await page('/status/demo')).text()).toContain('所有系统运行正常')
  })

  it('feeds take ?lang= and Accept-Language; entry ids stay the same in every language', async () => {
    const incident = await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Login slow',
      impact: 'minor',
      message: 'Looking.',
    })
    t.clock.advance(1000)
    await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'Fixed.' })
    const zh = await (await t.app.request('/status/demo/feed.atom?lang=zh-CN')).text()
    expect(zh).toContain('xml:lang="zh-CN"')
    expect(zh).toContain('Login slow — 已解决')
    expect(zh).toContain('<title>Acme Shop 服务状态</title>')
    const rss = await (await t.app.request('/status/demo/feed.rss', { headers: { 'accept-language': 'zh' } })).text()
    expect(rss).toContain('<language>zh-cn</language>')
    expect(rss).toContain('Login slow — 调查中')
    const enFeed = await (await t.app.request('/status/demo/feed.atom')).text()
    expect(enFeed).toContain('Login slow — Resolved')
    const ids = (xml: string) => [...xml.matchAll(/<id>([^<]+)<\/id>/g)].map((m) => m[1])
    expect(ids(zh)).toEqual(ids(enFeed))
  })

  it("a subscriber keeps the page's language: confirmation and update e-mails come in it", async () => {
    const body = new URLSearchParams({ email: 'li@example.com' }).toString()
    const res = await t.app.request('/status/demo/subscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'zh-CN' },
      body,
    })
    expect(res.status).toBe(202)
    expect(await res.text()).toContain('订阅已排队')
    const row = await t.db.orm.select().from(subscribers).where(eq(subscribers.target, 'li@example.com')).get()
    expect(row?.locale).toBe('zh-CN')
    const mails = async () =>
      (
        await t.db.orm
          .select()
          .from(outbox)
          .where(and(eq(outbox.channel, 'email'), eq(outbox.target, 'li@example.com')))
          .all()
      ).map((r) => JSON.parse(r.payload))
    const [confirm] = await mails()
    expect(confirm.subject).toBe('确认订阅 Acme Shop 的状态更新')
    expect(confirm.html).toContain('<html lang="zh-CN">')
    const token = new URL(/(http\S+\/subscribe\/confirm\?token=\S+)/.exec(confirm.text)![1]!).searchParams.get('token')!
    const confirmed = await t.app.request('/status/demo/subscribe/confirm', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: 'earshot_status_lang=zh-CN' },
      body: new URLSearchParams({ token }).toString(),
    })
    expect(await confirmed.text()).toContain('订阅成功')
    t.clock.advance(1000)
    await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Search down',
      impact: 'major',
      message: '搜索不可用。',
    })
    const update = (await mails()).find((m) => m.subject.includes('Search down'))
    expect(update.subject).toBe('[Acme Shop] 调查中：Search down') // a full-width colon, as Chinese text writes it
    expect(update.text).toContain('关注此事件')
    expect(update.text).toContain('退订')
    // The database refuses a language the catalogues do not have.
    await expect(
      t.db.client.execute({ sql: "UPDATE subscribers SET locale = 'fr' WHERE target = ?", args: ['li@example.com'] }),
    ).rejects.toThrow(/CHECK/)
  })

  it("reporters are told in their report's language (fixed, and a responder's update)", async () => {
    const auth = await signIn(t)
    const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      t.app.request(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-earshot-key': t.key,
          origin: 'https://shop.example.com',
          ...headers,
        },
        body: JSON.stringify(body),
      })
    // A report written in a Chinese browser, with an e-mail address: declared from its cluster.
    const report = await send('/v1/reports', { message: '订单历史打不开', email: 'li@example.com', locale: 'zh-CN' })
    expect(report.status).toBe(202)
    const cluster_id = await clusterOf(t.deps, (await report.json()).id)
    const declared = await api(t, auth, 'POST', '/api/incidents', {
      project_id: t.seed.projectId,
      cluster_id,
      title: 'Order history does not load',
      impact: 'major',
      message: 'Looking into it.',
    })
    expect(declared.status).toBe(201)
    const id = declared.json.incident.id
    // "Notify me": the widget sends no locale, so the browser's Accept-Language decides — English, Simplified
    // Chinese (zh-Hans-CN), and a language the status page does not speak (German → the project
    // default, English); an API client may name one in the body instead.
    for (const [email, accept] of [
      ['ann@example.com', 'en-US,en;q=0.9'],
      ['wang@example.com', 'zh-Hans-CN,zh;q=0.9'],
      ['max@example.com', 'de-DE'],
    ]) {
      expect(
        (
          await send(
            `/v1/incidents/${id}/affected`,
            { email, reporter_id: `rid-${email}` },
            { 'accept-language': accept! },
          )
        ).status,
      ).toBe(202)
    }
    expect(
      (
        await send(
          `/v1/incidents/${id}/affected`,
          { email: 'zhou@example.com', locale: 'zh-CN' },
          { 'accept-language': 'en-US' },
        )
      ).status,
    ).toBe(202)
    const mailTo = async (to: string) =>
      (
        await t.db.orm
          .select()
          .from(outbox)
          .where(and(eq(outbox.channel, 'email'), eq(outbox.target, to)))
          .all()
      ).map((r) => JSON.parse(r.payload))

    expect(
      (await api(t, auth, 'POST', `/api/incidents/${id}/notify-affected`, { message: 'A fix is rolling out.' })).status,
    ).toBe(202)
    t.clock.advance(60_000)
    expect(
      (await api(t, auth, 'POST', `/api/incidents/${id}/updates`, { status: 'resolved', message: 'Fixed.' })).status,
    ).toBe(201)

    const [liUpdate, liFixed] = await mailTo('li@example.com')
    expect(liUpdate.subject).toBe('[Acme Shop] 进展：Order history does not load')
    expect(liUpdate.text).toContain('A fix is rolling out.')
    expect(liUpdate.text).toContain('状态页：http')
    expect(liFixed.subject).toBe('[Acme Shop] 已修复：Order history does not load')
    expect(liFixed.text).toMatch(/你在 \d{4}年\d{1,2}月\d{1,2}日 报告的问题已修复。/)
    expect(liFixed.text).toContain('你收到此邮件，是因为你向 Acme Shop 报告过问题。')
    expect(liFixed.html).toContain('<html lang="zh-CN">')
    expect((await mailTo('zhou@example.com')).map((m) => m.subject)).toEqual([
      '[Acme Shop] 进展：Order history does not load',
      '[Acme Shop] 已修复：Order history does not load',
    ])
    expect((await mailTo('wang@example.com')).map((m) => m.subject)).toEqual([
      '[Acme Shop] 进展：Order history does not load',
      '[Acme Shop] 已修复：Order history does not load',
    ])
    for (const to of ['ann@example.com', 'max@example.com']) {
      const [update, fixed] = await mailTo(to)
      expect(update.subject).toBe('[Acme Shop] Update: Order history does not load')
      expect(fixed.subject).toBe('[Acme Shop] Fixed: Order history does not load')
      expect(fixed.text).toMatch(/The problem you reported on .+ has been fixed\./)
      expect(fixed.html).toContain('<html lang="en">')
    }
  })

  it('a language the page lacks gets the project default; a private title stays out in every language', async () => {
    const auth = await signIn(t)
    expect(
      (await api(t, auth, 'PATCH', `/api/projects/${t.seed.projectId}`, { settings: { status_language: 'zh-CN' } }))
        .status,
    ).toBe(200)
    const incident = await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Secret migration broke logins',
      impact: 'major',
      message: 'Investigating.',
    })
    const send = (body: unknown) =>
      t.app.request(`/v1/incidents/${incident.id}/affected`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
        body: JSON.stringify(body),
      })
    expect((await send({ email: 'max@example.com', locale: 'de-DE' })).status).toBe(202)
    expect((await send({ email: 'ann@example.com', locale: 'en-GB' })).status).toBe(202)
    expect((await api(t, auth, 'PATCH', `/api/incidents/${incident.id}`, { visibility: 'private' })).status).toBe(200)
    t.clock.advance(60_000)
    await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'Fixed.' })
    const mails = (await t.db.orm.select().from(outbox).where(eq(outbox.channel, 'email')).all()).map((r) => ({
      to: r.target,
      ...JSON.parse(r.payload),
    }))
    expect(mails.find((m) => m.to === 'max@example.com')?.subject).toBe('[Acme Shop] 已修复：你报告的问题')
    expect(mails.find((m) => m.to === 'ann@example.com')?.subject).toBe('[Acme Shop] Fixed: The problem you reported')
    expect(JSON.stringify(mails)).not.toContain('Secret migration')
  })

  it('an unknown status page is an HTML 404 for browsers (in their language) and JSON for API clients', async () => {
    const html = await page('/status/no-such-page', { 'accept-language': 'zh-CN' })
    expect(html.status).toBe(404)
    expect(html.headers.get('content-type')).toMatch(/text\/html/)
    const text = await html.text()
    expect(text).toContain('状态页不存在')
    expect(text).toContain('<html lang="zh-CN">')
    const json = await t.app.request('/status/no-such-page', { headers: { accept: 'application/json' } })
    expect(json.status).toBe(404)
    expect((await json.json()).error.code).toBe('not_found')
    const summary = await t.app.request('/status/no-such-page/api/v2/summary.json')
    expect((await summary.json()).error.code).toBe('not_found')
    // An unknown address on a real status site: the site's own "not found" page.
    const inside = await page('/status/demo/nope')
    expect(inside.status).toBe(404)
    expect(await inside.text()).toContain('Page not found')
    expect((await (await t.app.request('/status/demo/nope')).json()).error.code).toBe('not_found')
  })

  it('has a favicon in the project colour and the local-time script, and writes UTC text in every <time>', async () => {
    await declareIncident(t.deps, { projectId: t.seed.projectId, title: 'Slow', impact: 'minor', message: 'm' })
    const html = await (await page('/status/demo')).text()
    const icon = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/.exec(html)![1]!
    const svg = decodeURIComponent(icon.replace(/^data:image\/svg\+xml,/, ''))
    expect(svg).toContain('<svg')
    expect(svg).toContain('fill="#')
    expect(html).toContain('<script src="/status/demo/local-time.js" defer></script>')
    const times = [...html.matchAll(/<time datetime="([^"]+)" title="([^"]+)">([^<]+)<\/time>/g)]
    expect(times.length).toBeGreaterThan(1)
    for (const [, iso, title, text] of times) {
      expect(title).toBe(text)
      expect(text).toMatch(/ UTC$/)
      expect(Number.isNaN(Date.parse(iso!))).toBe(false)
    }
    const js = await t.app.request('/status/demo/local-time.js')
    expect(js.headers.get('content-type')).toMatch(/javascript/)
    expect(await js.text()).toContain('time[datetime]')
  })
})

async function firstIncident(t: TestApp): Promise<string> {
  const row = await t.db.client.execute('SELECT id FROM incidents ORDER BY rowid LIMIT 1')
  return String(row.rows[0]!.id)
}
