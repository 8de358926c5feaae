// Settings by one name everywhere, all of them listed in .env.example, and `.env` read by the
// real Node entry (`npm start` runs worker/entries/node.ts) with Node's own parser.
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, expect, test } from 'vitest'
import { freePort } from '../../scripts/lib/free-port'
import { databaseFromEnv } from '../../worker/config'

const root = join(import.meta.dirname, '../..')
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

/**
 * Every environment variable the app and its operator scripts read: `env.NAME`, `env['NAME']`, and
 * quoted `EARSHOT_*` names (the rate-limit table).
 */
function variablesReadInCode(): Map<string, string> {
  const files = [
    ...sourceFiles(join(root, 'worker')),
    join(root, 'drizzle.config.ts'),
    join(root, 'scripts/db-migrate.ts'),
  ]
  const found = new Map<string, string>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\benv(?:\.|\[\s*['"])([A-Z][A-Z0-9_]*)\b/g)) found.set(m[1]!, relative(root, file))
    for (const m of text.matchAll(/['"`]((?:EARSHOT|LIBSQL|TURSO|EMAIL)_[A-Z0-9_]+)['"`]/g))
      found.set(m[1]!, relative(root, file))
  }
  // Workers bindings (wrangler.toml [assets], [[r2_buckets]], [[queues.producers]], [[ratelimits]]), not settings.
  for (const binding of [
    'ASSETS',
    'ATTACHMENTS',
    'REPORTS_QUEUE',
    'RATE_LIMIT_REPORTS',
    'RATE_LIMIT_READS',
    'RATE_LIMIT_ADDRESS',
  ])
    found.delete(binding)
  return found
}

test('.env.example lists every variable the code reads', () => {
  const example = readFileSync(join(root, '.env.example'), 'utf8')
  const listed = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!))
  const read = variablesReadInCode()
  // The scan itself must see the settings we know about, or it proves nothing.
  for (const known of [
    'PORT',
    'LIBSQL_URL',
    'TURSO_DATABASE_URL',
    'EARSHOT_SECRET_KEY',
    'EARSHOT_RATE_LIMIT_REPORTS_PER_MINUTE',
    'EMAIL_FROM',
  ])
    expect(read.has(known), known).toBe(true)
  const missing = [...read].filter(([name]) => !listed.has(name)).map(([name, file]) => `${name} (read in ${file})`)
  expect(missing).toEqual([])
})

test('one name per database setting on both runtimes: LIBSQL_* first, TURSO_* as aliases', () => {
  expect(databaseFromEnv({ LIBSQL_URL: 'libsql://a', LIBSQL_AUTH_TOKEN: 'ta' })).toEqual({
    url: 'libsql://a',
    authToken: 'ta',
  })
  expect(databaseFromEnv({ TURSO_DATABASE_URL: 'libsql://b', TURSO_AUTH_TOKEN: 'tb' })).toEqual({
    url: 'libsql://b',
    authToken: 'tb',
  })
  expect(
    databaseFromEnv({ LIBSQL_URL: 'libsql://a', TURSO_DATABASE_URL: 'libsql://b', TURSO_AUTH_TOKEN: 'tb' }),
  ).toEqual({ url: 'libsql://a', authToken: 'tb' })
  expect(databaseFromEnv({ LIBSQL_URL: '', TURSO_DATABASE_URL: 'libsql://b' }).url).toBe('libsql://b')
  // Every reader goes through it (the Workers entry is exercised in workerd by test/workers/; its
  // wiring, which reads the database settings, is in workers-instance.ts next to it).
  for (const file of [
    'worker/entries/node.ts',
    'worker/entries/workers-instance.ts',
    'scripts/db-migrate.ts',
    'drizzle.config.ts',
  ])
    expect(readFileSync(join(root, file), 'utf8'), file).toContain('databaseFromEnv(')
})

test('the Node entry reads .env from its working directory; the real environment wins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-dotenv-'))
  dirs.push(dir)
  const port = await freePort()
  writeFileSync(
    join(dir, '.env'),
    [
      '# a comment, as in .env.example',
      `PORT=${port}`,
      'HOST=127.0.0.1',
      `LIBSQL_URL="file:${join(dir, 'earshot.db')}"`,
      'EARSHOT_ENV=test',
      'EARSHOT_ADMIN_EMAIL=from-file@example.com',
      'EARSHOT_ADMIN_PASSWORD=from-file-password-123',
    ].join('\n'),
  )
  const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href
  const env = { ...process.env, EARSHOT_ADMIN_EMAIL: 'from-env@example.com' } as Record<string, string | undefined>
  for (const name of [
    'PORT',
    'HOST',
    'LIBSQL_URL',
    'LIBSQL_AUTH_TOKEN',
    'TURSO_DATABASE_URL',
    'TURSO_AUTH_TOKEN',
    'EARSHOT_ENV',
    'EARSHOT_ADMIN_PASSWORD',
    'EARSHOT_ENV_FILE',
  ])
    delete env[name]
  const child = spawn(process.execPath, ['--import', tsx, join(root, 'worker/entries/node.ts')], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  try {
    await new Promise<void>((ok, fail) => {
      child.stdout.on('data', () => out.includes('Sign in as') && ok())
      child.once('exit', (code) => fail(new Error(`entry exited with ${code}:\n${out}`)))
    })
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(health.status).toBe(200)
    expect(out).toContain(join(dir, 'earshot.db'))
    expect(out).toContain('Sign in as from-env@example.com with the password from EARSHOT_ADMIN_PASSWORD')
  } finally {
    child.kill('SIGTERM')
    await new Promise((ok) => (child.exitCode != null ? ok(null) : child.once('exit', ok)))
  }
}, 60_000)
