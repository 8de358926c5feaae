// Fast in-memory prototype of the online algorithm, only for exploring features and thresholds.
// The real engine (worker/domain/clustering) runs against libSQL; benches use that.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { reportBag, weigh, dot, DEFAULT_WEIGHTS, type Weights } from '../../worker/domain/clustering/features.js'
import { adjustedMutualInformation as ami, adjustedRandIndex as ari } from './metrics.js'

const sets = ['clinc150/test', 'hwu64/test', 'smp_ecdt/train', 'gitbugs_hadoop_dups/all'].filter(
  (s) =>
    !process.argv.some((a) => a.startsWith('--only=')) ||
    process.argv.some((a) => a === '--only=' + s.split('/')[0].split('_')[0]),
)
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')) as [string, string][])
const T = Number(args.t ?? 0.3)
const TM = Number(args.tm ?? 0.5)
const weights: Weights = { ...DEFAULT_WEIGHTS, w: Number(args.w ?? 1), g: Number(args.g ?? 1) }

let curLabels: string[] = []
for (const s of sets) {
  const rows = parse(readFileSync(`/work/shared/data/${s}.csv`), { columns: true }) as { text: string; label: string }[]
  const df = new Map<string, number>()
  let docs = 0
  const sums: Map<string, number>[] = []
  const sizes: number[] = []
  const assign: number[] = []
  const vecs: Map<string, number>[] = []
  if (args.oracle) {
    for (const r of rows) {
      const bag = reportBag({ message: r.text })
      for (const k of bag.keys()) df.set(k, (df.get(k) ?? 0) + 1)
    }
    docs = rows.length
  }
  for (const r of rows) {
    const bag = reportBag({ message: r.text })
    if (!args.oracle) {
      docs++
      for (const k of bag.keys()) df.set(k, (df.get(k) ?? 0) + 1)
    }
    const v = weigh(bag, docs, (k) => df.get(k) ?? 0, weights)
    vecs.push(v)
    let best = -1
    let bestS = -1
    for (let c = 0; c < sums.length; c++) {
      const sum = sums[c]!
      let nn = 0
      for (const x of sum.values()) nn += x * x
      const s2 = dot(v, sum) / Math.sqrt(nn)
      if (s2 > bestS) {
        bestS = s2
        best = c
      }
    }
    const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(r.text)
    const young = Number(args.young ?? 0) * Math.max(0, 1 - docs / Number(args.youngN ?? 1000))
    if (best >= 0 && bestS >= (cjk ? Number(args.tc ?? T) : T) * (1 + young)) {
      const sum = sums[best]!
      for (const [k, x] of v) sum.set(k, (sum.get(k) ?? 0) + x)
      sizes[best]!++
      assign.push(best)
    } else {
      sums.push(new Map(v))
      sizes.push(1)
      assign.push(sums.length - 1)
    }
  }
  const labels = rows.map((r) => r.label)
  curLabels = labels
  const nl0 = new Set(labels).size
  console.log(
    s.padEnd(28),
    'ingest  clusters',
    String(new Set(assign).size).padStart(4),
    '/',
    nl0,
    'AMI',
    ami(labels, assign).toFixed(3),
    'ARI',
    ari(labels, assign).toFixed(3),
  )
  if (args.refine)
    refine(
      rows.map((r) => reportBag({ message: r.text })),
      assign,
      df,
      docs,
    )
  const nl = new Set(labels).size
  console.log(
    s.padEnd(28),
    'online  clusters',
    String(new Set(assign).size).padStart(4),
    '/',
    nl,
    'AMI',
    ami(labels, assign).toFixed(3),
    'ARI',
    ari(labels, assign).toFixed(3),
  )
}

function centroidsOf(vs: Map<string, number>[], assign: number[]) {
  const cs = new Map<number, { sum: Map<string, number>; n: number; norm: number }>()
  for (let i = 0; i < vs.length; i++) {
    let c = cs.get(assign[i]!)
    if (!c) cs.set(assign[i]!, (c = { sum: new Map(), n: 0, norm: 0 }))
    c.n++
    for (const [k, x] of vs[i]!) c.sum.set(k, (c.sum.get(k) ?? 0) + x)
  }
  for (const c of cs.values()) {
    let nn = 0
    for (const x of c.sum.values()) nn += x * x
    c.norm = Math.sqrt(nn)
  }
  return cs
}
function refine(bags: Map<string, number>[], assign: number[], df: Map<string, number>, docs: number) {
  const vs = bags.map((b) => weigh(b, docs, (k) => df.get(k) ?? 0, weights))
  for (let round = 0; round < Number(args.rounds ?? 3); round++) {
    // merge: greedy most-similar pairs of centroids above TM
    let cs = centroidsOf(vs, assign)
    const ids = [...cs.keys()]
    const pairs: [number, number, number][] = []
    for (let a = 0; a < ids.length; a++)
      for (let b = a + 1; b < ids.length; b++) {
        const A = cs.get(ids[a]!)!,
          B = cs.get(ids[b]!)!
        const [S, L] = A.n <= B.n ? [A, B] : [B, A]
        const s = args.mm
          ? dot(A.sum, B.sum) / (S.n * L.norm)
          : args.avg
            ? dot(A.sum, B.sum) / (A.n * B.n)
            : dot(A.sum, B.sum) / (A.norm * B.norm)
        const isC = [...A.sum.keys()].slice(0, 5).some((k) => /\p{Script=Han}/u.test(k))
        const need = args.mm
          ? Number(args.mm) *
            (S.n <= Number(args.smalln ?? 0) ? Number(args.absorb ?? 1) : 1) *
            (isC ? Number(args.tc) : T)
          : Math.min(A.n, B.n) === 1
            ? Number(isC ? (args.tm1c ?? args.tc) : (args.tm1 ?? T))
            : isC
              ? Number(args.tmc ?? TM)
              : TM
        const yf = 1 + Number(args.young ?? 0) * Math.max(0, 1 - docs / Number(args.youngN ?? 1000))
        if (s >= need * yf) pairs.push(A.n >= B.n ? [s, ids[a]!, ids[b]!] : [s, ids[b]!, ids[a]!])
      }
    pairs.sort((x, y) => y[0] - x[0])
    const into = new Map<number, number>()
    const find = (x: number): number => {
      while (into.has(x)) x = into.get(x)!
      return x
    }
    const touched = new Set<number>()
    const sources = new Set<number>(),
      targets = new Set<number>()
    for (const [, a, b] of pairs) {
      if (args.multi ? sources.has(b) || sources.has(a) || targets.has(b) : touched.has(a) || touched.has(b)) continue
      const ra = find(a),
        rb = find(b)
      if (ra !== rb) {
        into.set(rb, ra)
        touched.add(a)
        touched.add(b)
        sources.add(b)
        targets.add(a)
      }
    }
    for (let i = 0; i < assign.length; i++) assign[i] = find(assign[i]!)
    // reassign each doc to best centroid (k-means step) if better than own
    cs = centroidsOf(vs, assign)
    const list = [...cs.entries()]
    for (let i = 0; i < vs.length; i++) {
      let best = assign[i]!,
        bestS = -1
      for (const [id, c] of list) {
        const s = dot(vs[i]!, c.sum) / c.norm
        if (s > bestS) {
          bestS = s
          best = id
        }
      }
      if (args.reassign) assign[i] = best
      if (args.eject) {
        const own = cs.get(assign[i]!)!
        if (own.n > 1) {
          const d = dot(vs[i]!, own.sum)
          const ownS = (d - 1) / Math.sqrt(Math.max(1e-9, own.norm * own.norm - 2 * d + 1))
          const cjk = /[\p{Script=Han}]/u.test([...bags[i]!.keys()].join(''))
          const th = cjk ? Number(args.tc ?? T) : T
          if (ownS < th * Number(args.eject)) {
            let b2 = -1,
              s2 = -1
            for (const [id, c] of list) {
              if (id === assign[i]) continue
              const s = dot(vs[i]!, c.sum) / c.norm
              if (s > s2) {
                s2 = s
                b2 = id
              }
            }
            assign[i] = s2 >= th ? b2 : 100000 + i
          }
        }
      }
    }
    console.log(
      '   refine round',
      round,
      'clusters',
      new Set(assign).size,
      'AMI',
      ami(curLabels, assign).toFixed(3),
      'ARI',
      ari(curLabels, assign).toFixed(3),
    )
  }
}
