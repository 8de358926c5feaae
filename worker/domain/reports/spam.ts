import type { Context } from 'hono'
import { sql } from 'drizzle-orm'
import type { AbuseKind } from '../../db/schema/index.js'
import type { ReportInput } from '../../http/schemas.js'
import { DomainError } from '../shared/index.js'
import type { Deps } from '../shared/index.js'
import { newId } from '../shared/index.js'
import { projectByKey, type Project } from '../projects/index.js'

/** More links than this in one message reads as link spam, not as a customer describing a problem. */
export const MAX_LINKS = 5
const LINK = /\bhttps?:\/\/|\bwww\./gi

export type Screening = { verdict: 'accept' } | { verdict: 'honeypot'; fakeId: string }

/**
 * Bot and spam checks on a valid report, before it is stored. Policy: never drop a real
 * customer's report silently. Only the honeypot (a field people never see, so only bots fill it)
 * gets a fake success and is not stored; every other refusal is an explicit 4xx whose message
 * tells the person what to change, so the widget can show it and nothing is lost unnoticed.
 */
export async function screenReport(
  deps: Deps,
  project: Project,
  input: ReportInput,
  meta: { address: string; idempotencyKey?: string },
): Promise<Screening> {
  if (input.website?.trim()) {
    await countAbuse(deps, project.id, 'honeypot')
    return { verdict: 'honeypot', fakeId: newId('rep', deps.clock.now()) }
  }
  const links = input.message.match(LINK)?.length ?? 0
  if (links > MAX_LINKS) {
    await countAbuse(deps, project.id, 'spam_links')
    throw new DomainError(
      'unprocessable',
      'too_many_links',
      `Reports may contain at most ${MAX_LINKS} links; please remove some and send it again.`,
    )
  }
  const guard = deps.guard
  if (guard) {
    const text = input.message.trim().toLowerCase().replace(/\s+/g, ' ')
    const limit = guard.settings.repeatsPer10Min
    const decision = await guard.limiter.hit(
      `repeat\n${project.id}\n${meta.address}\n${textKey(text)}`,
      limit,
      10 * 60_000,
    )
    // A retry of a report we already have is answered from the stored one, never refused.
    const key = meta.idempotencyKey ?? input.idempotency_key
    if (!decision.ok && !(key && (await alreadyStored(deps, project.id, key)))) {
      if (decision.count === limit + 1) await countAbuse(deps, project.id, 'spam_repeated')
      throw new DomainError(
        'rate_limited',
        'repeated_report',
        'You have sent this same report several times already; we have it. Thank you!',
        decision.retryAfter,
      )
    }
  }
  return { verdict: 'accept' }
}

/**
 * A short key for a message (FNV-1a, 2 × 32 bits): only compares texts for the repeat limit, so a
 * collision merely shares a budget — and it costs far less per report than a WebCrypto digest.
 */
function textKey(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  return `${(a >>> 0).toString(36)}.${(b >>> 0).toString(36)}.${text.length}`
}

async function alreadyStored(deps: Deps, projectId: string, idempotencyKey: string): Promise<boolean> {
  const rows = await deps.db.orm.all(
    sql`SELECT 1 AS hit FROM reports WHERE project_id = ${projectId} AND idempotency_key = ${idempotencyKey}`,
  )
  return rows.length > 0
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** One more turned-away request of this kind for the project today. */
export async function countAbuse(deps: Deps, projectId: string, kind: AbuseKind): Promise<void> {
  await deps.db.write((tx) =>
    tx.run(sql`INSERT INTO abuse_counts (project_id, kind, day, count)
      VALUES (${projectId}, ${kind}, ${day(deps.clock.now())}, 1)
      ON CONFLICT (project_id, kind, day) DO UPDATE SET count = abuse_counts.count + 1`),
  )
}

/** Per-project abuse counts for the last `days` days, newest first. */
export async function abuseCounts(deps: Deps, projectId: string, days = 30) {
  const since = day(deps.clock.now() - days * 86400_000)
  return deps.db.orm.all<{ kind: AbuseKind; day: string; count: number }>(
    sql`SELECT kind, day, count FROM abuse_counts
      WHERE project_id = ${projectId} AND day >= ${since} ORDER BY day DESC, kind`,
  )
}

/**
 * Counts a rate-limited public request against its project. Called on every refusal but only
 * looks the project up on the first refusal of a window, so a flood cannot turn into a write flood.
 */
export async function countRateLimited(deps: Deps, c: Context, firstInWindow: boolean): Promise<void> {
  if (!firstInWindow || !c.req.path.startsWith('/v1/')) return
  const key = c.req.header('x-earshot-key') ?? c.req.query('key')
  if (!key || key.length > 128) return
  const project = await projectByKey(deps, key)
  if (project) await countAbuse(deps, project.id, 'rate_limited')
}
