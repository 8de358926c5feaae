// Screenshots sent with reports (issue 14): one multipart request stores the report and its image
// together or not at all, the server decides the type from the bytes, responders get it back with
// headers that only let a browser show it as an image, and erasure/retention delete the bytes.
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/db.js'
import { ORIGIN, otherWorkspace, signIn, type Client } from '../dashboard/helpers.js'
import { applyRetention } from '../../worker/domain/privacy/privacy.js'
import { sweepOrphanAttachments } from '../../worker/domain/reports/attachments/sweep.js'
import { newId } from '../../worker/domain/shared/ids.js'
import { HTML, JPEG, multipartReport, PNG_GREY, PNG_RED, SVG, WEBP } from './images.js'
import { clusterOf } from '../support/pipeline.js'

let t: TestApp
let owner: Client

beforeEach(async () => {
  t = await createTestApp()
  owner = await signIn(t)
})
afterEach(() => t.close())

function post(form: FormData, key?: string) {
  return t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'x-earshot-key': t.key, origin: ORIGIN, ...(key ? { 'idempotency-key': key } : {}) },
    body: form,
  })
}
const files = () =>
  existsSync(t.attachmentsDir)
    ? readdirSync(t.attachmentsDir, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => f.name)
    : []
const count = async (table: string) =>
  Number((await t.db.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n)

describe('a report with a screenshot', () => {
  it('stores report and image in one request and serves the image to responders as an image only', async () => {
    const res = await post(
      multipartReport(
        { message: 'The pay button is hidden behind the footer', page_url: `${ORIGIN}/cart` },
        PNG_RED,
        'text/html',
        'evil.html',
      ),
    )
    expect(res.status).toBe(202)
    const answer = await res.json()
    expect(Object.keys(answer)).toEqual(['id']) // durable, not yet clustered: no cluster promised
    const { id } = answer
    expect(files()).toHaveLength(1)
    // One write: the report (waiting for the pipeline) and its screenshot row are both there already.
    const stored = (
      await t.db.client.execute({
        sql:
          'SELECT cluster_id, processed_at, (SELECT count(*) FROM attachments a WHERE a.report_id = r.id) AS shots ' +
          'FROM reports r WHERE id = ?',
        args: [id],
      })
    ).rows[0]!
    expect([stored.cluster_id, stored.processed_at, Number(stored.shots)]).toEqual([null, null, 1])
    const cluster_id = await clusterOf(t.deps, id) // the pipeline clusters it afterwards
    expect(cluster_id).toBeTruthy()

    const image = await owner.get(`/api/reports/${id}/attachment`)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/png') // sniffed, not the declared text/html
    expect(image.headers.get('content-disposition')).toBe('inline')
    expect(image.headers.get('x-content-type-options')).toBe('nosniff')
    expect(image.headers.get('content-security-policy')).toMatch(/sandbox/)
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG_RED)

    const cluster = await (await owner.get(`/api/clusters/${cluster_id}`)).json()
    expect(cluster.cluster.screenshot_count).toBe(1)
    expect(cluster.reports[0].attachment).toEqual({ content_type: 'image/png', size: PNG_RED.length })
    const page = await (await owner.get(`/api/clusters/${cluster_id}/reports`)).json()
    expect(page.reports[0].attachment).toEqual({ content_type: 'image/png', size: PNG_RED.length })
  })

  it('accepts JPEG and WebP by their bytes; a report without a screenshot has attachment null', async () => {
    for (const [bytes, type] of [
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ] as const) {
      const res = await post(
        multipartReport({ message: `Broken layout seen in ${type}` }, bytes, 'application/octet-stream'),
      )
      expect(res.status).toBe(202)
      const image = await owner.get(`/api/reports/${(await res.json()).id}/attachment`)
      expect(image.headers.get('content-type')).toBe(type)
    }
    const plain = await post(multipartReport({ message: 'No picture this time' }))
    expect(plain.status).toBe(202)
    const { id } = await plain.json()
    const cluster_id = await clusterOf(t.deps, id)
    expect((await owner.get(`/api/reports/${id}/attachment`)).status).toBe(404)
    const cluster = await (await owner.get(`/api/clusters/${cluster_id}`)).json()
    expect(cluster.reports.find((r: { id: string }) => r.id === id).attachment).toBeNull()
  })

  it('refuses SVG, HTML and anything else that is not PNG/JPEG/WebP, whatever it claims, storing nothing', async () => {
    for (const [bytes, type] of [
      [SVG, 'image/svg+xml'],
      [SVG, 'image/png'],
      [HTML, 'image/jpeg'],
    ] as const) {
      const res = await post(multipartReport({ message: 'Look at this picture' }, bytes, type))
      expect(res.status).toBe(415)
      expect((await res.json()).error.code).toBe('unsupported_attachment_type')
    }
    expect(await count('reports')).toBe(0)
    expect(files()).toEqual([])
  })

  it('accepts a 1.9 MB screenshot (the app-wide 64 KB body limit makes room for it), no JSON over 64 KB', async () => {
    const large = Buffer.concat([PNG_RED, Buffer.alloc(1900 * 1024)])
    const res = await post(multipartReport({ message: 'A big but allowed screenshot' }, large))
    expect(res.status).toBe(202)
    const json = await t.app.request('/v1/reports', {
      method: 'POST',
      headers: { 'x-earshot-key': t.key, origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x'.repeat(10), pad: 'y'.repeat(70 * 1024) }),
    })
    expect(json.status).toBe(413)
  })

  it('refuses more than 2 MB and more than one screenshot, storing nothing', async () => {
    const big = Buffer.concat([PNG_RED, Buffer.alloc(2 * 1024 * 1024)])
    const res = await post(multipartReport({ message: 'Huge picture' }, big))
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toMatch(/too_large/)
    const two = multipartReport({ message: 'Two pictures' }, PNG_RED)
    two.append('screenshot', new Blob([new Uint8Array(PNG_GREY)], { type: 'image/png' }), 'b.png')
    const many = await post(two)
    expect(many.status).toBe(400)
    expect((await many.json()).error.code).toBe('too_many_attachments')
    expect(await count('reports')).toBe(0)
    expect(files()).toEqual([])
  })

  it('is exactly once per idempotency key: same or no image → same report, another image → 409', async () => {
    const body = { message: 'Coupon field clears itself', reporter_id: 'browser-1' }
    const first = await post(multipartReport(body, PNG_RED), 'shot-key-0001')
    expect(first.status).toBe(202)
    const answer = await first.json()
    const again = await post(multipartReport(body, PNG_RED), 'shot-key-0001')
    expect(again.status).toBe(202)
    expect(await again.json()).toEqual(answer)
    // The browser could not keep its copy (storage refused): the retry comes without it.
    const without = await post(multipartReport(body), 'shot-key-0001')
    expect(await without.json()).toEqual(answer)
    const other = await post(multipartReport(body, PNG_GREY), 'shot-key-0001')
    expect(other.status).toBe(409)
    expect((await other.json()).error.code).toBe('idempotency_key_reused')
    expect(await count('reports')).toBe(1)
    expect(await count('attachments')).toBe(1)
    expect(files()).toHaveLength(1) // the retries' bytes were not kept
    // A report first stored without an image cannot gain one under its key.
    await post(multipartReport({ message: 'Plain first' }), 'shot-key-0002')
    expect((await post(multipartReport({ message: 'Plain first' }, PNG_RED), 'shot-key-0002')).status).toBe(409)
    expect(files()).toHaveLength(1)
  })

  it('is only served to members of the report’s workspace', async () => {
    const { id } = await (await post(multipartReport({ message: 'Private picture' }, PNG_RED))).json()
    const stranger = (await otherWorkspace(t)).owner
    expect((await stranger.get(`/api/reports/${id}/attachment`)).status).toBe(404)
    expect((await t.app.request(`/api/reports/${id}/attachment`)).status).toBe(401)
  })
})

describe('erasure, retention and orphans', () => {
  it('erasing a reporter deletes their screenshots (row and bytes)', async () => {
    const { id } = await (
      await post(multipartReport({ message: 'My face is in this screenshot', email: 'ada@example.com' }, PNG_RED))
    ).json()
    await post(multipartReport({ message: 'Someone else entirely', email: 'bob@example.com' }, PNG_GREY))
    expect(files()).toHaveLength(2)
    const ws = (await t.db.client.execute('SELECT workspace_id FROM projects LIMIT 1')).rows[0]!.workspace_id
    const erased = await owner.json('POST', `/api/workspaces/${ws}/privacy/erase`, { email: 'ada@example.com' })
    expect(erased.body.erased).toMatchObject({ reports: 1, attachments: 1 })
    expect(files()).toHaveLength(1)
    expect((await owner.get(`/api/reports/${id}/attachment`)).status).toBe(404)
    expect(await count('attachments')).toBe(1)
  })

  it('retention deletes old reports’ screenshots', async () => {
    await post(multipartReport({ message: 'Old screenshot report' }, PNG_RED))
    await t.db.client.execute(`UPDATE projects SET settings = '{"retention_days":30}'`)
    t.clock.advance(31 * 86400_000)
    expect((await applyRetention(t.deps)).reports).toBe(1)
    expect(await count('attachments')).toBe(0)
    expect(files()).toEqual([])
  })

  it('the sweep deletes bytes no report points at once they are an hour old, and keeps the rest', async () => {
    await post(multipartReport({ message: 'Kept screenshot' }, PNG_RED))
    const project = String((await t.db.client.execute('SELECT id FROM projects LIMIT 1')).rows[0]!.id)
    mkdirSync(join(t.attachmentsDir, project), { recursive: true })
    const orphan = newId('att', t.clock.now() - 2 * 3600_000)
    const young = newId('att', t.clock.now())
    writeFileSync(join(t.attachmentsDir, project, orphan), PNG_GREY)
    writeFileSync(join(t.attachmentsDir, project, young), PNG_GREY)
    expect(await sweepOrphanAttachments(t.deps)).toEqual({ deleted: 1 })
    expect(files().sort()).toEqual(expect.arrayContaining([young]))
    expect(files()).not.toContain(orphan)
    expect(files()).toHaveLength(2)
  })
})
