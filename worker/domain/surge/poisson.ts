/** log Γ(x) by the Lanczos approximation (enough precision for tail probabilities). */
function logGamma(x: number): number {
  const g = 7
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  x -= 1
  let a = c[0]!
  const t = x + g + 0.5
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}

/** P(X ≥ k) for X ~ Poisson(λ): how surprising k events are when λ were expected. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1
  if (lambda <= 0) return 0
  if (k <= lambda) return 1 // not a surprise; callers only care about small tails
  // Sum the terms from k upwards: the first in log space, the rest by the ratio λ/(i+1), which is
  // below 1 past λ. (Recomputing each term with exp/log cost ~0.5 ms per report on the ingest path
  // when k sits just above a large λ, as it does for a busy project's window.)
  let term = Math.exp(k * Math.log(lambda) - lambda - logGamma(k + 1))
  if (term === 0) return 0 // below the smallest double: the whole tail is too
  let sum = 0
  for (let i = k; i < k + 100_000; i++) {
    sum += term
    if (term < sum * 1e-12) break
    term *= lambda / (i + 1)
  }
  return Math.min(1, sum)
}
