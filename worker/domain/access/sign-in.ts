// Sign-in: an account's own password, or — for an e-mail that has no account yet — the newest
// claim a new person left on an invitation link (members.ts), which becomes their account now.
import { eq } from 'drizzle-orm'
import { responders } from '../../db/schema/index.js'
import { normalizeEmail, verifyPasswordOrDummy } from './auth.js'
import type { Deps } from '../shared/index.js'
import { accountFromClaim, newestClaim } from './members.js'

/** The signed-in account, or undefined; always spends exactly one password hash (no timing tell). */
export async function signIn(deps: Deps, email: string, password: string) {
  const address = normalizeEmail(email)
  const account = await deps.db.orm.select().from(responders).where(eq(responders.email, address)).get()
  if (account) return (await verifyPasswordOrDummy(password, account.passwordHash)) ? account : undefined
  const claim = await newestClaim(deps.db.orm, address, deps.clock.now())
  if (!(await verifyPasswordOrDummy(password, claim?.claimPasswordHash ?? undefined)) || !claim) return undefined
  return accountFromClaim(deps, claim)
}
