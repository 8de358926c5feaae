// Customers' URLs often carry secrets (reset tokens, session ids, signed links). Strip them before
// anything is stored: a report must never become a place where credentials leak.
const SECRET_NAME = /token|secret|password|passwd|pwd|auth|session|sid|key|code|signature|sig|jwt|credential|otp|nonce/i
const SECRET_VALUE = /^(eyJ[\w-]+\.[\w-]+\.[\w-]*|[A-Za-z0-9_\-+/=]{32,})$/

export function scrubUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return raw.split('?')[0]!.slice(0, 2048)
  }
  for (const [name, value] of [...url.searchParams]) {
    if (SECRET_NAME.test(name) || SECRET_VALUE.test(value)) url.searchParams.set(name, '[redacted]')
  }
  url.username = ''
  url.password = ''
  url.hash = url.hash.length > 1 && SECRET_VALUE.test(url.hash.slice(1).split('=').pop() ?? '') ? '' : url.hash
  return url.toString()
}
