// Who a widget report came from, for surge counting only: a keyed hash of the client's address.
// Reporter ids are chosen by the client, so one script at one address could invent "7 different
// people" and raise an alert; counting an address as one reporter stops that. The address itself
// is never stored: HMAC-SHA256 with EARSHOT_SECRET_KEY, per project (hashes of one address do not
// match across projects), and surge_reporters rows are pruned after the window anyway.
import { clientNetwork } from '../reports/index.js'
import type { Config } from '../../config.js'
import { DEVELOPMENT_SECRET_KEY } from '../notifications/index.js'

const encoder = new TextEncoder()
// Named from Web Crypto itself: a global `CryptoKey` type exists on Workers but not in @types/node.
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>
const keys = new Map<string, Promise<HmacKey>>()

function hmacKey(material: string): Promise<HmacKey> {
  let key = keys.get(material)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(`earshot surge client:${material}`),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    keys.set(material, key)
  }
  return key
}

/**
 * The surge identity of a client address, or undefined when the address is unknown (no trusted
 * source of it: every caller would be one "reporter"). Never throws: a report must not be refused
 * for it; without EARSHOT_SECRET_KEY (development) the public development key is used.
 */
export async function surgeClientKey(
  config: Pick<Config, 'secretKey'>,
  projectId: string,
  address: string | undefined,
): Promise<string | undefined> {
  if (!address || address === 'unknown') return undefined
  const key = await hmacKey(config.secretKey || DEVELOPMENT_SECRET_KEY)
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${projectId}\n${clientNetwork(address)}`))
  return [...new Uint8Array(mac).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
