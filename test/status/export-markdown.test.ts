import MarkdownIt from 'markdown-it'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/db.js'
import { clusterOf } from '../support/pipeline.js'
import { api, signIn } from './support.js'

// Issue 11, item 14: the post-incident Markdown export carried customer text raw, so a report's
// HTML or Markdown became markup wherever the file was rendered (a wiki, GitHub, a docs site).
// The export is rendered here with markdown-it (CommonMark, raw HTML allowed as GitHub allows
// much of it) and every piece of customer text must come out as text.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const md = new MarkdownIt({ html: true })
const HOSTILE_MESSAGE =
  '<img src=x onerror=alert(1)> **urgent** [Sign in again](https://evil.example/login) ' +
  '| a | b | ~~gone~~ `code` $x$ &lt;b&gt;\n# Not a heading'
const HOSTILE_RELEASE = 'web` <img src=x onerror=alert(2)> `1'
const HOSTILE_TITLE = '<script>alert(3)</script> _Checkout_ [x](javascript:alert(4)) #'

describe('GET /api/incidents/:id/export.md with hostile customer text', () => {
  it('renders every customer and incident text as text: no HTML, links, emphasis or code from it', async () => {
    const report = await t.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
      body: JSON.stringify({ message: HOSTILE_MESSAGE, release: HOSTILE_RELEASE }),
    })
    expect(report.status).toBe(202)
    // The 202 promises only the id: the cluster comes once the pipeline has processed the report.
    const cluster_id = await clusterOf(t.deps, (await report.json()).id)
    const auth = await signIn(t)
    const declared = await api(t, auth, 'POST', '/api/incidents', {
      project_id: t.seed.projectId,
      cluster_id,
      title: HOSTILE_TITLE,
      impact: 'major',
      message: 'Looking at <b>it</b>.',
    })
    expect(declared.status).toBe(201)
    t.clock.advance(60_000)
    await api(t, auth, 'POST', `/api/incidents/${declared.json.incident.id}/updates`, {
      status: 'resolved',
      message: 'Fixed *now*',
      internal_note: 'see <a href="https://evil.example">runbook</a>',
    })

    const res = await api(t, auth, 'GET', `/api/incidents/${declared.json.incident.id}/export.md`)
    expect(res.status).toBe(200)
    const html = md.render(res.text)

    // Nothing from the texts became an element (the one code span is ours: the release).
    expect(html).not.toMatch(/<(img|script|a|b|del|s)\b/i)
    expect(html.match(/<code>/g)).toHaveLength(1)
    expect(html).not.toContain('<strong>urgent')
    expect(html).not.toContain('<em>Checkout')
    expect(html).not.toContain('<em>now')
    expect(html.match(/<h1>/g)).toHaveLength(1) // "# Not a heading" stayed inside the report's line
    // It is all there, as text (HTML-escaped by the renderer).
    const text = md.utils.escapeHtml
    expect(html).toContain(`<h1>${text(HOSTILE_TITLE)}</h1>`)
    expect(html).toContain(
      text(
        '“<img src=x onerror=alert(1)> **urgent** [Sign in again](https://evil.example/login) ' +
          '| a | b | ~~gone~~ `code` $x$ &lt;b&gt; # Not a heading”',
      ),
    )
    expect(html).toContain(text('see <a href="https://evil.example">runbook</a>'))
    expect(html).toContain(text('Fixed *now*'))
    // The release stays one code span, whatever backticks it holds.
    expect(html).toContain(`<code>${text(HOSTILE_RELEASE)}</code> (1)`)
    // The report's structure is intact: the key-moments table and the figures.
    expect(html).toContain('<table>')
    expect(html).toContain('<strong>Time to detect</strong>')
  })
})
