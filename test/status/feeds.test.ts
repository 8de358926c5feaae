import Parser from 'rss-parser'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { systemTxtLookup } from '../../worker/entries/node-dns.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { api, signIn } from './support.js'

// The feeds as a feed reader sees them, read with a real feed parser (rss-parser): customer-facing
// text survives as text in RSS (readers treat <description> as HTML), and every entry keeps one id
// whichever address the feed is read at.

const TRICKY = 'a <script>alert(1)</script> in the & config'

let t: TestApp
// A custom domain is served only once its DNS TXT record is verified: a real DNS server on 127.0.0.1.
let dns: DnsServer
beforeAll(async () => {
  dns = await startDnsServer()
})
afterAll(() => dns.close())
beforeEach(async () => {
  t = await createTestApp({ lookupTxt: systemTxtLookup([dns.address]) })
})
afterEach(() => t.close())

const parser = new Parser()
const at = (host: string, path: string) => t.app.request(`http://${host}${path}`, { headers: { host } })
const feedAt = async (host: string, path: string) => parser.parseString(await (await at(host, path)).text())

describe('RSS descriptions', () => {
  it('carry HTML-escaped text, so markup and ampersands in an update reach the reader as text', async () => {
    const incident = await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Config page errors',
      impact: 'minor',
      message: TRICKY,
    })
    await postUpdate(t.deps, incident.id, {
      status: 'identified',
      message: 'Line one\nline two\n\nSecond paragraph & more',
    })
    const rss = await feedAt('localhost', '/status/demo/feed.rss')
    const [second, first] = rss.items
    // The description is HTML: the script is an escaped string in it, never an element.
    expect(first!.content).not.toMatch(/<script/i)
    expect(first!.content).toContain('&lt;script&gt;')
    // Its text — what a reader shows — is exactly what the responder wrote.
    expect(first!.contentSnippet).toBe(TRICKY)
    expect(second!.content).toBe('<p>Line one<br>line two</p><p>Second paragraph &amp; more</p>')
    // Atom carries the same text as type="text": a parser gives it back unchanged.
    const atom = await feedAt('localhost', '/status/demo/feed.atom')
    expect(atom.items.map((i) => i.content)).toContain(TRICKY)
  })
})

describe('entry ids', () => {
  it('are the same at /status/<slug>, <slug>.<STATUS_DOMAIN> and a later custom domain; name no host', async () => {
    const incident = await declareIncident(t.deps, {
      projectId: t.seed.projectId,
      title: 'Slow search',
      impact: 'minor',
      message: 'Looking into it.',
    })
    await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'Fixed.' })
    const ids = async (host: string, base: string) => {
      const atom = await feedAt(host, `${base}/feed.atom`)
      const rss = await feedAt(host, `${base}/feed.rss`)
      return {
        atom: atom.items.map((i) => i.id),
        rss: rss.items.map((i) => i.guid),
        feed: (atom as { id?: string }).id,
      }
    }
    const byPath = await ids('localhost', '/status/demo')
    expect(byPath.atom).toHaveLength(2)
    for (const id of [...byPath.atom, ...byPath.rss])
      expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(byPath.atom).size).toBe(2)
    expect(byPath.rss).toEqual(byPath.atom)

    expect(await ids('demo.status.localhost', '')).toEqual(byPath)
    const auth = await signIn(t)
    const claim = await api(t, auth, 'PUT', `/api/projects/${t.seed.projectId}/status-page`, {
      custom_domain: 'status.acme-shop.test',
    })
    expect(claim.status).toBe(200)
    const record = claim.json.status_page.domain_verification.record
    dns.setTxt(record.name, [record.value])
    expect((await api(t, auth, 'POST', `/api/projects/${t.seed.projectId}/status-page/verify`)).status).toBe(200)
    expect(await ids('status.acme-shop.test', '')).toEqual(byPath)
    // Nothing in them comes from the address the feed was read at.
    expect(JSON.stringify(byPath)).not.toMatch(/localhost|acme-shop/)
  })
})
