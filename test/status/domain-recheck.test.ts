import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runBackgroundJobs } from '../../worker/jobs.js'
import { dohTxtLookup } from '../../worker/domain/incidents/dns-txt.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { startDnsServer, type DnsServer } from '../support/dns-server.js'
import { api, signIn } from './support.js'

// A verified custom domain is not verified forever: the name may change hands, and a stale claim
// would block its new owner. The background jobs look the record up again daily (a real DNS
// server on 127.0.0.1 here) and withdraw the verification after three days without it.

let t: TestApp
let dns: DnsServer
beforeEach(async () => {
  dns = await startDnsServer()
  t = await createTestApp({ config: { publicUrl: 'https://earshot.example.com' }, lookupTxt: dohTxtLookup(dns.dohUrl) })
})
afterEach(async () => {
  t.close()
  await dns.close()
})

const HOUR = 3600_000
const at = (host: string, path: string) => t.app.request(`http://${host}${path}`, { headers: { host } })

describe('re-checking verified custom domains', () => {
  it('keeps a domain whose record stays, warns when it goes, ignores DNS failures, drops it after 3 days', async () => {
    const auth = await signIn(t)
    const page = `/api/projects/${t.seed.projectId}/status-page`
    const set = await api(t, auth, 'PUT', page, { custom_domain: 'status.acme-shop.test' })
    const record = set.json.status_page.domain_verification.record
    dns.setTxt(record.name, [record.value])
    expect((await api(t, auth, 'POST', `${page}/verify`)).status).toBe(200)
    const verification = async () => (await api(t, auth, 'GET', page)).json.status_page.domain_verification
    const day = async () => {
      t.clock.advance(25 * HOUR)
      await runBackgroundJobs(t.deps, () => {})
    }
    const looked = () => dns.queries.filter((q) => q.toLowerCase() === record.name).length

    // Record still there: checked once a day, nothing to say.
    const before = looked()
    await day()
    expect(looked()).toBe(before + 1)
    expect(await verification()).toMatchObject({ status: 'verified', last_error: null })

    // The record disappears: a warning, still served.
    dns.setTxt(record.name, [])
    await day()
    expect(await verification()).toMatchObject({
      status: 'verified',
      last_error: expect.stringContaining('after three days without it'),
    })
    expect((await at('status.acme-shop.test', '/api/v2/summary.json')).status).toBe(200)

    // A resolver failure is not evidence either way.
    dns.failNext(1)
    await day()
    expect(await verification()).toMatchObject({
      status: 'verified',
      last_error: expect.stringContaining('Could not look up'),
    })

    // Still missing the day after; three days after the first missing check: withdrawn, not
    // served, and the dashboard says why.
    await day()
    expect(await verification()).toMatchObject({
      status: 'verified',
      last_error: expect.stringContaining('is missing'),
    })
    await day()
    const withdrawn = await verification()
    expect(withdrawn.status).toBe('pending')
    expect(withdrawn.last_error).toMatch(
      /has been missing since \d{4}-\d\d-\d\d, so status\.acme-shop\.test is no longer verified/,
    )
    expect((await at('status.acme-shop.test', '/feed.atom')).status).toBe(404) // an ordinary host again
    expect((await api(t, auth, 'GET', page)).json.status_page.url).toBe('https://earshot.example.com/status/demo')

    // Published again: Verify works as the first time.
    dns.setTxt(record.name, [record.value])
    expect((await api(t, auth, 'POST', `${page}/verify`)).json.status_page.domain_verification).toMatchObject({
      status: 'verified',
      last_error: null,
    })
  })

  it('forgives a record that comes back within the grace period', async () => {
    const auth = await signIn(t)
    const page = `/api/projects/${t.seed.projectId}/status-page`
    const record = (await api(t, auth, 'PUT', page, { custom_domain: 'status.acme-shop.test' })).json.status_page
      .domain_verification.record
    dns.setTxt(record.name, [record.value])
    await api(t, auth, 'POST', `${page}/verify`)
    const day = async () => {
      t.clock.advance(25 * HOUR)
      await runBackgroundJobs(t.deps, () => {})
    }
    dns.setTxt(record.name, [])
    await day()
    await day()
    dns.setTxt(record.name, [record.value])
    await day()
    dns.setTxt(record.name, [])
    await day()
    await day()
    // Two missing days, back, two missing days: the clock restarted when it came back.
    expect((await api(t, auth, 'GET', page)).json.status_page.domain_verification.status).toBe('verified')
  })
})
