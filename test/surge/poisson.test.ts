import { describe, expect, it } from 'vitest'
import { poissonTail } from '../../worker/domain/surge/poisson.js'

/** P(X ≥ k) summed term by term from the definition, for small k. */
function tailByDefinition(k: number, lambda: number): number {
  let cdf = 0
  let term = Math.exp(-lambda)
  for (let i = 0; i < k; i++) {
    cdf += term
    term *= lambda / (i + 1)
  }
  return 1 - cdf
}

describe('poissonTail', () => {
  it('matches the definition where that is numerically safe', () => {
    for (const [k, lambda] of [
      [5, 1],
      [10, 2.5],
      [3, 0.2],
      [20, 8],
      [7, 6.9],
    ] as const) {
      expect(poissonTail(k, lambda)).toBeCloseTo(tailByDefinition(k, lambda), 12)
    }
  })

  it('stays accurate far in the tail and for large counts just above a large expectation', () => {
    // 1 − e^{−1}(1 + 1 + 1/2 + 1/6 + 1/24)
    expect(poissonTail(5, 1)).toBeCloseTo(1 - Math.exp(-1) * (65 / 24), 15)
    expect(poissonTail(50, 10)).toBeGreaterThan(1.8e-19)
    expect(poissonTail(50, 10)).toBeLessThan(1.9e-19)
    // Normal approximation: P(X ≥ 1000 | λ = 990) ≈ 0.38.
    expect(poissonTail(1000, 990)).toBeCloseTo(0.3795, 3)
    expect(poissonTail(5000, 1000)).toBe(0)
  })

  it('is 1 when the count is no surprise', () => {
    expect(poissonTail(0, 3)).toBe(1)
    expect(poissonTail(3, 3)).toBe(1)
    expect(poissonTail(2, 0)).toBe(0)
  })
})
