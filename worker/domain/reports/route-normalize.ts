// Turns concrete paths into route templates so "/orders/8812" and "/orders/9120" count as one page.
const SEGMENT_RULES: [RegExp, string][] = [
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, ':uuid'],
  [/^\d+$/, ':id'],
  [/^[0-9a-f]{12,}$/i, ':hash'],
  [/^(?=.*\d)[A-Za-z0-9_-]{16,}$/, ':token'],
]

export function normalizeRoute(path: string): string {
  const clean = path.split(/[?#]/)[0] || '/'
  const segments = clean.split('/').map((segment) => {
    if (segment.startsWith(':')) return segment
    for (const [pattern, name] of SEGMENT_RULES) if (pattern.test(segment)) return name
    return segment
  })
  const route = segments.join('/').replace(/\/+$/, '')
  return route === '' ? '/' : route
}

export function routeFromUrl(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return normalizeRoute(new URL(url).pathname)
  } catch {
    return undefined
  }
}
