import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eq } from 'drizzle-orm'
import { projects } from '../../worker/db/schema/index.js'
import { DEFAULT_SURGE_SETTINGS, surgeSettings } from '../../worker/domain/surge/settings.js'
import { signIn } from '../dashboard/helpers.js'
import { createTestApp, type TestApp } from '../support/db.js'

const README = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8')

/** The README's surge defaults table, row label → cells. */
function readmeTable(): Map<string, string[]> {
  const at = README.indexOf('| scope | window | reports ≥ |')
  expect(at, 'README has the surge defaults table').toBeGreaterThan(0)
  const rows = new Map<string, string[]>()
  for (const line of README.slice(at).split('\n').slice(2)) {
    if (!line.startsWith('|')) break
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim())
    rows.set(cells[0]!.split(' ')[0]!, cells.slice(1))
  }
  return rows
}

const duration = (text: string) => {
  if (text === 'none') return 0
  const m = text.match(/^(\d+) (min|h)$/)
  expect(m, text).not.toBeNull()
  return Number(m![1]) * (m![2] === 'h' ? 60 : 1)
}

describe('surge defaults: one source of truth', () => {
  it('the README table quotes the settings schema', () => {
    const d = DEFAULT_SURGE_SETTINGS
    const rows = readmeTable()
    expect([...rows.keys()]).toEqual(['cluster', 'topic', 'project', 'slow', 'deploy:'])
    for (const scope of ['cluster', 'topic', 'project'] as const) {
      const [window, reports, people, ratio, alpha, baseline, warmup] = rows.get(scope)!
      const th = d[scope]
      expect(
        {
          window: duration(window!),
          reports: Number(reports),
          people: Number(people),
          ratio: Number(ratio),
          alpha: Number(alpha),
          baseline: duration(baseline!),
          warmup: duration(warmup!),
        },
        scope,
      ).toEqual({
        window: d.windowMinutes,
        reports: th.minReports,
        people: th.minReporters,
        ratio: th.ratio,
        alpha: th.alpha,
        baseline: th.baselineMinutes,
        warmup: th.warmupMinutes,
      })
    }
    const [window, reports, people, ratio, alpha, baseline] = rows.get('slow')!
    expect({
      window: duration(window!),
      reports: Number(reports),
      people: Number(people),
      ratio: Number(ratio),
      alpha: Number(alpha),
      baseline: duration(baseline!),
    }).toEqual({
      window: d.slow.windowMinutes,
      reports: d.slow.minReports,
      people: d.slow.minReporters,
      ratio: d.slow.ratio,
      alpha: d.slow.alpha,
      baseline: d.cluster.baselineMinutes,
    })
    const [dWindow, dReports, dPeople, dRatio, dAlpha, dBaseline, dWarmup] = rows.get('deploy:')!
    const label = README.match(/\| deploy: the project within (\d+) min after a deploy marker/)?.[1]
    expect({
      minutes: Number(label),
      window: duration(dWindow!),
      reports: Number(dReports),
      people: Number(dPeople),
      ratio: Number(dRatio),
      alpha: Number(dAlpha),
      baseline: duration(dBaseline!),
      warmup: duration(dWarmup!),
    }).toEqual({
      minutes: d.afterDeploy.minutes,
      window: d.windowMinutes,
      reports: d.afterDeploy.minReports,
      people: d.afterDeploy.minReporters,
      ratio: d.afterDeploy.ratio,
      alpha: d.afterDeploy.alpha,
      baseline: d.project.baselineMinutes,
      warmup: d.project.warmupMinutes,
    })
    expect(README).toContain(`A surge ends after ${d.cooldownMinutes} min without a hot window`)
    expect(README).toContain(`latest deploy\nwithin ${d.deployLookbackHours} h`)
  })

  it('stored settings override the defaults; values the schema refuses fall back to them', () => {
    const s = surgeSettings({
      settings: JSON.stringify({
        surge: { cluster: { minReports: 9, ratio: -3 }, windowMinutes: 'x', bogus: 1, slow: { enabled: false } },
      }),
    })
    expect(s.cluster).toEqual({ ...DEFAULT_SURGE_SETTINGS.cluster, minReports: 9 })
    expect(s.windowMinutes).toBe(DEFAULT_SURGE_SETTINGS.windowMinutes)
    expect(s.slow.enabled).toBe(false)
    expect(s.project).toEqual(DEFAULT_SURGE_SETTINGS.project)
    expect(surgeSettings({ settings: '{"surge":[]}' })).toEqual(DEFAULT_SURGE_SETTINGS)
  })
})

describe('project settings API', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(() => t.close())

  const stored = async () =>
    JSON.parse(
      (await t.db.orm.select({ s: projects.settings }).from(projects).where(eq(projects.id, t.seed.projectId)).get())!
        .s ?? '{}',
    )

  it('serves the defaults with the project and stores only what was sent', async () => {
    const admin = await signIn(t)
    const got = await (await admin.get(`/api/projects/${t.seed.projectId}`)).json()
    expect(got.project.surge_defaults).toEqual(DEFAULT_SURGE_SETTINGS)
    const before = await stored()

    const res = await admin.patch(`/api/projects/${t.seed.projectId}`, {
      settings: { surge: { cluster: { minReports: 6 } } },
    })
    expect(res.status).toBe(200)
    expect((await stored()).surge).toEqual({ cluster: { minReports: 6 } })
    expect({ ...(await stored()), surge: undefined }).toEqual({ ...before, surge: undefined })
  })

  it.each([
    [{ cluster: { minReports: 0 } }],
    [{ cluster: { minReports: 2.5 } }],
    [{ windowMinutes: 1000 }],
    [{ slow: { alpha: 2 } }],
    [{ cluster: { nope: 1 } }],
    [{ enabled: 'yes' }],
  ])('refuses %j with 400 invalid_body and stores nothing', async (surge) => {
    const admin = await signIn(t)
    const before = await stored()
    const res = await admin.patch(`/api/projects/${t.seed.projectId}`, { settings: { surge } })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid_body')
    expect(await stored()).toEqual(before)
  })
})
