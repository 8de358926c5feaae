import { appendFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import type { Hono } from 'hono'
import { openApiDocument } from '../../worker/http/openapi.js'

// Real answers checked against /openapi.json: every `createTestApp()` app checks each answer it
// gives through `app.request()` (test/support/db.ts), so the API tests fail when the description
// and what the routes really send disagree — an undeclared status, or a JSON body its schema refuses.

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void

type Doc = Awaited<ReturnType<typeof openApiDocument>>
interface Operation {
  method: string
  template: string
  pattern: RegExp
  responses: Record<string, { content?: Record<string, unknown> }>
}

export interface Contract {
  doc: Doc
  /** Throws when `res` is not what the description says `method path` answers. */
  check(method: string, url: string, res: Response): Promise<void>
}

const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')

export async function openApiContract(app: Hono<any, any, any>): Promise<Contract> {
  const doc = await openApiDocument(app, { publicUrl: 'http://localhost' })
  const ajv = new Ajv2020({ strict: false, allErrors: false })
  addFormats(ajv)
  ajv.addFormat('binary', true)
  ajv.addSchema({ ...doc, $id: 'openapi' } as object)
  const ops: Operation[] = []
  for (const [template, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`)
    for (const [method, op] of Object.entries(item))
      ops.push({ method: method.toUpperCase(), template, pattern, responses: op.responses })
  }
  // Literal paths before templated ones (/reports/search before /reports/{id}).
  ops.sort((a, b) => (a.template.includes('{') ? 1 : 0) - (b.template.includes('{') ? 1 : 0))
  const validators = new Map<string, ReturnType<Ajv2020['compile']>>()

  return {
    doc,
    async check(method, url, res) {
      const path = new URL(url, 'http://localhost').pathname
      const m = method === 'HEAD' ? 'GET' : method
      const op = ops.find((o) => o.method === m && o.pattern.test(path))
      if (!op) return // not an API route (HTML pages, assets, the 404 for unknown paths: checked in openapi.test.ts)
      const status = String(res.status)
      const declared = op.responses[status]
      if (!declared)
        throw new Error(
          `${method} ${path} answered ${status}, which /openapi.json does not declare for ` +
            `${op.method} ${op.template} (${Object.keys(op.responses).join(', ')})`,
        )
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim()
      if (type !== 'application/json' || method === 'HEAD') return
      if (!declared.content?.['application/json'])
        throw new Error(
          `${method} ${path} answered ${status} with JSON, but /openapi.json declares no JSON body for it`,
        )
      const key = `${op.method} ${op.template} ${status}`
      let validate = validators.get(key)
      if (!validate) {
        const schema = ['paths', op.template, op.method.toLowerCase(), 'responses', status, 'content']
        validate = ajv.compile({ $ref: `openapi#/${pointer(...schema, 'application/json', 'schema')}` })
        validators.set(key, validate)
      }
      const body = await res.clone().json()
      if (!validate(body)) {
        throw new Error(
          `${method} ${path} → ${status}: the body does not match /openapi.json: ` +
            `${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`,
        )
      }
    },
  }
}

/**
 * Makes `app.request()` check every answer against the app's own description. The description is
 * built here, before the first request, so checking adds no noticeable time to any answer.
 */
let shared: Promise<Contract> | undefined
export async function checkAnswers(app: Hono<any, any, any>) {
  const request = app.request.bind(app)
  // Every app of a test process has the same routes, so one description serves them all.
  const contract = (shared ??= openApiContract(app))
  await contract
  app.request = (async (input: RequestInfo | URL, init?: RequestInit, ...rest: unknown[]) => {
    const res = await (request as (...a: unknown[]) => Promise<Response>)(input, init, ...rest)
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()
    const url = input instanceof Request ? input.url : String(input)
    try {
      await (await contract).check(method, url, res)
    } catch (e) {
      // OPENAPI_CONTRACT_LOG=file: note every disagreement there and go on (to see them all in one run).
      if (!process.env.OPENAPI_CONTRACT_LOG) throw e
      appendFileSync(process.env.OPENAPI_CONTRACT_LOG, `${(e as Error).message.split('\n')[0]}\n`)
    }
    return res
  }) as typeof app.request
}
