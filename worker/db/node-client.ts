// Node only: the Workers entry builds its client from @libsql/client/web instead.
import { createClient, type Client } from '@libsql/client'
import ipaddr from 'ipaddr.js'
import { lockDatabaseFile, type FileLock } from './file-lock.js'
import { cacheEmbeddedStatements } from './statement-cache.js'

/**
 * The libSQL client for the Node entry, the CLIs, benches and tests: an embedded file (`file:…`,
 * set up for WAL and with prepared statements reused) or a remote libSQL/Turso URL.
 *
 * An embedded file is opened only by the process holding its writer lock (`file-lock.ts`):
 * another process already using it makes this throw `DatabaseFileLockedError` before anything is
 * read or written. The lock is given back when the client is closed (or the process ends).
 */
export async function openNodeClient(url: string, authToken?: string): Promise<Client> {
  const file = embeddedFile(url)
  const lock = file ? lockDatabaseFile(file) : undefined
  try {
    if (file) cacheEmbeddedStatements()
    const uncompressed = file ? undefined : uncompressedFetchFor(url)
    const client = createClient({ url, authToken, ...(uncompressed ? { fetch: uncompressed } : {}) })
    if (file) await prepareEmbeddedFile(client)
    return lock ? releasingOnClose(client, lock) : client
  } catch (error) {
    lock?.release()
    throw error
  }
}

/**
 * sqld gzips every answer, even a 30-byte one, and Node's fetch then inflates it: ~0.3 ms of Node
 * CPU per request (of ~1 ms) for nothing on a server on this machine or the private network, and
 * intake makes 4–5 requests per report (BENCHMARKS.md, Ingest). There the client asks for answers
 * as they are (`Accept-Encoding: identity`); elsewhere (Turso over the Internet) it keeps the default.
 */
export function uncompressedFetchFor(url: string): typeof fetch | undefined {
  let host: string
  try {
    host = new URL(url.replace(/^libsql:/, 'https:')).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return undefined
  }
  const near =
    host === 'localhost' ||
    (ipaddr.isValid(host) && ['loopback', 'private', 'uniqueLocal'].includes(ipaddr.process(host).range()))
  if (!near) return undefined
  return (input, init) => {
    const request = new Request(input, init)
    request.headers.set('accept-encoding', 'identity')
    return fetch(request)
  }
}

/** The path of an embedded database file, or undefined for a remote URL or an in-memory database. */
export function embeddedFile(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined
  // file:relative/path, file:/abs/path, file:///abs/path, file://localhost/abs/path (query dropped)
  const rest = url.slice('file:'.length).replace(/[?#].*$/, '')
  let path = rest.startsWith('//') ? rest.replace(/^\/\/[^/]*/, '') : rest
  try {
    path = decodeURIComponent(path)
  } catch {
    // not percent-encoded: use it as written
  }
  return path && path !== ':memory:' ? path : undefined
}

function releasingOnClose(client: Client, lock: FileLock): Client {
  const close = client.close.bind(client)
  client.close = () => {
    try {
      close()
    } finally {
      lock.release()
    }
  }
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
