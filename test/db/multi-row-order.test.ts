import { describe, expect, it } from 'vitest'
import { inKeyOrder } from '../../worker/db/multi-row.js'

describe('inKeyOrder (pipeline writes in index order)', () => {
  it('sorts by the key columns, numbers as numbers', () => {
    const rows: [string, string, number][] = [
      ['p', 'b', 10],
      ['p', 'a', 9],
      ['p', 'b', 2],
      ['p', 'a', 10],
    ]
    expect(inKeyOrder(rows, 1, 2)).toEqual([
      ['p', 'a', 9],
      ['p', 'a', 10],
      ['p', 'b', 2],
      ['p', 'b', 10],
    ])
  })

  it('keeps rows with equal keys in their order (new postings of one feature break weight ties by it)', () => {
    const rows: [string, string, string][] = [
      ['p', 'w:font', 'clu_2'],
      ['p', 'g:fon', 'clu_9'],
      ['p', 'w:font', 'clu_1'],
      ['p', 'g:fon', 'clu_3'],
    ]
    expect(inKeyOrder(rows, 1).map((r) => r[2])).toEqual(['clu_9', 'clu_3', 'clu_2', 'clu_1'])
  })
})
