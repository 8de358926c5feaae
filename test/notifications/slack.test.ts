// Issue 11 #6 (markup injection): customer text and `release` reach Slack as text, never as markup.
// Tried as an attacker would: reports through the real Node server, the Slack message as a local
// receiver gets it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createWebhook, slackPayload, slackText } from '../../worker/domain/notifications/webhooks.js'
import { startServer, type TestServer } from '../support/server.js'
import { postJson } from '../trust/http.js'
import { startReceiver } from './receiver.js'

const PUBLIC_URL = 'https://earshot.example.com'
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** Every string in a JSON value, with its key. */
function strings(value: unknown, key = ''): { key: string; text: string }[] {
  if (typeof value === 'string') return [{ key, text: value }]
  if (Array.isArray(value)) return value.flatMap((v) => strings(v, key))
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, k))
  return []
}

let s: TestServer
beforeEach(async () => {
  s = await startServer({ config: { publicUrl: PUBLIC_URL } })
})
afterEach(() => s.close())

describe('Slack alerts carry customer text as text', () => {
  it('escapes <!channel>, disguised links, & from reports and release; emoji whole; links only to us', async () => {
    const rx = await startReceiver()
    try {
      await createWebhook(s.deps, { projectId: s.projectId, url: rx.url, kind: 'slack', events: ['surge'] })
      // Emoji near the end of what the alert quotes (the first 80 characters of the title, which is
      // itself the report cut at a word boundary: title.ts), so both cuts must keep code points whole.
      const lead = '<!channel> <https://evil.example/login|Sign in again> & checkout fails '
      const message = lead + 'x'.repeat(72 - lead.length) + '🔥🔥 and then the page goes blank'
      for (let i = 0; i < 7; i++) {
        const res = await postJson(
          `${s.url}/v1/reports`,
          { message, reporter_id: `victim-${i}`, release: '<!here> web@1.2 <http://x.example|y>' },
          { 'x-earshot-key': s.key },
          `127.0.0.${10 + i}`,
        )
        expect(res.status).toBe(202)
      }
      await rx.waitFor(1)
      const body = JSON.parse(rx.received[0]!.body)

      const texts = strings(body).filter((x) => x.key === 'text')
      expect(texts.length).toBeGreaterThan(4)
      for (const { text } of texts) {
        expect(text).not.toMatch(/[<>]/) // no markup at all: the links we build are buttons, not mrkdwn
        expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/)
        expect(text).not.toMatch(LONE_SURROGATE)
      }
      const all = JSON.stringify(body)
      expect(all).toContain('&lt;!channel&gt; &lt;https://evil.example/login|Sign in again&gt; &amp; checkout fails')
      expect(all).toContain('&lt;!here&gt; web@1.2 &lt;http://x.example|y&gt;')
      expect(all).toContain('🔥') // the cut keeps whole code points

      const urls = strings(body)
        .filter((x) => x.key === 'url')
        .map((x) => x.text)
      expect(urls.length).toBe(1)
      for (const url of urls) expect(url.startsWith(`${PUBLIC_URL}/dashboard/`)).toBe(true)
    } finally {
      await rx.close()
    }
  })
})

describe('slackText', () => {
  it('cuts by code point and never inside an entity, within the limit', () => {
    const header = slackText('Surge: ' + 'a'.repeat(141) + '😀 tail', 150)
    expect(header).not.toMatch(LONE_SURROGATE)
    expect(header.length).toBeLessThanOrEqual(150)
    expect(header.endsWith('…')).toBe(true)
    const entities = slackText('&'.repeat(40), 23)
    expect(entities).toBe('&amp;'.repeat(4) + '…')
    expect(slackText('fine & dandy', 150)).toBe('fine &amp; dandy')
    expect(slackText('broken \uD83D pair', 150)).toBe('broken \uFFFD pair')
  })

  it('escapes every field and drops links that are not http(s)', () => {
    const payload = slackPayload({
      event: 'test',
      title: '<!subteam^S1> title',
      text: '<@U1> text',
      url: 'javascript:alert(1)',
      fields: [{ label: 'Release', value: '<#C1>' }],
      data: {},
      at: 0,
    })
    expect(JSON.stringify(payload)).not.toMatch(/<[!@#]/)
    expect(JSON.stringify(payload)).not.toContain('javascript:')
  })
})
