// Page URL and route helpers. Reports must never carry a customer's secrets, and routes must
// group "/orders/123" and "/orders/456" together, so both are cleaned in the browser before sending.

// Matched against the parameter name split into words ("accessToken" → "access_token"), so
// "api_key" and "X-Amz-Signature" match but "keyword" or "signup" do not.
// Built from two strings (a regex literal cannot be wrapped); pure, so bundles that use only
// withoutQuery (the loader) leave it out.
const SECRET_NAME = /* @__PURE__ */ RegExp(
  '(^|[^a-z])(token|secret|passw(or)?d|pwd|jwt|otp|credentials?|sig(nature)?|auth(orization)?|session(id)?|sid|' +
    'code|state|nonce|ticket|(api)?key|hash)([^a-z]|$)',
)
const JWT = /^[\w-]{8,}\.[\w-]{8,}\.[\w-]{4,}$/
// A path segment that is an id: digits, a UUID, hex with a digit, or a long token of letters and digits.
const ID_SEGMENT =
  /^(\d+|[\da-f]{8}(?:-[\da-f]{4}){3}-[\da-f]{12}|(?=[a-z]*\d)[\da-f]{8,}|(?=.*\d)(?=.*[a-zA-Z])[\w-]{20,})$/i

/** True when a query value looks like a secret on its own (JWT, long random token). */
function looksSecret(value: string): boolean {
  return JWT.test(value) || (value.length >= 24 && /\d/.test(value) && /[a-zA-Z]/.test(value) && !/\s/.test(value))
}

function cleanParams(params: URLSearchParams): boolean {
  let changed = false
  params.forEach((value, name) => {
    if (value && (SECRET_NAME.test(name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()) || looksSecret(value))) {
      params.set(name, 'redacted')
      changed = true
    }
  })
  return changed
}

/** The page URL with secret-looking query (and hash-parameter) values replaced by "redacted". */
export function sanitizeUrl(href: string): string {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return ''
  }
  url.username = url.password = ''
  const query = new URLSearchParams(url.search)
  if (cleanParams(query)) url.search = query.toString()
  // OAuth implicit flows put access tokens in the fragment: treat "#a=b&c=d" like a query.
  const hash = url.hash.slice(1)
  if (hash.includes('=')) {
    const params = new URLSearchParams(hash.replace(/^[/!]*\??/, ''))
    if (cleanParams(params)) url.hash = params.toString()
  }
  return url.href
}

/** "/orders/123/items/9f8e…" → "/orders/:id/items/:id" (numbers, uuids, hex ids, long tokens). */
export function normalizeRoute(pathname: string): string {
  const route = pathname
    .split('/')
    .map((segment) => (ID_SEGMENT.test(decodeSafe(segment)) ? ':id' : segment))
    .join('/')
  return route.length > 1 ? route.replace(/\/+$/, '') : route || '/'
}

function decodeSafe(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** A URL for error reports: origin + path, never the query or fragment. */
export function withoutQuery(href: string, base: string): string {
  try {
    const url = new URL(href, base)
    return url.origin + url.pathname
  } catch {
    return String(href).split(/[?#]/)[0]
  }
}
