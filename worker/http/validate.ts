import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import type { z } from 'zod'
import { ApiError } from './errors.js'

/**
 * zod validation whose failures become the API's JSON error shape, naming the first bad field. The
 * schema also describes the request in /openapi.json (hono-openapi reads it off the middleware).
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0]
      const where = issue?.path?.length ? `${issue.path.join('.')}: ` : ''
      throw new ApiError(
        400,
        target === 'query' ? 'invalid_query' : 'invalid_body',
        `${where}${issue?.message ?? 'invalid input'}`,
      )
    }
  })
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema) } })
}

/**
 * Reads a JSON body whatever the declared type among the ones we accept. `text/plain` is allowed
 * because it lets a browser send a report without a CORS preflight.
 */
export async function readJsonBody(
  req: Request,
  accept: string[] = ['application/json', 'text/plain'],
): Promise<unknown> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!accept.includes(type)) throw new ApiError(415, 'unsupported_media_type', `Send the body as ${accept[0]}.`)
  const text = await req.text()
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON.')
  }
}

/** Validates already-parsed data and throws the API's 400 on failure. */
export function parseWith<T extends z.ZodType>(schema: T, data: unknown, code = 'invalid_body'): z.infer<T> {
  const result = schema.safeParse(data)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const where = issue?.path?.length ? `${issue.path.join('.')}: ` : ''
  throw new ApiError(400, code, `${where}${issue?.message ?? 'invalid input'}`)
}
