// `npm start` says whether e-mail is configured (the real Node entry, on a temp database).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

async function bannerOf(env: Record<string, string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-banner-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/entries/node.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LIBSQL_URL: `file:${join(dir, 'db.sqlite')}`,
      EARSHOT_ENV: 'test',
      EARSHOT_ADMIN_PASSWORD: 'a long enough password',
      EMAIL_API_URL: '',
      EMAIL_API_KEY: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  try {
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (d) => {
        out += d
        if (out.includes('Sign in as')) done()
      })
      child.on('exit', (code) => fail(new Error(`exited ${code}: ${out}`)))
    })
  } finally {
    child.kill('SIGTERM')
    await new Promise((r) => child.once('exit', r))
    rmSync(dir, { recursive: true, force: true })
  }
  return out
}

describe('npm start banner', () => {
  it('says e-mail is not configured and where e-mails wait', { timeout: 60_000 }, async () => {
    const out = await bannerOf({})
    expect(out).toMatch(/E-mail\s+not configured: e-mails wait in the outbox \(Dashboard → Outbox\)/)
  })
  it('says e-mail is configured, through which host', { timeout: 60_000 }, async () => {
    const out = await bannerOf({
      EMAIL_API_URL: 'https://mail.example.com/emails',
      EMAIL_API_KEY: 're_x',
      EMAIL_FROM: 'Status <s@example.com>',
    })
    expect(out).toContain('E-mail              configured: sent through mail.example.com from Status <s@example.com>')
  })
})
