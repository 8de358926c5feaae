// Who a widget report came from, for surge counting only: a keyed hash of the client's address.
// Reporter ids are chosen by the client, so one script at one address could invent "7 different
// people" and raise an alert; counting an address as one reporter stops that. The address itself
// is never stored: HMAC-SHA256 with EARSHOT_SECRET_KEY, per project (hashes of one address do not
// match across projects), and surge_reporters rows are pruned after the window anyway.
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { clientNetwork } from '../reports/index.js'
import type { Config } from '../../config.js'
import { DEVELOPMENT_SECRET_KEY } from '../notifications/index.js'

const encoder = new TextEncoder()
// HMAC-SHA256 in JS (@noble/hashes), not Web Crypto: on Node every crypto.subtle call is a job
// handed to the thread pool and back, several times the CPU of hashing ~40 bytes here, on every
// report (BENCHMARKS.md, Ingest). The keyed state is computed once per secret and cloned per call.
const keys = new Map<string, ReturnType<typeof hmac.create>>()

function hmacKey(material: string): ReturnType<typeof hmac.create> {
  let key = keys.get(material)
  if (!key) {
    key = hmac.create(sha256, encoder.encode(`earshot surge client:${material}`))
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
  const mac = hmacKey(config.secretKey || DEVELOPMENT_SECRET_KEY)
    .clone()
    .update(encoder.encode(`${projectId}\n${clientNetwork(address)}`))
    .digest()
  return bytesToHex(mac.subarray(0, 16))
}
