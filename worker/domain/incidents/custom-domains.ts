import { and, eq, isNotNull, isNull, lt, ne, or } from 'drizzle-orm'
import type { Reader } from '../../db/client.js'
import { customDomains, projects } from '../../db/schema/index.js'
import type { Deps } from '../shared/index.js'
import { newSecret } from '../shared/index.js'
import { DnsLookupError, type TxtLookup } from './dns-txt.js'

// A project's own status host (status.acme.com). Claiming one costs nothing and changes nothing
// for anyone else; it is served only after the project proves it controls the name's DNS with a
// TXT record carrying the claim's token. Verified names are unique (custom_domains_verified_unique).

export type CustomDomain = typeof customDomains.$inferSelect

export const TXT_PREFIX = '_earshot-challenge.'
export const TXT_VALUE_PREFIX = 'earshot-domain-verification='

/** The TXT record a claim must publish. */
export function verificationRecord(claim: Pick<CustomDomain, 'domain' | 'token'>) {
  return { type: 'TXT' as const, name: `${TXT_PREFIX}${claim.domain}`, value: `${TXT_VALUE_PREFIX}${claim.token}` }
}

export async function getCustomDomain(db: Reader, projectId: string): Promise<CustomDomain | undefined> {
  return db.select().from(customDomains).where(eq(customDomains.projectId, projectId)).get()
}

/** The project's verified custom domain, if it has one. */
export async function verifiedDomainOf(db: Reader, projectId: string): Promise<string | undefined> {
  const row = await db
    .select({ domain: customDomains.domain })
    .from(customDomains)
    .where(and(eq(customDomains.projectId, projectId), isNotNull(customDomains.verifiedAt)))
    .get()
  return row?.domain
}

/** The slug of the project whose verified custom domain is `host` (one at most: unique index). */
export async function slugForVerifiedDomain(db: Reader, host: string): Promise<string | undefined> {
  const row = await db
    .select({ slug: projects.slug })
    .from(customDomains)
    .innerJoin(projects, eq(projects.id, customDomains.projectId))
    .where(and(eq(customDomains.domain, host), isNotNull(customDomains.verifiedAt)))
    .get()
  return row?.slug
}

async function verifiedElsewhere(db: Reader, domain: string, projectId: string): Promise<boolean> {
  const row = await db
    .select({ projectId: customDomains.projectId })
    .from(customDomains)
    .where(
      and(
        eq(customDomains.domain, domain),
        isNotNull(customDomains.verifiedAt),
        ne(customDomains.projectId, projectId),
      ),
    )
    .get()
  return !!row
}

/**
 * Sets the project's custom domain (a pending claim with a fresh token) or, with null, removes it.
 * The same domain again keeps its token and verification. `taken`: another project has verified it.
 */
export async function claimCustomDomain(
  deps: Pick<Deps, 'db' | 'clock'>,
  projectId: string,
  domain: string | null,
): Promise<CustomDomain | null | 'taken'> {
  return deps.db.write(async (tx) => {
    if (!domain) {
      await tx.delete(customDomains).where(eq(customDomains.projectId, projectId))
      return null
    }
    if (await verifiedElsewhere(tx, domain, projectId)) return 'taken' as const
    const existing = await getCustomDomain(tx, projectId)
    if (existing?.domain === domain) return existing
    const row: CustomDomain = {
      projectId,
      domain,
      token: newSecret('ecd').slice(4),
      createdAt: deps.clock.now(),
      verifiedAt: null,
      checkedAt: null,
      lastError: null,
      recheckFailedAt: null,
    }
    await tx
      .insert(customDomains)
      .values(row)
      .onConflictDoUpdate({
        target: customDomains.projectId,
        set: {
          domain: row.domain,
          token: row.token,
          createdAt: row.createdAt,
          verifiedAt: null,
          checkedAt: null,
          lastError: null,
          recheckFailedAt: null,
        },
      })
    return row
  })
}

export type VerifyOutcome =
  | { result: 'verified'; claim: CustomDomain }
  | { result: 'not_found' | 'lookup_failed' | 'taken'; claim: CustomDomain; message: string }
  | { result: 'no_claim' }

/**
 * Looks up the claim's TXT record (outside the write transaction: DNS can take seconds) and, when
 * it carries the token, marks the domain verified — unless another project verified it first.
 * Every check is recorded (checked_at, last_error) so the dashboard can say what it found.
 */
export async function verifyCustomDomain(
  deps: Pick<Deps, 'db' | 'clock'>,
  projectId: string,
  lookupTxt: TxtLookup,
): Promise<VerifyOutcome> {
  const claim = await getCustomDomain(deps.db.orm, projectId)
  if (!claim) return { result: 'no_claim' }
  if (claim.verifiedAt != null) return { result: 'verified', claim }
  const record = verificationRecord(claim)
  let found: 'yes' | 'no' | string
  try {
    const values = await lookupTxt(record.name)
    found = values.some((v) => v.trim() === record.value) ? 'yes' : 'no'
  } catch (error) {
    if (!(error instanceof DnsLookupError)) throw error
    found = error.message
  }
  const now = deps.clock.now()
  const same = and(eq(customDomains.projectId, projectId), eq(customDomains.token, claim.token))
  const fail = async (result: 'not_found' | 'lookup_failed' | 'taken', message: string): Promise<VerifyOutcome> => {
    await deps.db.write((tx) => tx.update(customDomains).set({ checkedAt: now, lastError: message }).where(same))
    return { result, claim: { ...claim, checkedAt: now, lastError: message }, message }
  }
  if (found === 'no')
    return fail(
      'not_found',
      `No TXT record ${record.name} with the value ${record.value} was found yet. ` +
        'DNS changes can take a few minutes to show.',
    )
  if (found !== 'yes')
    return fail('lookup_failed', `Could not look up ${record.name}: ${found}. Try again in a minute.`)
  try {
    const verified = await deps.db.write(async (tx) => {
      if (await verifiedElsewhere(tx, claim.domain, projectId)) return 'taken' as const
      // Matches nothing when the claim changed meanwhile (another domain, a new token).
      const rows = await tx
        .update(customDomains)
        .set({ verifiedAt: now, checkedAt: now, lastError: null, recheckFailedAt: null })
        .where(same)
        .returning({ projectId: customDomains.projectId })
      return rows.length ? ('verified' as const) : ('changed' as const)
    })
    if (verified === 'verified')
      return {
        result: 'verified',
        claim: { ...claim, verifiedAt: now, checkedAt: now, lastError: null, recheckFailedAt: null },
      }
    if (verified === 'changed') return verifyCustomDomain(deps, projectId, lookupTxt)
  } catch (error) {
    // Two projects verifying the same name at once: the unique index lets one of them win.
    if (!/UNIQUE/i.test(String((error as Error)?.message))) throw error
  }
  return fail('taken', `${claim.domain} is already verified by another project.`)
}

const DAY = 24 * 3600_000
/** How often a verified domain's record is looked up again, and how long it may be missing. */
export const RECHECK_EVERY_MS = DAY
export const RECHECK_GRACE_MS = 3 * DAY
/** Domains re-checked per background run (each is a DNS lookup; the rest wait for the next run). */
const RECHECKS_PER_RUN = 20

export type RecheckOutcome = { domain: string; result: 'still_verified' | 'missing' | 'withdrawn' | 'lookup_failed' }

/**
 * Verification is not forever: the domain may have changed hands, and a stale claim would keep its
 * new owner from verifying it for their own project ("already verified by another project"). Each
 * verified domain is looked up again daily; a record missing for three days in a row withdraws the
 * verification (the page stops being served there, links fall back to the Earshot URL, and the
 * dashboard says why). A failing resolver never counts against a domain.
 */
export async function recheckVerifiedDomains(
  deps: Pick<Deps, 'db' | 'clock'>,
  lookupTxt: TxtLookup,
): Promise<RecheckOutcome[]> {
  const now = deps.clock.now()
  const due = await deps.db.orm
    .select()
    .from(customDomains)
    .where(
      and(
        isNotNull(customDomains.verifiedAt),
        or(isNull(customDomains.checkedAt), lt(customDomains.checkedAt, now - RECHECK_EVERY_MS)),
      ),
    )
    .limit(RECHECKS_PER_RUN)
    .all()
  const outcomes: RecheckOutcome[] = []
  for (const claim of due) {
    const record = verificationRecord(claim)
    let found: boolean | string
    try {
      found = (await lookupTxt(record.name)).some((v) => v.trim() === record.value)
    } catch (error) {
      if (!(error instanceof DnsLookupError)) throw error
      found = error.message
    }
    const same = and(
      eq(customDomains.projectId, claim.projectId),
      eq(customDomains.token, claim.token),
      isNotNull(customDomains.verifiedAt),
    )
    let set: Partial<CustomDomain>
    let result: RecheckOutcome['result']
    if (found === true) {
      set = { checkedAt: now, lastError: null, recheckFailedAt: null }
      result = 'still_verified'
    } else if (found === false) {
      const since = claim.recheckFailedAt ?? now
      const withdraw = now - since >= RECHECK_GRACE_MS
      set = withdraw
        ? {
            verifiedAt: null,
            checkedAt: now,
            recheckFailedAt: null,
            lastError:
              `The TXT record ${record.name} has been missing since ${new Date(since).toISOString().slice(0, 10)}, ` +
              `so ${claim.domain} is no longer verified. Publish the record again and press Verify.`,
          }
        : {
            checkedAt: now,
            recheckFailedAt: since,
            lastError:
              `The TXT record ${record.name} is missing. ` +
              `Keep it published: after three days without it, ${claim.domain} stops being verified.`,
          }
      result = withdraw ? 'withdrawn' : 'missing'
    } else {
      set = { checkedAt: now, lastError: `Could not look up ${record.name}: ${found}. Checked again tomorrow.` }
      result = 'lookup_failed'
    }
    await deps.db.write((tx) => tx.update(customDomains).set(set).where(same))
    outcomes.push({ domain: claim.domain, result })
  }
  return outcomes
}
