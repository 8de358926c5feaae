// Issue 13: surges that mean something, sooner. Right after a deploy marker the project needs less
// evidence; in an hour that was busy a day earlier it needs more.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { surges } from '../../worker/db/schema/index.js'
import { recordDeploy } from '../../worker/domain/surge/index.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { DISTINCT_COMPLAINTS, report } from './helpers.js'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

const MIN = 60_000
const scopes = async () => (await t.db.orm.select().from(surges).all()).map((s) => s.scope)

/** An hour and a quarter of ordinary traffic (one different complaint every 2.5 minutes). */
async function ordinaryHours() {
  for (let i = 0; i < 30; i++) {
    await report(t, DISTINCT_COMPLAINTS[i % DISTINCT_COMPLAINTS.length]!, `bg-${i}`)
    t.clock.advance(2.5 * MIN)
  }
  t.clock.advance(5 * MIN)
}

/** Ten different complaints from ten people in four minutes: none repeated, so no cluster or word surges. */
async function manySymptoms() {
  for (let i = 0; i < 10; i++) {
    await report(t, DISTINCT_COMPLAINTS[(i + 30) % DISTINCT_COMPLAINTS.length]!, `after-${i}`)
    t.clock.advance(24_000)
  }
}

describe('after a deploy', () => {
  it('many different complaints right after a deploy marker alert for the project', async () => {
    await ordinaryHours()
    const deploy = await recordDeploy(t.deps, t.seed.projectId, { release: 'web@5.0.0' })
    t.clock.advance(2 * MIN)
    await manySymptoms()
    const all = await t.db.orm.select().from(surges).all()
    expect(all.map((s) => s.scope)).toEqual(['project'])
    expect(all[0]!.deployId).toBe(deploy.id)
  })

  it('the same complaints without a deploy marker are not enough', async () => {
    await ordinaryHours()
    t.clock.advance(2 * MIN)
    await manySymptoms()
    expect(await scopes()).toEqual([])
  })
})

describe('the same hour a day earlier', () => {
  /** Day one: an hour of `perHour` different complaints from 12:00; day two: two quiet hours, then a burst at 12:35. */
  async function twoDays(perHour: number) {
    t.clock.set(Date.UTC(2026, 10, 21, 12, 0))
    for (let i = 0; i < perHour; i++) {
      await report(t, DISTINCT_COMPLAINTS[i % DISTINCT_COMPLAINTS.length]!, `day1-${i}`)
      t.clock.advance((60 * MIN) / perHour)
    }
    t.clock.set(Date.UTC(2026, 10, 22, 10, 30))
    for (let i = 0; i < 12; i++) {
      await report(t, DISTINCT_COMPLAINTS[(i + 7) % DISTINCT_COMPLAINTS.length]!, `day2-${i}`)
      t.clock.advance(10 * MIN)
    }
    t.clock.set(Date.UTC(2026, 10, 22, 12, 35))
    for (let i = 0; i < 8; i++) {
      await report(t, DISTINCT_COMPLAINTS[(i + 20) % DISTINCT_COMPLAINTS.length]!, `burst-${i}`)
      t.clock.advance(30_000)
    }
  }

  it('eight different complaints in four minutes after a quiet morning alert for the project', async () => {
    await twoDays(6)
    expect(await scopes()).toEqual(['project'])
  })

  it('the same eight are ordinary when that hour was busy the day before', async () => {
    await twoDays(40)
    expect(await scopes()).toEqual([])
  })
})
