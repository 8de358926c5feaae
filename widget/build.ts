// Builds the widget from one source tree into three outputs:
//   dist/public/widget.js                 the script-tag loader (IIFE, what hosts download first)
//   dist/public/widget/dialog.<hash>.js   the dialog chunk, loaded on first open (content-hashed)
//   widget/dist/widget.js (+ chunk, .d.ts) the ES module of the npm package @earshot/widget
// Run: node --import tsx widget/build.ts   (npm run build:widget; `--npm` builds only the package,
// which is what `npm pack` runs as widget/package.json's prepack)
import { build, transform, type BuildOptions, type Plugin } from 'esbuild'
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'

const root = join(import.meta.dirname, '..')
const src = join(root, 'widget/src')

/** `import css from './x.css?inline'` → the minified CSS as a string (the same import Vite understands). */
const inlineCss: Plugin = {
  name: 'inline-css',
  setup(b) {
    b.onResolve({ filter: /\.css\?inline$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/\?inline$/, '')), namespace: 'css' }))
    b.onLoad({ filter: /.*/, namespace: 'css' }, async (args) => {
      const { code } = await transform(await readFile(args.path, 'utf8'), { loader: 'css', minify: true })
      return { contents: `export default ${JSON.stringify(code.trim())}`, loader: 'js' }
    })
  },
}

const common: BuildOptions = {
  bundle: true,
  minify: true,
  legalComments: 'none',
  target: ['chrome96', 'edge96', 'firefox98', 'safari15.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  plugins: [inlineCss],
  write: false,
  // Internal property names shared by loader and dialog (never JSON, DOM or public API) get short
  // names; one mangle cache keeps them identical across the separately built files.
  mangleProps: /^(root|parts|requestClose|onDelivered|reporterId|captured|flush|icon)$/,
  logLevel: 'warning',
}

/**
 * Build into dist/public + widget/dist (default) or elsewhere (the size and type tests build into
 * a temp folder). `script: false` skips the script-tag build, `npm: false` the package.
 */
export async function buildWidget({ publicDir = join(root, 'dist/public'), npmDir = join(root, 'widget/dist'), types = true, script = true, npm = true } = {}) {
  let dialogFile = ''
  if (script) dialogFile = await buildScriptTag(publicDir)
  if (npm) await buildPackage(npmDir, types)
  return { dialogFile }
}

async function buildScriptTag(publicDir: string) {
  await rm(join(publicDir, 'widget'), { recursive: true, force: true })

  const dialog = await build({ ...common, entryPoints: [join(src, 'dialog/entry.ts')], format: 'iife', outfile: 'dialog.js', mangleCache: {} })
  const mangleCache = dialog.mangleCache // the loader must use the very same short names
  const dialogCode = dialog.outputFiles![0].contents
  const dialogFile = `dialog.${createHash('sha256').update(dialogCode).digest('hex').slice(0, 10)}.js`
  await mkdir(join(publicDir, 'widget'), { recursive: true })
  await writeFile(join(publicDir, 'widget', dialogFile), dialogCode)

  const loader = await build({
    ...common,
    entryPoints: [join(src, 'embed.ts')],
    format: 'iife',
    outfile: 'widget.js',
    mangleCache,
    define: { DIALOG_FILE: JSON.stringify(dialogFile) },
  })
  await writeFile(join(publicDir, 'widget.js'), loader.outputFiles![0].contents)
  return dialogFile
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
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'widget/tsconfig.types.json'), '--outDir', join(npmDir, 'types')],
      { stdio: 'inherit' },
    )
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const npmOnly = process.argv.includes('--npm')
  const { dialogFile } = await buildWidget({ script: !npmOnly })
  // On stderr: `npm pack --json` runs this as prepack and its stdout must stay JSON.
  console.error(npmOnly ? 'widget package built: widget/dist/' : `widget built: dist/public/widget.js, dist/public/widget/${dialogFile}, widget/dist/`)
}
