import { describe, expect, test } from 'vitest'
import { normalizeRoute, sanitizeUrl, withoutQuery } from '../../widget/src/url'

describe('normalizeRoute', () => {
  test.each([
    ['/orders/123', '/orders/:id'],
    ['/orders/123/items/9', '/orders/:id/items/:id'],
    ['/u/3f2504e0-4f89-11d3-9a0c-0305e82c3301/settings', '/u/:id/settings'],
    ['/blob/9fceb02d0ae598e95dc970b74767f19372d61af8', '/blob/:id'],
    ['/t/AbC123dEf456GhI789jKl0', '/t/:id'],
    ['/orders/', '/orders'],
    ['/', '/'],
    ['', '/'],
    ['/products/shoes', '/products/shoes'],
    ['/settings/billing', '/settings/billing'],
    ['/deadbeef', '/deadbeef'], // hex-looking words without a digit are words
    ['/v2/docs', '/v2/docs'],
  ])('%s → %s', (path, route) => expect(normalizeRoute(path)).toBe(route))
})

describe('sanitizeUrl', () => {
  test('redacts values of secret-looking parameter names', () => {
    const out = new URL(
      sanitizeUrl('https://shop.example/cb?code=abc&state=xyz&page=2&access_token=t0k&apiKey=k&X-Amz-Signature=s'),
    )
    expect(out.searchParams.get('code')).toBe('redacted')
    expect(out.searchParams.get('state')).toBe('redacted')
    expect(out.searchParams.get('access_token')).toBe('redacted')
    expect(out.searchParams.get('apiKey')).toBe('redacted')
    expect(out.searchParams.get('X-Amz-Signature')).toBe('redacted')
    expect(out.searchParams.get('page')).toBe('2')
  })

  test('keeps ordinary parameters whose names merely contain a secret word', () => {
    const url = 'https://shop.example/search?keyword=red+shoes&signup=1&sort=price'
    expect(sanitizeUrl(url)).toBe(url)
  })

  test('redacts values that look like tokens whatever the name', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'
    const out = new URL(sanitizeUrl(`https://shop.example/x?t=${jwt}&r=AbCdEf0123456789GhIjKl01&q=hello`))
    expect(out.searchParams.get('t')).toBe('redacted')
    expect(out.searchParams.get('r')).toBe('redacted')
    expect(out.searchParams.get('q')).toBe('hello')
  })

  test('removes credentials and token fragments (OAuth implicit flow)', () => {
    const out = sanitizeUrl('https://user:pw@shop.example/cb#access_token=secret123&token_type=bearer')
    expect(out).not.toContain('secret123')
    expect(out).not.toContain('pw@')
    expect(out).toContain('access_token=redacted')
  })

  test('leaves URLs without secrets untouched and survives garbage', () => {
    expect(sanitizeUrl('https://shop.example/orders/1?tab=items#top')).toBe(
      'https://shop.example/orders/1?tab=items#top',
    )
    expect(sanitizeUrl('not a url')).toBe('')
  })
})

test('withoutQuery keeps origin and path only', () => {
  expect(withoutQuery('/api/orders?id=1#x', 'https://shop.example/page')).toBe('https://shop.example/api/orders')
  expect(withoutQuery('https://api.example/v1/pay?token=1', 'https://shop.example/')).toBe('https://api.example/v1/pay')
})
