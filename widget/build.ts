// Builds the widget from one source tree into three outputs:
//   dist/public/widget.js                 the script-tag loader (IIFE, what hosts download first)
//   dist/public/widget/dialog-<locale>.<hash>.js  the dialog chunk per language, loaded on first open
//   dist/public/widget/attach.<hash>.js   the screenshot tools, loaded on first "Attach a screenshot"
//                                         (or when a queued report with an image is sent)
//   widget/dist/widget.js (+ chunks, .d.ts) the ES module of the npm package @earshot/widget
// Run: node --import tsx widget/build.ts   (npm run build:widget; `--npm` builds only the package,
// which is what `npm pack` runs as widget/package.json's prepack)
import { build, transform, type BuildOptions, type Plugin } from 'esbuild'
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'

const root = join(import.meta.dirname, '..')
const src = join(root, 'widget/src')

/**
 * esbuild's minifier keeps a declaration's spaces where var() makes the value opaque to it (custom
 * properties, `font: 14px / 1.5 var(…)`), and the formatter writes those spaces: drop them around
 * `,` `/`, after `:` `(` and before `)`, outside strings (bytes in the loader + dialog budget).
 */
const tighten = (css: string) =>
  css.replace(
    /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|\s*([,/])\s*|([:(])\s+|\s+(\))/g,
    (_, text, around, after, before) => text ?? around ?? after ?? before,
  )

/** `import css from './x.css?inline'` → the minified CSS as a string (the same import Vite understands). */
const inlineCss: Plugin = {
  name: 'inline-css',
  setup(b) {
    b.onResolve({ filter: /\.css\?inline$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\?inline$/, '')),
      namespace: 'css',
    }))
    b.onLoad({ filter: /.*/, namespace: 'css' }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), { loader: 'css', minify: true })
      return { contents: `export default ${JSON.stringify(tighten(code.trim()))}`, loader: 'js' }
    })
  },
}

const common: BuildOptions = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  // ES modules are strict anyway; without this esbuild prints "use strict" into every file (bytes).
  tsconfigRaw: { compilerOptions: { alwaysStrict: false, jsx: 'react-jsx', jsxImportSource: 'preact' } },
  target: ['chrome96', 'edge96', 'firefox98', 'safari15.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  plugins: [inlineCss],
  write: false,
  // Internal property names shared by loader and dialog (never JSON, DOM or public API) get short
  // names; one mangle cache keeps them identical across the separately built files.
  mangleProps: new RegExp(
    '^(root|parts|requestClose|onDelivered|reporterId|captured|flush|icon|mount|outbox|dropped|image|keep|drop|' +
      'lang|addCss|cats|active|who|post|shots|enqueue|multipart|area|begin|reset|make)$',
  ),
  logLevel: 'warning',
}

/**
 * Build into dist/public + widget/dist (default) or elsewhere (the size and type tests build into
 * a temp folder). `script: false` skips the script-tag build, `npm: false` the package.
 */
export async function buildWidget({
  publicDir = join(root, 'dist/public'),
  npmDir = join(root, 'widget/dist'),
  types = true,
  script = true,
  npm = true,
} = {}) {
  let files = { dialogFile: '', attachFile: '' }
  if (script) files = await buildScriptTag(publicDir)
  if (npm) await buildPackage(npmDir, types)
  return files
}

async function buildScriptTag(publicDir: string) {
  await rm(join(publicDir, 'widget'), { recursive: true, force: true })

  await mkdir(join(publicDir, 'widget'), { recursive: true })
  // Each chunk is built with the mangle cache of the ones before: all use the very same short names.
  let mangleCache: Record<string, string | false> = {}
  const chunks: Record<string, string> = {}
  // One dialog chunk per language: a customer downloads only their language's texts.
  for (const [name, dir, locale] of [
    ['attach', 'attach'],
    ['dialog-en', 'dialog', 'en'],
    ['dialog-zh-CN', 'dialog', 'zh-CN'],
  ] as const) {
    const define: Record<string, string> = locale ? { DIALOG_LOCALE: JSON.stringify(locale) } : {}
    const out = await build({
      ...common,
      entryPoints: [join(src, dir, 'entry.ts')],
      format: 'iife',
      outfile: `${name}.js`,
      mangleCache,
      define,
    })
    mangleCache = out.mangleCache!
    const code = out.outputFiles![0].contents
    chunks[name] = `${name}.${createHash('sha256').update(code).digest('hex').slice(0, 10)}.js`
    await writeFile(join(publicDir, 'widget', chunks[name]), code)
  }
  const dialogFile = chunks['dialog-en']!

  const loader = await build({
    ...common,
    entryPoints: [join(src, 'embed.ts')],
    format: 'iife',
    outfile: 'widget.js',
    mangleCache,
    define: { CHUNKS: JSON.stringify(chunks) },
  })
  await writeFile(join(publicDir, 'widget.js'), loader.outputFiles![0].contents)
  return { dialogFile, attachFile: chunks.attach! }
}

async function buildPackage(npmDir: string, types: boolean) {
  await rm(npmDir, { recursive: true, force: true })
  const npm = await build({
    ...common,
    entryPoints: { widget: join(src, 'npm.ts') },
    format: 'esm',
    splitting: true,
    outdir: npmDir,
    chunkNames: 'widget-[name]-[hash]',
  })
  for (const file of npm.outputFiles!) {
    await mkdir(dirname(file.path), { recursive: true })
    await writeFile(file.path, file.contents)
  }
  // Types from the same source: tsc emits declarations for the npm entry and what it imports
  // (relative imports carry `.js`, so they resolve under node16/nodenext as well as bundlers).
  if (types)
    execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(root, 'widget/tsconfig.types.json'),
        '--outDir',
        join(npmDir, 'types'),
      ],
      { stdio: 'inherit' },
    )
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const npmOnly = process.argv.includes('--npm')
  const { dialogFile, attachFile } = await buildWidget({ script: !npmOnly })
  // On stderr: `npm pack --json` runs this as prepack and its stdout must stay JSON.
  console.error(
    npmOnly
      ? 'widget package built: widget/dist/'
      : `widget built: dist/public/widget.js, dist/public/widget/${dialogFile}, ` +
          `dist/public/widget/${attachFile}, widget/dist/`,
  )
}
