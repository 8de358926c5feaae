// Secrets at rest and message signatures, with WebCrypto only (the same code on Node and Workers).
import type { Config } from '../../config.js'
import { DomainError } from '../shared/index.js'

const encoder = new TextEncoder()

const toB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const fromB64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
const toHex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')

/**
 * Outside production a fixed, publicly known key is used so development works with no setup.
 * Secrets encrypted with it are NOT protected: production refuses to run without EARSHOT_SECRET_KEY.
 */
export const DEVELOPMENT_SECRET_KEY = 'earshot-development-key-not-secret'

// Web Crypto's key type by way of the function that makes one: the DOM lib, @types/node and
// @cloudflare/workers-types each declare it, and the worker is checked against the last two.
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

const keys = new Map<string, Promise<CryptoKey>>()

/** AES-256-GCM key = SHA-256(EARSHOT_SECRET_KEY). Use a long random value (`openssl rand -base64 32`). */
function encryptionKey(config: Pick<Config, 'secretKey' | 'environment'>): Promise<CryptoKey> {
  let material = config.secretKey
  if (!material) {
    if (config.environment === 'production') {
      throw new DomainError(
        'unavailable',
        'secret_key_missing',
        'EARSHOT_SECRET_KEY is not set; webhook secrets cannot be stored or used.',
      )
    }
    material = DEVELOPMENT_SECRET_KEY
  }
  let key = keys.get(material)
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', encoder.encode(material))
      .then((raw) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']))
    keys.set(material, key)
  }
  return key
}

/** `v1.<iv>.<ciphertext>` (base64), authenticated: a tampered value fails to decrypt. */
export async function encryptSecret(config: Pick<Config, 'secretKey' | 'environment'>, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await encryptionKey(config),
    encoder.encode(plain),
  )
  return `v1.${toB64(iv)}.${toB64(new Uint8Array(sealed))}`
}

export async function decryptSecret(
  config: Pick<Config, 'secretKey' | 'environment'>,
  sealed: string,
): Promise<string> {
  const [version, iv, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !data) throw new Error('unknown secret format')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromB64(iv) },
    await encryptionKey(config),
    fromB64(data),
  )
  return new TextDecoder().decode(plain)
}

/** HMAC-SHA256 of `${t}.${body}` as lower-case hex. */
export async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
}

/** The `X-Earshot-Signature` header value: `t=<unix seconds>,v1=<hex HMAC of "t.body">`. */
export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`
}

/**
 * Verifies a signature header the way a receiver should: recompute, compare in constant time,
 * and refuse old timestamps (replays). Exported for tests and as the reference for the README.
 */
export async function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): Promise<boolean> {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]))
  const t = Number(parts.t)
  if (!Number.isFinite(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false
  const expected = await hmacHex(secret, `${t}.${body}`)
  if (expected.length !== parts.v1.length) return false
  let diff = 0
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ parts.v1.charCodeAt(i)
  return diff === 0
}
