// @earshot/widget as a developer gets it from npm: `npm pack` of the workspace (its prepack builds
// widget/dist), installed from the tarball into a temporary project outside the repository, then
// type-checked under three module resolutions, bundled with esbuild, and checked by
// @arethetypeswrong/cli and publint — the tools the ecosystem uses to judge a package.
import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

const root = join(import.meta.dirname, '../..')
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const dir = mkdtempSync(join(tmpdir(), 'earshot-widget-pkg-'))
const project = join(dir, 'consumer')
let tarball = ''
let packed: { path: string }[] = []
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(cmd: string, args: string[], cwd: string) {
  try {
    return {
      code: 0,
      out: execFileSync(cmd, args, {
        cwd,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, npm_config_update_notifier: 'false' },
      }),
    }
  } catch (error: any) {
    return { code: error.status ?? 1, out: `${error.stdout ?? ''}${error.stderr ?? ''}` }
  }
}

beforeAll(() => {
  // `npm pack` runs the workspace's prepack (the build); its stdout is the JSON report.
  const pack = run(
    'npm',
    ['pack', '--workspace', 'widget', '--pack-destination', dir, '--json', '--ignore-scripts=false'],
    root,
  )
  expect(pack.code, pack.out).toBe(0)
  const report = JSON.parse(pack.out)[0]
  tarball = join(dir, report.filename)
  packed = report.files
  // A project of its own in the temp folder (never the repository), ESM like most apps now.
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  // A zero-dependency tarball installs without the registry.
  const install = run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--no-package-lock'], project)
  expect(install.code, install.out).toBe(0)
  copyFileSync(join(root, 'test/fixtures/npm-consumer/consumer.ts'), join(project, 'consumer.ts'))
}, 120_000)

test('the tarball holds the built module, its types, README and LICENSE — nothing else', () => {
  const paths = packed.map((f) => f.path).sort()
  expect(paths).toContain('dist/widget.js')
  expect(paths).toContain('dist/types/npm.d.ts')
  expect(paths).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']))
  expect(paths.filter((p) => !/^(package\.json|README\.md|LICENSE|dist\/[\w/.-]+\.(js|d\.ts))$/.test(p))).toEqual([])
  // The source, tests and server code stay out.
  expect(paths.some((p) => /src\/|test|worker|\.ts$/.test(p.replace(/\.d\.ts$/, '')))).toBe(false)
})

test('installing it brings no runtime dependencies', () => {
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/@earshot/widget/package.json'), 'utf8'))
  expect(manifest.dependencies ?? {}).toEqual({})
  expect(manifest.peerDependencies ?? {}).toEqual({})
  expect(readdirSync(join(project, 'node_modules')).sort()).toEqual(
    ['.package-lock.json', '@earshot'].filter((n) => existsSync(join(project, 'node_modules', n))),
  )
  expect(readdirSync(join(project, 'node_modules/@earshot'))).toEqual(['widget'])
})

describe('a TypeScript consumer type-checks against the published declarations', () => {
  for (const [module, moduleResolution] of [
    ['Node16', 'Node16'],
    ['NodeNext', 'NodeNext'],
    ['ESNext', 'Bundler'],
  ] as const) {
    test(`moduleResolution ${moduleResolution}`, () => {
      const config = `tsconfig.${moduleResolution.toLowerCase()}.json`
      writeFileSync(
        join(project, config),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module,
            moduleResolution,
            lib: ['ES2023', 'DOM'],
            strict: true,
            noEmit: true,
            types: [],
          },
          files: ['consumer.ts'],
        }),
      )
      const check = run(process.execPath, [tsc, '-p', config], project)
      expect(check.out).toBe('')
      expect(check.code).toBe(0)
    }, 60_000)
  }

  test('and a wrong option is an error there (the check is not vacuous)', () => {
    writeFileSync(join(project, 'wrong.ts'), "import { init } from '@earshot/widget'\ninit({ theme: 'purple' })\n")
    writeFileSync(
      join(project, 'tsconfig.wrong.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'Node16',
          moduleResolution: 'Node16',
          lib: ['ES2023', 'DOM'],
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ['wrong.ts'],
      }),
    )
    const check = run(process.execPath, [tsc, '-p', 'tsconfig.wrong.json'], project)
    expect(check.code).not.toBe(0)
    expect(check.out).toContain('\'"purple"\' is not assignable')
  }, 60_000)
})

test('esbuild bundles it, with the form and the screenshot tools as lazily imported chunks', async () => {
  writeFileSync(
    join(project, 'app.js'),
    [
      "import { init, open } from '@earshot/widget'",
      "init({ key: 'pk_demo', api: 'https://earshot.example.com' })",
      "document.querySelector('#help')?.addEventListener('click', () => open())",
      '',
    ].join('\n'),
  )
  const result = await build({
    absWorkingDir: project,
    entryPoints: ['app.js'],
    bundle: true,
    format: 'esm',
    splitting: true,
    outdir: 'out',
    write: false,
    logLevel: 'silent',
    metafile: true,
  })
  expect(result.errors).toEqual([])
  const inputs = Object.keys(result.metafile!.inputs)
  expect(inputs).toContain('node_modules/@earshot/widget/dist/widget.js')
  const entry = result.outputFiles.find((f) => f.path.endsWith('/app.js'))!
  // Two dynamic imports (the dialog chunk on first open, the screenshot chunk on first use), each
  // of a file esbuild wrote, and neither one's code in the entry itself.
  const lazy = [...entry.text.matchAll(/import\(["']\.\/([\w-]+\.js)["']\)/g)].map((m) => m[1]!)
  expect(lazy).toHaveLength(2)
  const chunk = (file: string) => result.outputFiles.find((f) => f.path.endsWith(`/${file}`))?.text ?? ''
  expect(lazy.filter((file) => chunk(file).includes('Send report'))).toHaveLength(1)
  expect(entry.text).not.toContain('Send report')
})

test('@arethetypeswrong/cli finds no problem (ES module only, by design)', () => {
  const attw = run(
    process.execPath,
    [
      join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
      tarball,
      '--profile',
      'esm-only',
      '--format',
      'json',
    ],
    dir,
  )
  const report = JSON.parse(attw.out)
  // The esm-only profile leaves out `require()` from CommonJS (node10, node16-cjs): the package
  // has no CommonJS build. Everything else must be clean, and attw's exit code says so too.
  expect(
    report.analysis.problems.filter(
      (p: { resolutionKind?: string }) => !['node10', 'node16-cjs'].includes(p.resolutionKind ?? ''),
    ),
  ).toEqual([])
  expect(attw.code).toBe(0)
  // Types resolve for ESM importers under node16 and for bundlers.
  const resolutions = report.analysis.entrypoints['.'].resolutions
  expect(resolutions['node16-esm'].resolution.fileName).toMatch(/dist\/types\/npm\.d\.ts$/)
  expect(resolutions.bundler.resolution.fileName).toMatch(/dist\/types\/npm\.d\.ts$/)
}, 60_000)

test('publint passes the tarball, warnings counted as errors', () => {
  const lint = run(
    process.execPath,
    [join(root, 'node_modules/publint/src/cli.js'), 'run', tarball, '--strict', '--level', 'suggestion'],
    dir,
  )
  expect(lint.out).toContain('All good!')
  expect(lint.code).toBe(0)
}, 60_000)
