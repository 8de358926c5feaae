import { SaxesParser } from 'saxes'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/db.js'
import { api, signIn } from './support.js'

// Issue 11, item 12: characters XML 1.0 forbids (U+FFFE, U+FFFF, C0 controls) in
// an incident's text made the Atom and RSS feeds ill-formed, so readers rejected the whole feed.
// The feeds are parsed here with saxes, a strict (well-formedness checking) XML parser.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

/** Parses strictly; returns the text of every element named in `names`, in document order. */
function parseXml(doc: string, names: string[]): string[] {
  const parser = new SaxesParser()
  const texts: string[] = []
  let current: string | undefined
  let error: Error | undefined
  parser.on('error', (e) => (error ??= e))
  parser.on('opentag', (tag) => {
    if (names.includes(tag.name)) current = ''
  })
  const onText = (text: string) => {
    if (current !== undefined) current += text
  }
  parser.on('text', onText)
  parser.on('cdata', onText) // RSS descriptions are HTML in CDATA

  parser.on('closetag', (tag) => {
    if (names.includes(tag.name) && current !== undefined) texts.push(current)
    current = undefined
  })
  parser.write(doc).close()
  if (error) throw error
  return texts
}

// (A lone surrogate never gets this far: it is stored as U+FFFD, which XML allows.)
const FORBIDDEN = '\uFFFE\uFFFF\u0001\u0008\u000B\u001B'

describe('Atom and RSS feeds with characters XML forbids in incident text', () => {
  it('the parser used here does reject them (so the feed test below can fail)', () => {
    for (const ch of ['\uFFFE', '\uFFFF', '\u0001', '\u001B']) {
      expect(() =>
        parseXml(`<?xml version="1.0" encoding="utf-8"?><feed><title>a${ch}b</title></feed>`, ['title']),
      ).toThrow(/disallowed character/)
    }
    expect(
      parseXml('<?xml version="1.0" encoding="utf-8"?><feed><title>a &amp; b 🙂</title></feed>', ['title']),
    ).toEqual(['a & b 🙂'])
  })

  it('stay well-formed XML: forbidden characters dropped, everything else (emoji, markup) kept as text', async () => {
    const auth = await signIn(t)
    const declared = await api(t, auth, 'POST', '/api/incidents', {
      project_id: t.seed.projectId,
      title: `Checkout${FORBIDDEN} fails <b>&`,
      impact: 'major',
      message: `Payments${FORBIDDEN} are failing 💳 since 09:00 — "we're on it"`,
    })
    expect(declared.status).toBe(201)
    const start = new Date(t.clock.now() + 86_400_000).toISOString()
    const end = new Date(t.clock.now() + 90_000_000).toISOString()
    const maintenance = await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/maintenances`, {
      title: `Database${FORBIDDEN} upgrade`,
      message: `Brief${FORBIDDEN} pause`,
      starts_at: start,
      ends_at: end,
    })
    expect(maintenance.status).toBe(201)

    for (const path of ['/status/demo/feed.atom', '/status/demo/history.atom']) {
      const res = await t.app.request(path)
      expect(res.status).toBe(200)
      const texts = parseXml(await res.text(), ['title', 'content'])
      expect(texts).toContain('Checkout fails <b>& — Investigating')
      expect(texts).toContain(`Payments are failing 💳 since 09:00 — "we're on it"`)
      expect(texts).toContain('Scheduled maintenance: Database upgrade')
      expect(texts.some((x) => x.endsWith('Brief pause'))).toBe(true)
    }
    for (const path of ['/status/demo/feed.rss', '/status/demo/history.rss']) {
      const res = await t.app.request(path)
      expect(res.status).toBe(200)
      const texts = parseXml(await res.text(), ['title', 'description'])
      expect(texts).toContain('Checkout fails <b>& — Investigating')
      // <description> is HTML (readers render it): the text escaped as HTML, in a paragraph.
      expect(texts).toContain(`<p>Payments are failing 💳 since 09:00 — &quot;we&#39;re on it&quot;</p>`)
      expect(texts).toContain('Scheduled maintenance: Database upgrade')
    }
  })
})
