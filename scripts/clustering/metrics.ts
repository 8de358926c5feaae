// Clustering agreement scores: Adjusted Rand Index and Adjusted Mutual Information.
// AMI follows Vinh, Epps & Bailey (2010) with the arithmetic-mean normaliser (scikit-learn's default),
// expected mutual information computed exactly under the hypergeometric (permutation) model.

type Label = string | number

interface Table {
  n: number
  rows: number[] // sizes of true classes
  cols: number[] // sizes of predicted clusters
  cells: Map<string, number> // "i,j" → count (non-zero only)
}

function contingency(truth: readonly Label[], pred: readonly Label[]): Table {
  if (truth.length !== pred.length) throw new Error('label arrays differ in length')
  const ri = new Map<Label, number>()
  const ci = new Map<Label, number>()
  const rows: number[] = []
  const cols: number[] = []
  const cells = new Map<string, number>()
  for (let k = 0; k < truth.length; k++) {
    let i = ri.get(truth[k]!)
    if (i === undefined) ri.set(truth[k]!, (i = rows.push(0) - 1))
    let j = ci.get(pred[k]!)
    if (j === undefined) ci.set(pred[k]!, (j = cols.push(0) - 1))
    rows[i]!++
    cols[j]!++
    const key = i + ',' + j
    cells.set(key, (cells.get(key) ?? 0) + 1)
  }
  return { n: truth.length, rows, cols, cells }
}

const pairs = (x: number) => (x * (x - 1)) / 2

export function adjustedRandIndex(truth: readonly Label[], pred: readonly Label[]): number {
  const t = contingency(truth, pred)
  let index = 0
  for (const c of t.cells.values()) index += pairs(c)
  const a = t.rows.reduce((s, x) => s + pairs(x), 0)
  const b = t.cols.reduce((s, x) => s + pairs(x), 0)
  const expected = (a * b) / pairs(t.n)
  const max = (a + b) / 2
  if (max === expected) return 1 // both partitions trivial (all in one, or all apart) and equal
  return (index - expected) / (max - expected)
}

function entropy(sizes: number[], n: number): number {
  let h = 0
  for (const s of sizes) if (s > 0) h -= (s / n) * Math.log(s / n)
  return h
}

export function mutualInformation(truth: readonly Label[], pred: readonly Label[]): number {
  const t = contingency(truth, pred)
  return miOf(t)
}

function miOf(t: Table): number {
  let mi = 0
  for (const [key, c] of t.cells) {
    const [i, j] = key.split(',').map(Number) as [number, number]
    mi += (c / t.n) * Math.log((t.n * c) / (t.rows[i]! * t.cols[j]!))
  }
  return mi
}

/** Expected mutual information of two random partitions with the given class sizes. */
export function expectedMutualInformation(rows: number[], cols: number[], n: number): number {
  const lf = new Float64Array(n + 1) // log factorials
  for (let i = 2; i <= n; i++) lf[i] = lf[i - 1]! + Math.log(i)
  let emi = 0
  for (const a of rows) {
    for (const b of cols) {
      const lo = Math.max(1, a + b - n)
      const hi = Math.min(a, b)
      for (let nij = lo; nij <= hi; nij++) {
        const term = (nij / n) * Math.log((n * nij) / (a * b))
        const logP =
          lf[a]! +
          lf[b]! +
          lf[n - a]! +
          lf[n - b]! -
          lf[n]! -
          lf[nij]! -
          lf[a - nij]! -
          lf[b - nij]! -
          lf[n - a - b + nij]!
        emi += term * Math.exp(logP)
      }
    }
  }
  return emi
}

export function adjustedMutualInformation(truth: readonly Label[], pred: readonly Label[]): number {
  const t = contingency(truth, pred)
  // Both partitions identical and trivial: scikit-learn returns 1.
  if ((t.rows.length === 1 && t.cols.length === 1) || (t.rows.length === t.n && t.cols.length === t.n)) return 1
  const mi = miOf(t)
  const emi = expectedMutualInformation(t.rows, t.cols, t.n)
  const mean = (entropy(t.rows, t.n) + entropy(t.cols, t.n)) / 2
  const denom = mean - emi
  if (Math.abs(denom) < 1e-15) return 0
  return (mi - emi) / denom
}
