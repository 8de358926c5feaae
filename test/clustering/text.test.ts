import { describe, expect, it } from 'vitest'
import { errorFingerprint, normalizeRoute, reportBag } from '../../worker/domain/clustering/features.js'
import { normalizeText, stem, tokenize } from '../../worker/domain/text/words.js'

const words = (s: string) => tokenize(s).map((t) => t.text)

describe('tokenize', () => {
  it('segments Chinese into words, not one token per sentence', () => {
    expect(words('明天去蚌埠的车票')).toEqual(['明天', '去', '蚌埠', '的', '车票'])
    expect(words('字体怎么变了')).toContain('字体')
  })

  it('segments Japanese', () => {
    expect(words('ログインできません')).toContain('ログイン')
  })

  it('folds case and full-width forms', () => {
    expect(normalizeText('ＦＯＮＴＳ Look Different')).toBe('fonts look different')
  })

  it('masks urls, e-mails, uuids, hex ids and numbers', () => {
    const s = normalizeText(
      'see https://x.com/a?b=1 mail me@ex.com id 123e4567-e89b-12d3-a456-426614174000 ' +
        'hash 3f2a9c0d11 addr 0xDEAD order 12,345',
    )
    expect(s).toBe('see ⟦url⟧ mail ⟦email⟧ id ⟦id⟧ hash ⟦hex⟧ addr ⟦hex⟧ order ⟦num⟧')
    expect(normalizeText('a decade of facade')).toBe('a decade of facade') // words that look hex-ish stay
  })

  it('splits camelCase identifiers', () => {
    expect(words('MiniYARNCluster failed')).toEqual(['mini', 'yarn', 'cluster', 'failed'])
  })
})

describe('stemming', () => {
  it('makes declined / declining / declines meet', () => {
    expect(new Set(['declined', 'declining', 'declines'].map(stem)).size).toBe(1)
    expect(stem('payments')).toBe(stem('payment'))
  })

  it('gives inflected reports shared word features', () => {
    const a = reportBag({ message: 'Card payment declined' })
    const b = reportBag({ message: 'card payments declining' })
    const shared = [...a.keys()].filter((k) => k.startsWith('w:') && b.has(k))
    expect(shared.sort()).toEqual(['w:card', 'w:declin', 'w:payment'])
  })
})

describe('signals', () => {
  it('normalises routes', () => {
    expect(normalizeRoute('https://shop.example.com/orders/12345/items?x=1#top')).toBe('/orders/:id/items')
    expect(normalizeRoute('/Checkout/')).toBe('/checkout')
  })

  it('fingerprints error messages without numbers, ids or quoted values', () => {
    const a = errorFingerprint('TypeError: Cannot read properties of undefined (reading "price") at line 42')
    const b = errorFingerprint('TypeError: Cannot read properties of undefined (reading "total") at line 7')
    expect(a).toBe(b)
    expect(errorFingerprint('Request 8f14e45fceea167a failed with 503')).toBe(
      errorFingerprint('Request 1679091c5a880faf failed with 500'),
    )
  })

  it('adds route, release, category and error features', () => {
    const bag = reportBag({ message: 'broken', route: '/cart/9', release: 'v2.1', category: 'Bug', errors: ['Err 5'] })
    expect([...bag.keys()].filter((k) => !/^[wgc]:/u.test(k)).sort()).toEqual([
      'e:err _',
      'k:bug',
      'r:/cart/:id',
      'v:v2.1',
    ])
    // "broken" is a word WordNet knows: its frequent senses are concept features (concepts.ts)
    expect([...bag.keys()].some((k) => k.startsWith('c:'))).toBe(true)
  })
})
