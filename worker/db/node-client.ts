// Node only: the Workers entry builds its client from @libsql/client/web instead.
import { createClient, type Client } from '@libsql/client'
import { prepareEmbeddedFile } from './client.js'
import { cacheEmbeddedStatements } from './statement-cache.js'

/**
 * The libSQL client for the Node entry, the CLIs and the tests: an embedded file (`file:…`,
 * set up for WAL and with prepared statements reused) or a remote libSQL/Turso URL.
 */
export async function openNodeClient(url: string, authToken?: string): Promise<Client> {
  const embedded = url.startsWith('file:')
  if (embedded) cacheEmbeddedStatements()
  const client = createClient({ url, authToken })
  if (embedded) await prepareEmbeddedFile(client)
  return client
}
