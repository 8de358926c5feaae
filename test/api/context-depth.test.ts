import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { count, eq } from 'drizzle-orm'
import { reports } from '../../worker/db/schema/index.js'
import { MAX_CONTEXT_DEPTH } from '../../worker/http/schemas.js'
import { createTestApp, type TestApp } from '../support/db.js'

// Issue 11, item 11: a report whose context nests thousands of levels answered 500 (the stack
// overflowed while storing it) and the widget, which keeps anything answered 5xx, retried it
// forever. It is a bad request: 400, nothing stored, nothing logged as a server error.

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const post = (body: string) =>
  t.app.request('/v1/reports', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-earshot-key': t.key, origin: 'https://shop.example.com' },
    body,
  })
const storedCount = async () => (await t.db.orm.select({ n: count() }).from(reports).get())!.n
/** `{"a":{"a":…"x"…}}` n objects deep, built as text: JSON.stringify itself would overflow. */
const objects = (n: number) => '{"a":'.repeat(n) + '"x"' + '}'.repeat(n)
const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n)

describe('POST /v1/reports with a deeply nested context', () => {
  it.each([
    ['5,000 nested objects in context.custom', `{"message":"Checkout broken","context":{"custom":${objects(5000)}}}`],
    [
      '30,000 nested arrays under an unknown context key',
      `{"message":"Checkout broken","context":{"state":${arrays(30_000)}}}`,
    ],
    [
      `one level more than ${MAX_CONTEXT_DEPTH}`,
      `{"message":"Checkout broken","context":{"custom":${objects(MAX_CONTEXT_DEPTH)}}}`,
    ],
  ])('refuses %s with 400 invalid_body and stores nothing', async (_name, body) => {
    const before = await storedCount()
    const res = await post(body)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      error: { code: 'invalid_body', message: `context: context nests deeper than ${MAX_CONTEXT_DEPTH} levels` },
    })
    expect(await storedCount()).toBe(before)
    expect(t.errors).toEqual([])
  })

  it(`accepts a context exactly ${MAX_CONTEXT_DEPTH} levels deep and stores it as sent`, async () => {
    const custom = objects(MAX_CONTEXT_DEPTH - 1) // context is level 1, custom level 2, its innermost object level 32
    const res = await post(`{"message":"Checkout broken","context":{"custom":${custom}}}`)
    expect(res.status).toBe(202)
    const { id } = await res.json()
    const row = (await t.db.orm.select().from(reports).where(eq(reports.id, id)).get())!
    expect(JSON.stringify(JSON.parse(row.context!).custom)).toBe(custom)
  })
})
