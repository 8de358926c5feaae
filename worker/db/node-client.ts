// Node only: the Workers entry builds its client from @libsql/client/web instead.
import { createClient, type Client } from '@libsql/client'
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

/**
 * Settings for an embedded file: WAL lets readers go on while the writer commits
 * (it is stored in the file, so setting it once is enough).
 */
async function prepareEmbeddedFile(client: Client): Promise<void> {
  await client.execute('PRAGMA journal_mode=WAL')
  // Page cache of every connection the client's pool opens: 16,384 pages (64 MB at 4 KB), stored
  // in the file header (a per-connection PRAGMA would reach only one pooled connection). SQLite's
  // 2 MB default is small for the dashboard's hot pages of a large file (1M reports ≈ 0.9 GB).
  await client.execute('PRAGMA default_cache_size = 16384')
}
