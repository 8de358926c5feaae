// Docker cannot run on the machine the tests run on, so the image is checked here by what can be
// checked without it: the Dockerfile's instructions against package.json, and its entry and
// HEALTHCHECK commands run for real (the entry is what `npm start` runs after its build).
// compose.yaml is read with a real YAML parser.
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { freePort } from '../../scripts/lib/free-port'

const root = join(import.meta.dirname, '../..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

interface Instruction {
  op: string
  args: string
  stage: number
}

/** Dockerfile → instructions (comments dropped, `\` continuations joined), each with its stage number. */
function dockerfile(): Instruction[] {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8')
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l))
  const joined = lines.join('\n').replace(/\\\n\s*/g, ' ')
  let stage = -1
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [, op, args] = /^(\w+)\s+(.*)$/.exec(l)!
      if (op!.toUpperCase() === 'FROM') stage++
      return { op: op!.toUpperCase(), args: args!, stage }
    })
}
const steps = dockerfile()
const lastStage = Math.max(...steps.map((s) => s.stage))
const final = steps.filter((s) => s.stage === lastStage)
const execForm = (args: string): string[] => JSON.parse(args.replace(/^CMD\s+/, ''))
const env = Object.fromEntries(
  final.filter((s) => s.op === 'ENV').flatMap((s) => [...s.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
)
const healthcheck = execForm(final.find((s) => s.op === 'HEALTHCHECK')!.args.replace(/^(--\S+\s+)*/, ''))
const cmd = execForm(final.find((s) => s.op === 'CMD')!.args)

describe('Dockerfile', () => {
  it('is multi-stage on node:20-slim or newer, runs as a non-root user, /data a volume, HOST=0.0.0.0', () => {
    const bases = steps.filter((s) => s.op === 'FROM').map((s) => s.args.split(/\s+/)[0]!)
    expect(bases.length).toBeGreaterThanOrEqual(2)
    for (const base of bases) {
      const m = /^node:(\d+)(?:\.\d+)*-slim$/.exec(base)
      expect(m, base).not.toBeNull()
      expect(Number(m![1])).toBeGreaterThanOrEqual(20)
    }
    const user = final.filter((s) => s.op === 'USER').at(-1)?.args
    expect(user).toBeDefined()
    expect(user).not.toMatch(/^(root|0)(:|$)/)
    expect(final.find((s) => s.op === 'VOLUME')?.args).toBe('/data')
    expect(env.HOST).toBe('0.0.0.0')
    expect(env.LIBSQL_URL).toBe('file:/data/earshot.db')
    // Screenshots on the volume whatever LIBSQL_URL says (the default for a remote database is
    // under the app's folder, which the non-root user cannot write: screenshot reports would fail).
    expect(env.EARSHOT_ATTACHMENTS_DIR).toMatch(/^\/data\//)
    // The server must be able to write its database: /data belongs to that user.
    expect(final.some((s) => s.op === 'RUN' && s.args.includes(`chown ${user}:${user} /data`))).toBe(true)
  })

  it('runs only npm commands package.json knows, and installs from the lockfile', () => {
    const npm = steps.filter((s) => s.op === 'RUN' && /\bnpm\b/.test(s.args)).map((s) => s.args)
    expect(npm.length).toBeGreaterThan(0)
    for (const command of npm) {
      const run = /\bnpm run (\S+)/.exec(command)
      if (run) expect(pkg.scripts, command).toHaveProperty(run[1]!)
      else expect(command, command).toMatch(/^npm ci\b/)
    }
    // The build the image serves is the one `npm start` makes.
    expect(pkg.scripts.start).toBe('npm run build && npm run serve')
    expect(npm).toContain('npm run build')
    // Everything the COPY instructions name exists.
    for (const copy of steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from'))) {
      for (const source of copy.args.split(/\s+/).slice(0, -1))
        if (source !== '.') expect(existsSync(join(root, source)), source).toBe(true)
    }
  })

  it('CMD is the `serve` script that `npm start` ends with, word for word', () => {
    expect(cmd).toEqual(pkg.scripts.serve.split(' '))
  })

  it('the entry starts the server as the image does, and the HEALTHCHECK command passes against it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-docker-'))
    dirs.push(dir)
    const port = await freePort()
    // The image's environment, except what the test machine needs: loopback only, a temp database.
    const childEnv: Record<string, string | undefined> = {
      ...process.env,
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LIBSQL_URL: `file:${join(dir, 'earshot.db')}`,
      EARSHOT_ATTACHMENTS_DIR: join(dir, 'attachments'),
      EARSHOT_ENV: 'test',
      EARSHOT_ENV_FILE: undefined,
    }
    const health = () =>
      promisify(execFile)(healthcheck[0]!, healthcheck.slice(1), { env: childEnv }).then(
        () => 0,
        (e) => e.code as number,
      )
    expect(await health()).toBe(1) // nothing listening yet: the check must fail
    const server = spawn(cmd[0]!, cmd.slice(1), { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    server.stdout.on('data', (d) => (out += d))
    server.stderr.on('data', (d) => (out += d))
    try {
      await new Promise<void>((ok, fail) => {
        server.stdout.on('data', () => out.includes('Earshot is running') && ok())
        server.once('exit', (code) => fail(new Error(`entry exited ${code}: ${out}`)))
      })
      expect(await health()).toBe(0)
      expect((await fetch(`http://127.0.0.1:${port}/widget.js`)).status).toBe(200)
    } finally {
      server.kill('SIGTERM')
      await new Promise((ok) => (server.exitCode != null ? ok(null) : server.once('exit', ok)))
    }
    // SIGTERM (what `docker stop` sends) ends it cleanly.
    expect(server.exitCode).toBe(0)
  }, 60_000)

  it('.dockerignore keeps local state and secrets out of the build context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
    for (const entry of ['node_modules', 'dist', 'data', '.env', '.dev.vars', '.git']) expect(ignored).toContain(entry)
  })
})

describe('compose.yaml', () => {
  const compose = parseYaml(readFileSync(join(root, 'compose.yaml'), 'utf8'), { merge: true })

  it('runs Earshot alone by default, its database on a volume', () => {
    const alone = Object.entries(compose.services).filter(([, s]: [string, any]) => !s.profiles)
    expect(alone.map(([name]) => name)).toEqual(['earshot'])
    const earshot = compose.services.earshot
    expect(earshot.build).toBe('.')
    expect(earshot.environment.LIBSQL_URL).toBe(env.LIBSQL_URL)
    expect(earshot.volumes).toContain('earshot-data:/data')
    expect(earshot.ports).toContain('8787:8787')
  })

  it('has a profile with Earshot on a real libSQL server, LIBSQL_URL pointing at it', () => {
    const libsql = compose.services.libsql
    expect(libsql.image).toMatch(/^ghcr\.io\/tursodatabase\/libsql-server(:|$)/)
    expect(libsql.profiles).toEqual(['libsql'])
    const onLibsql = compose.services['earshot-libsql']
    expect(onLibsql.profiles).toEqual(['libsql'])
    expect(onLibsql.build).toBe('.')
    expect(onLibsql.depends_on).toContain('libsql')
    expect(onLibsql.volumes).toContain('earshot-data:/data') // its screenshots (EARSHOT_ATTACHMENTS_DIR)
    const url = new URL(onLibsql.environment.LIBSQL_URL)
    expect(url.hostname).toBe('libsql')
    expect(url.port).toBe(libsql.environment.SQLD_HTTP_LISTEN_ADDR.split(':')[1])
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['earshot-data', 'libsql-data']))
  })
})
