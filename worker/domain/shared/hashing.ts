// SHA-256 as hex, the one way the domain hashes tokens, keys and request bodies. In JS
// (@noble/hashes), not crypto.subtle: on Node a Web Crypto digest is a thread-pool job, several
// times the CPU of hashing a few hundred bytes, and the intake hashes every report
// (BENCHMARKS.md, Ingest). The same bytes as Web Crypto (test/api/intake-hashes.test.ts).
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

const encoder = new TextEncoder()

export const sha256Hex = (data: string | Uint8Array): string =>
  bytesToHex(sha256(typeof data === 'string' ? encoder.encode(data) : data))
