// Busy hours (settings.activity): a scope's expected count follows how much busier the project is
// now than over the day, so the afternoon peak does not look like a surge of every cluster.
import { describe, expect, it } from 'vitest'
import type { ScopeSnapshot, SurgeStateRow } from '../../worker/domain/surge/counters.js'
import { PROJECT_DAY_SCOPE } from '../../worker/domain/surge/counters.js'
import { activityOf, evaluate } from '../../worker/domain/surge/detect.js'
import { DEFAULT_SURGE_SETTINGS as D } from '../../worker/domain/surge/settings.js'

const MIN = 60_000
const now = Date.UTC(2026, 0, 10, 15, 0)

function state(scope: string, mass: number, ageMinutes: number): SurgeStateRow {
  const at = now - ageMinutes * MIN
  return { projectId: 'p', scope, mass, decayedAt: now, firstSeenAt: at, activeSurgeId: null, lastHotAt: null }
}
const snap = (st: SurgeStateRow): ScopeSnapshot => ({ state: st, counts: { reports: 0, reporters: 0 } })

/** The project's two baselines: `recentPerMin` over its 2-hour one, `dayPerMin` over its day-long one. */
function project(recentPerMin: number, dayPerMin: number, ageMinutes = 3 * 24 * 60) {
  // A steady rate r for `age` minutes leaves a decayed mass of r·τ·(1 − e^(−age/τ)).
  const mass = (rate: number, tau: number) => rate * tau * (1 - Math.exp(-ageMinutes / tau))
  return new Map([
    ['*', snap(state('*', mass(recentPerMin, D.project.baselineMinutes), ageMinutes))],
    [PROJECT_DAY_SCOPE, snap(state(PROJECT_DAY_SCOPE, mass(dayPerMin, D.cluster.baselineMinutes), ageMinutes))],
  ])
}

describe('activity', () => {
  it('is the recent rate over the day-long rate, between 1 and maxFactor', () => {
    expect(activityOf(D, project(0.85, 0.5), now)).toBeCloseTo(1.7, 1)
    expect(activityOf(D, project(0.15, 0.5), now)).toBe(1) // a quiet night never makes surging easier
    expect(activityOf(D, project(5, 0.5), now)).toBe(D.activity.maxFactor)
  })

  it('waits for a day of history before it compares', () => {
    expect(activityOf(D, project(0.85, 0.5, 60), now)).toBe(1)
  })

  it('three reports from three people on a quiet word surge at a normal hour, not in a 3x busier one', () => {
    // A word seen about once an hour over the past day.
    const word = { mass: 24, firstSeenAt: now - 3 * 24 * 60 * MIN }
    const counts = { reports: 3, reporters: 3 }
    expect(evaluate(D.topic, D.windowMinutes, counts, word, now, 1).hot).toBe(false)
    const rare = { mass: 3, firstSeenAt: now - 3 * 24 * 60 * MIN }
    const normal = evaluate(D.topic, D.windowMinutes, counts, rare, now, 1)
    const busy = evaluate(D.topic, D.windowMinutes, counts, rare, now, 3)
    expect(normal.hot).toBe(true)
    expect(busy.expected).toBeCloseTo(normal.expected * 3, 6)
    expect(busy.hot).toBe(false)
  })
})
