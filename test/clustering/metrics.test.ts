import { describe, expect, it } from 'vitest'
import {
  adjustedMutualInformation,
  adjustedRandIndex,
  expectedMutualInformation,
  mutualInformation,
} from '../../scripts/clustering/metrics.js'

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs]
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]))
}

describe('ARI', () => {
  it('matches a hand-computed case', () => {
    // truth {0,1}{2,3}; pred {0,1}{2}{3}. Pairs together in both: 1. Σ C(a,2) = 2, Σ C(b,2) = 1,
    // C(4,2) = 6 → expected 1/3, max 3/2 → ARI = (1 − 1/3) / (3/2 − 1/3) = 4/7.
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(4 / 7, 12)
  })

  it('is 1 for identical partitions whatever the names, and can go negative', () => {
    expect(adjustedRandIndex(['a', 'a', 'b'], [7, 7, 3])).toBe(1)
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).toBeLessThan(0)
  })
})

describe('AMI', () => {
  it('expected MI equals the average MI over all relabellings (brute force)', () => {
    const truth = [0, 0, 0, 1, 1, 2]
    const pred = [0, 0, 1, 1, 2, 2]
    const perms = permutations(pred)
    const avg = perms.reduce((s, p) => s + mutualInformation(truth, p), 0) / perms.length
    expect(expectedMutualInformation([3, 2, 1], [2, 2, 2], 6)).toBeCloseTo(avg, 12)
  })

  it('matches scikit-learn’s published values (test_adjusted_mutual_info_score)', () => {
    const a = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
    const b = [1, 1, 1, 1, 2, 1, 2, 2, 2, 2, 3, 1, 3, 3, 3, 2, 2]
    expect(mutualInformation(a, b)).toBeCloseTo(0.41022, 5)
    expect(expectedMutualInformation([6, 6, 5], [6, 7, 4], 17)).toBeCloseTo(0.15042, 5)
    expect(adjustedMutualInformation(a, b)).toBeCloseTo(0.27821, 5)
  })

  it('is 1 for identical partitions and about 0 for unrelated ones', () => {
    expect(adjustedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0])).toBeCloseTo(1, 12)
    const n = 400
    const truth = Array.from({ length: n }, (_, i) => i % 4)
    const pred = Array.from({ length: n }, (_, i) => Math.floor(i / 100))
    expect(Math.abs(adjustedMutualInformation(truth, pred))).toBeLessThan(0.02)
  })
})
