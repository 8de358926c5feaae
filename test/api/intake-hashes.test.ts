// The intake's two hashes moved from Web Crypto to @noble/hashes (cheaper on Node, see
// BENCHMARKS.md "Ingest"). Both are stored (reports.request_hash, surge_reporters via client_key)
// and compared with rows written before the change, so they must be bit for bit what Web Crypto
// computes: checked here against crypto.subtle itself, on inputs of every kind the intake sees.
import { describe, expect, it } from 'vitest'
import { canonicalJson, requestHash } from '../../worker/domain/reports/idempotency.js'
import { clientNetwork } from '../../worker/domain/reports/client-network.js'
import { DEVELOPMENT_SECRET_KEY } from '../../worker/domain/notifications/crypto.js'
import { surgeClientKey } from '../../worker/domain/surge/client-key.js'

const encoder = new TextEncoder()
const hex = (bytes: ArrayBuffer) => Buffer.from(bytes).toString('hex')

async function webCryptoRequestHash(request: Record<string, unknown>, target: Record<string, unknown> = {}) {
  const body = { ...request, idempotency_key: undefined }
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(canonicalJson({ ...target, request: body }))))
}

async function webCryptoClientKey(secret: string, projectId: string, address: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(`earshot surge client:${secret}`),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${projectId}\n${clientNetwork(address)}`))
  return hex(mac).slice(0, 32)
}

const REQUESTS: Record<string, unknown>[] = [
  { message: 'Checkout button does nothing' },
  { message: '结账按钮点击没有反应 🙃', locale: 'zh-CN', idempotency_key: 'left-out-of-the-hash' },
  { message: 'x'.repeat(5000), context: { errors: [{ message: 'TypeError', at: '2026-11-26T20:00:00Z' }] } },
  { message: 'nested', context: { custom: { b: [1, 2, { c: null }], a: 'é' } }, page_url: 'https://a.example/p?q=1' },
]

describe('intake hashes', () => {
  it('request hashes equal Web Crypto SHA-256', async () => {
    for (const request of REQUESTS) {
      expect(await requestHash(request)).toBe(await webCryptoRequestHash(request))
      const target = { incident: 'inc_01' }
      expect(await requestHash(request, target)).toBe(await webCryptoRequestHash(request, target))
    }
  })

  it('surge client keys equal Web Crypto HMAC-SHA256', async () => {
    const addresses = ['127.0.0.1', '203.0.113.9', '2001:db8:1:2:3:4:5:6', '::ffff:198.51.100.7', 'not-an-ip']
    for (const secret of ['a-production-secret', '']) {
      for (const address of addresses) {
        const got = await surgeClientKey({ secretKey: secret }, 'prj_1', address)
        expect(got).toBe(await webCryptoClientKey(secret || DEVELOPMENT_SECRET_KEY, 'prj_1', address))
      }
    }
    // Per project: the same address is another client in another project.
    const a = await surgeClientKey({ secretKey: 's' }, 'prj_1', '203.0.113.9')
    expect(a).not.toBe(await surgeClientKey({ secretKey: 's' }, 'prj_2', '203.0.113.9'))
    expect(await surgeClientKey({ secretKey: 's' }, 'prj_1', 'unknown')).toBeUndefined()
  })
})
