// The ceiling of `npm run bench:ingest` (child process): a bare Hono + @hono/node-server + libSQL
// endpoint that parses the JSON, inserts one row with autocommit and answers 202. Same database
// as the Earshot run it is compared with: an embedded file in WAL (with the same one-writer lock),
// or a libSQL server over HTTP.
//
//   node --import tsx scripts/ingest/bare-server.ts <libsql url> [auth token]
import { serve } from '@hono/node-server'
import { createClient } from '@libsql/client'
import { Hono } from 'hono'
import { lockDatabaseFile } from '../../worker/db/file-lock.js'

const [url, authToken] = process.argv.slice(2)
if (!url) throw new Error('usage: bare-server.ts <libsql url> [auth token]')
// Not openNodeClient (its statement reuse is part of what the ceiling leaves out), but the same
// one-writer-process lock on an embedded file.
if (url.startsWith('file:')) lockDatabaseFile(url.slice(5))
const client = createClient({ url, authToken: authToken || undefined })
if (url.startsWith('file:')) await client.execute('PRAGMA journal_mode=WAL')
await client.execute(
  [
    'CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE,',
    'message TEXT NOT NULL, reporter_id TEXT, page_url TEXT, release TEXT, context TEXT, created_at INTEGER NOT NULL)',
  ].join(' '),
)
const INSERT = [
  'INSERT INTO reports (idempotency_key, message, reporter_id, page_url, release, context, created_at)',
  'VALUES (?, ?, ?, ?, ?, ?, ?)',
].join(' ')

const app = new Hono()
// A failed insert (sqld answers SQLITE_BUSY to concurrent autocommit writers) is a 500, as with
// Hono's default handler, without a stack trace per request in the benchmark's output: the
// driver counts non-2xx answers per level.
app.onError((_error, c) => c.json({ error: 'insert failed' }, 500))
app.post('/v1/reports', async (c) => {
  const body = await c.req.json()
  const r = await client.execute({
    sql: INSERT,
    args: [
      c.req.header('idempotency-key') ?? null,
      body.message,
      body.reporter_id ?? null,
      body.page_url ?? null,
      body.release ?? null,
      JSON.stringify(body.context ?? {}),
      Date.now(),
    ],
  })
  return c.json({ id: String(r.lastInsertRowid) }, 202)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`LISTENING ${info.port}`))
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(0))
