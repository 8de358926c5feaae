// One simulated week for bench:surge: background traffic with a daily and weekly cycle, built from
// labelled texts with Zipf popularity, and the injected surges (what they are: BENCHMARKS.md).
import type { ReplayRow } from '../surge-replay.js'
import { rng } from '../lib/rng.js'
import { WEB_LABELS, WEB_PROBLEMS, type Texts } from './data.js'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

function poisson(random: () => number, lambda: number): number {
  const l = Math.exp(-lambda)
  let k = 0
  let p = 1
  do {
    k++
    p *= random()
  } while (p > l)
  return k - 1
}
const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!

export interface Injected {
  name: string
  kind: 'cluster' | 'project'
  onset: number
  end: number
  /** reports it adds */
  reports: number
  note: string
  /** the dataset label its texts come from ('many' for project-wide surges) */
  label: string
}

export interface Tagged extends ReplayRow {
  /** index into the injected surges, -1 for background */
  tag: number
}

export function buildWeek(
  seed: number,
  start: number,
  en: Texts,
  zh: Texts,
  ratePerMin: number,
  opts: { benignDeploys?: boolean } = {},
) {
  const random = rng(seed)
  const enLabels = [...en.keys()].sort()
  const zhLabels = [...zh.keys()].sort()
  // Shuffle, then hold some labels out of the background: they become brand-new problems.
  const shuffle = <T>(list: T[]) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[list[i], list[j]] = [list[j]!, list[i]!]
    }
    return list
  }
  shuffle(enLabels)
  shuffle(zhLabels)
  const heldEn = enLabels.splice(0, 4)
  const heldZh = zhLabels.splice(0, 2)
  // Background popularity: a few problems are common, most are rare (Zipf, s = 0.8).
  const pool = [
    ...enLabels.map((l) => ({ lang: 'en' as const, label: l })),
    ...zhLabels.map((l) => ({ lang: 'zh' as const, label: l })),
  ]
  const weights = pool.map((_, i) => 1 / (i + 1) ** 0.8)
  const totalWeight = weights.reduce((a, b) => a + b, 0)
  shuffle(pool) // popularity independent of language
  const pickBackground = () => {
    let x = random() * totalWeight
    for (let i = 0; i < pool.length; i++) if ((x -= weights[i]!) <= 0) return pool[i]!
    return pool[pool.length - 1]!
  }
  const textOf = (p: { lang: 'en' | 'zh' | 'web'; label: string }) =>
    pick(random, p.lang === 'web' ? WEB_PROBLEMS[p.label]! : (p.lang === 'en' ? en : zh).get(p.label)!)

  const rows: Tagged[] = []
  let reporterSeq = 0
  const recent: { id: string; p: { lang: 'en' | 'zh'; label: string }; at: number }[] = []

  // Ordinary traffic: a daily cycle (peak mid-afternoon, trough at night), quieter weekends.
  for (let m = 0; m < 7 * 24 * 60; m++) {
    const at = start + m * MIN
    const hour = (at / HOUR) % 24
    const day = Math.floor((at - start) / DAY)
    const daily = 1 + 0.7 * Math.sin((2 * Math.PI * (hour - 10)) / 24)
    const weekly = day >= 5 ? 0.7 : 1
    const n = poisson(random, ratePerMin * daily * weekly)
    for (let k = 0; k < n; k++) {
      const t = at + Math.floor(random() * MIN)
      // Some customers write twice about the same thing within a few minutes.
      const again = recent.filter((r) => t - r.at < 10 * MIN)
      if (again.length && random() < 0.05) {
        const r = pick(random, again)
        rows.push({ text: textOf(r.p), createdAt: t, reporterId: r.id, tag: -1 })
        continue
      }
      const p = pickBackground()
      const id = `bg-${reporterSeq++}`
      recent.push({ id, p, at: t })
      if (recent.length > 50) recent.shift()
      rows.push({ text: textOf(p), createdAt: t, reporterId: id, release: 'web@1.0.0', tag: -1 })
    }
  }

  // Injected surges, at different times of day, at least a day apart.
  const injected: Injected[] = []
  const at = (day: number, hour: number) => start + day * DAY + hour * HOUR + Math.floor(random() * 50) * MIN
  const burst = (
    tag: number,
    onset: number,
    minutes: number,
    perMin: number,
    next: () => { lang: 'en' | 'zh' | 'web'; label: string },
    release?: string,
  ) => {
    let count = 0
    for (let m = 0; m < minutes; m++) {
      const n = poisson(random, perMin)
      for (let k = 0; k < n; k++) {
        rows.push({
          text: textOf(next()),
          createdAt: onset + m * MIN + Math.floor(random() * MIN),
          reporterId: `s${tag}-${reporterSeq++}`,
          release,
          tag,
        })
        count++
      }
    }
    return count
  }
  const add = (
    s: Omit<Injected, 'reports' | 'end' | 'label'> & {
      minutes: number
      perMin: number
      next: () => { lang: 'en' | 'zh' | 'web'; label: string }
      deploy?: string
    },
  ) => {
    const tag = injected.length
    if (s.deploy) rows.push({ text: '', createdAt: s.onset - 4 * MIN, deployRelease: s.deploy, tag: -2 })
    const reports = burst(tag, s.onset, s.minutes, s.perMin, s.next, s.deploy)
    const label = s.kind === 'project' ? 'many' : s.next().label
    injected.push({
      name: s.name,
      kind: s.kind,
      onset: s.onset,
      end: s.onset + s.minutes * MIN,
      reports,
      note: s.note,
      label,
    })
  }
  const popular = pool[0]!
  const many = () => pickBackground()
  add({
    name: 'new problem (en)',
    kind: 'cluster',
    onset: at(1, 10),
    minutes: 20,
    perMin: 1.2,
    next: () => ({ lang: 'en', label: heldEn[0]! }),
    note: 'a problem never reported before: 1.2 reports/min for 20 min',
  })
  add({
    name: 'new problem (zh), night',
    kind: 'cluster',
    onset: at(2, 3),
    minutes: 20,
    perMin: 1,
    next: () => ({ lang: 'zh', label: heldZh[0]! }),
    note: 'Chinese reports at 03:00: 1 report/min for 20 min',
  })
  add({
    name: 'rolled-back site after deploy',
    kind: 'project',
    onset: at(3, 15),
    minutes: 20,
    perMin: 4,
    next: many,
    deploy: 'web@2.0.0',
    note: 'many different complaints after a deploy, at peak hour: +4 reports/min for 20 min',
  })
  add({
    name: 'common problem gets hot',
    kind: 'cluster',
    onset: at(4, 11),
    minutes: 15,
    perMin: 1.5,
    next: () => popular,
    note: 'the most common background problem: +1.5 reports/min for 15 min',
  })
  add({
    name: 'broken deploy, night',
    kind: 'project',
    onset: at(5, 2),
    minutes: 30,
    perMin: 2.5,
    next: many,
    deploy: 'web@2.0.1',
    note: 'many different complaints at 02:00 on a weekend: +2.5 reports/min for 30 min',
  })
  add({
    name: 'slow new problem',
    kind: 'cluster',
    onset: at(6, 18),
    minutes: 40,
    perMin: 0.6,
    next: () => ({ lang: 'en', label: heldEn[1]! }),
    note: 'weak: 0.6 reports/min for 40 min (below the 5-in-5-minutes design point)',
  })
  // Issue 13: a slow burn (25 reports over 45 minutes) and many symptoms after a deploy.
  add({
    name: 'slow burn',
    kind: 'cluster',
    onset: at(0, 13),
    minutes: 45,
    perMin: 25 / 45,
    next: () => ({ lang: 'en', label: heldEn[2]! }),
    note: '25 reports over 45 min (0.56/min)',
  })
  add({
    name: 'many symptoms after a deploy',
    kind: 'project',
    onset: at(2, 16),
    minutes: 30,
    perMin: 2.4,
    deploy: 'web@3.0.0',
    next: () => ({ lang: 'web', label: pick(random, WEB_LABELS) }),
    note:
      'deploy marker, then 8 different web problems (fonts, pricing page gone, checkout, login loop …) ' +
      'in English and Chinese: +2.4 reports/min for 30 min',
  })
  // Deploys that break nothing, as most do: about two a working day between 09:00 and 18:00. A
  // rule that trusts a deploy marker must not alert on the ordinary traffic after them. Their own
  // random stream, so the reports are the same with or without them.
  if (opts.benignDeploys !== false) {
    const other = rng(seed * 7919 + 17)
    for (let day = 0; day < 5; day++) {
      for (let k = poisson(other, 2); k > 0; k--) {
        const t = start + day * DAY + 9 * HOUR + Math.floor(other() * 9 * HOUR)
        rows.push({ text: '', createdAt: t, deployRelease: `web@1.${day}.${k}`, tag: -2 })
      }
    }
  }
  rows.sort((a, b) => a.createdAt - b.createdAt)
  return { rows, injected }
}
