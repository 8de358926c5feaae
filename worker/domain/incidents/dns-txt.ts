// DNS TXT lookups for custom-domain verification. Workers have no resolver, so there (and by
// default) the lookup is DNS over HTTPS with the JSON API that Cloudflare and Google serve; the Node
// entry passes the system resolver instead (worker/entries/node-dns.ts). No node:* imports here.

/** The TXT records at `name`, each record's strings joined; [] when there are none (or no such name). */
export type TxtLookup = (name: string) => Promise<string[]>

/** The lookup itself failed (timeout, SERVFAIL, resolver unreachable) — not the same as "no record". */
export class DnsLookupError extends Error {}

export const DEFAULT_DOH_URL = 'https://cloudflare-dns.com/dns-query'

const RCODES: Record<number, string> = { 1: 'FORMERR', 2: 'SERVFAIL', 4: 'NOTIMP', 5: 'REFUSED' }

/** `"a" "b"` (presentation format, as DoH JSON gives TXT data) → `ab`. */
export function txtData(data: string): string {
  const parts = [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    m[1]!.replace(/\\(\d{3}|.)/g, (_all, e: string) => (e.length === 3 ? String.fromCharCode(Number(e)) : e)),
  )
  return parts.length ? parts.join('') : data
}

/** DNS over HTTPS (application/dns-json): works in workerd and on Node. */
export function dohTxtLookup(
  endpoint = DEFAULT_DOH_URL,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): TxtLookup {
  return async (name) => {
    const url = new URL(endpoint)
    url.searchParams.set('name', name)
    url.searchParams.set('type', 'TXT')
    let body: { Status?: number; Answer?: { type?: number; data?: string }[] }
    try {
      // workerd has no redirect: 'error'; 'manual' leaves a redirect as a non-2xx answer, refused below.
      const res = await fetchImpl(url, {
        headers: { accept: 'application/dns-json' },
        signal: AbortSignal.timeout(5_000),
        redirect: 'manual',
      })
      if (res.status !== 200) throw new DnsLookupError(`the DNS-over-HTTPS resolver answered HTTP ${res.status}`)
      body = (await res.json()) as typeof body
    } catch (error) {
      if (error instanceof DnsLookupError) throw error
      throw new DnsLookupError(
        `the DNS lookup failed (${(error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message})`,
      )
    }
    if (body.Status === 3) return [] // NXDOMAIN
    if (body.Status !== 0)
      throw new DnsLookupError(`DNS answered ${RCODES[body.Status ?? -1] ?? `rcode ${body.Status}`}`)
    return (body.Answer ?? []).filter((a) => a.type === 16 && typeof a.data === 'string').map((a) => txtData(a.data!))
  }
}
