const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz' // Crockford base32, lower case

function randomChars(n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n))
  let out = ''
  for (const b of bytes) out += ALPHABET[b & 31]
  return out
}

/**
 * Time-ordered ids (like ULIDs): `rep_01j9…`. Sorting by id sorts by creation time, which keeps
 * indexes append-mostly and makes ids readable in logs.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  return `${prefix}_${time}${randomChars(12)}`
}

/** The creation time inside a time-ordered id from `newId`, or undefined if it is not one. */
export function idTime(id: string): number | undefined {
  const time = id.split('_')[1]?.slice(0, 10)
  if (!time || time.length < 10) return undefined
  let t = 0
  for (const ch of time) {
    const v = ALPHABET.indexOf(ch)
    if (v < 0) return undefined
    t = t * 32 + v
  }
  return t
}

/** A secret with enough entropy to be unguessable (160 bits). */
export function newSecret(prefix: string): string {
  return `${prefix}_${randomChars(32)}`
}
