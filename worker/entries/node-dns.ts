// Node only: TXT lookups through the system resolver (or the given DNS servers, e.g. a test's
// server on 127.0.0.1), for custom-domain verification.
import { Resolver } from 'node:dns/promises'
import { DnsLookupError, type TxtLookup } from '../domain/incidents/index.js'

export function systemTxtLookup(servers?: string[]): TxtLookup {
  const resolver = new Resolver({ timeout: 5_000, tries: 2 })
  if (servers?.length) resolver.setServers(servers)
  return async (name) => {
    try {
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENODATA' || code === 'ENOTFOUND') return [] // the name or the record does not exist
      throw new DnsLookupError(`the DNS lookup failed (${code ?? (error as Error).message})`)
    }
  }
}
