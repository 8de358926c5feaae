// Per-scope counters: one bucket row per minute, each reporter's last minute, and a decayed total.
// Everything is a primary-key read or upsert, plus a range read of the few buckets in the window.
import { and, between, eq, inArray, sql } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { surgeBuckets, surgeReporters, surgeState } from '../../db/schema/index.js'

export type SurgeStateRow = typeof surgeState.$inferSelect

export interface WindowCounts {
  reports: number
  reporters: number
}

export const minuteOf = (ms: number) => Math.floor(ms / 60_000)

/** Counts one report in a scope's bucket and moves its reporter to this minute. */
export async function countReport(tx: Tx, projectId: string, scope: string, reporter: string, minute: number): Promise<void> {
  const key = and(eq(surgeReporters.projectId, projectId), eq(surgeReporters.scope, scope), eq(surgeReporters.reporter, reporter))
  const seen = await tx.select({ minute: surgeReporters.minute }).from(surgeReporters).where(key).get()
  let newReporter = 0
  if (!seen) {
    await tx.insert(surgeReporters).values({ projectId, scope, reporter, minute })
    newReporter = 1
  } else if (seen.minute < minute) {
    await tx.update(surgeReporters).set({ minute }).where(key)
    await tx
      .update(surgeBuckets)
      .set({ reportersLast: sql`${surgeBuckets.reportersLast} - 1` })
      .where(and(eq(surgeBuckets.projectId, projectId), eq(surgeBuckets.scope, scope), eq(surgeBuckets.minute, seen.minute)))
    newReporter = 1
  }
  await tx
    .insert(surgeBuckets)
    .values({ projectId, scope, minute, reports: 1, reportersLast: newReporter })
    .onConflictDoUpdate({
      target: [surgeBuckets.projectId, surgeBuckets.scope, surgeBuckets.minute],
      set: { reports: sql`${surgeBuckets.reports} + 1`, reportersLast: sql`${surgeBuckets.reportersLast} + ${newReporter}` },
    })
}

/** Reports and distinct reporters in the window of `windowMinutes` ending with `minute`. */
export async function windowCounts(tx: Tx, projectId: string, scopes: string[], minute: number, windowMinutes: number): Promise<WindowCounts> {
  if (scopes.length === 0) return { reports: 0, reporters: 0 }
  const row = await tx
    .select({ reports: sql<number>`coalesce(sum(${surgeBuckets.reports}), 0)`, reporters: sql<number>`coalesce(sum(${surgeBuckets.reportersLast}), 0)` })
    .from(surgeBuckets)
    .where(
      and(
        eq(surgeBuckets.projectId, projectId),
        scopes.length === 1 ? eq(surgeBuckets.scope, scopes[0]!) : inArray(surgeBuckets.scope, scopes),
        between(surgeBuckets.minute, minute - windowMinutes + 1, minute),
      ),
    )
    .get()
  return { reports: Number(row?.reports ?? 0), reporters: Number(row?.reporters ?? 0) }
}

/** Adds one report to the scope's decayed mass (Σ exp(-Δt/τ)); creates the state on first sight. */
export async function bumpState(tx: Tx, projectId: string, scope: string, at: number, tauMinutes: number): Promise<SurgeStateRow> {
  const key = and(eq(surgeState.projectId, projectId), eq(surgeState.scope, scope))
  const state = await tx.select().from(surgeState).where(key).get()
  if (!state) {
    const row: SurgeStateRow = { projectId, scope, mass: 1, decayedAt: at, firstSeenAt: at, activeSurgeId: null, lastHotAt: null }
    await tx.insert(surgeState).values(row)
    return row
  }
  // Reports replayed slightly out of order are added with their own (smaller) weight.
  const elapsed = (at - state.decayedAt) / 60_000
  const mass = elapsed >= 0 ? state.mass * Math.exp(-elapsed / tauMinutes) + 1 : state.mass + Math.exp(elapsed / tauMinutes)
  const decayedAt = Math.max(at, state.decayedAt)
  await tx.update(surgeState).set({ mass, decayedAt }).where(key)
  return { ...state, mass, decayedAt }
}

export async function setSurgeState(tx: Tx, projectId: string, scope: string, values: Partial<Pick<SurgeStateRow, 'activeSurgeId' | 'lastHotAt'>>) {
  await tx
    .update(surgeState)
    .set(values)
    .where(and(eq(surgeState.projectId, projectId), eq(surgeState.scope, scope)))
}
