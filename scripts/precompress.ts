// Build step: writes `<file>.br` and `<file>.gz` beside every compressible file in dist/public
// (widget.js, widget chunks, the dashboard's JS/CSS/HTML), so the Node server sends them
// compressed without compressing per request (worker/entries/node-static.ts). Both at maximum
// level: this runs once per build, not per request. Cloudflare compresses on its own, so the
// variants are kept out of the Workers upload (.assetsignore).
// Run: node --import tsx scripts/precompress.ts   (the last step of `npm run build`)
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

/** What is worth compressing (text); images and fonts already are. */
export const COMPRESSIBLE = /\.(js|mjs|css|html|json|svg|txt|xml|map|webmanifest)$/i
/** Below this a compressed copy saves less than its headers cost. */
const MIN_BYTES = 512

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* files(path)
    else if (entry.isFile()) yield path
  }
}

/** Compresses every file under `dir`; returns how many files got variants. */
export async function precompressDir(dir: string): Promise<{ files: number; bytes: number; br: number; gzip: number }> {
  const totals = { files: 0, bytes: 0, br: 0, gzip: 0 }
  for await (const path of files(dir)) {
    if (/\.(br|gz)$/.test(path)) continue
    if (!COMPRESSIBLE.test(path)) continue
    const data = await readFile(path)
    if (data.length < MIN_BYTES) continue
    const [b, g] = await Promise.all([
      brotli(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }),
      gz(data, { level: 9 }),
    ])
    await Promise.all([writeFile(`${path}.br`, b), writeFile(`${path}.gz`, g)])
    totals.files++
    totals.bytes += data.length
    totals.br += b.length
    totals.gzip += g.length
  }
  // wrangler uploads dist/public as the Workers' static assets; the variants stay out of it.
  await writeFile(join(dir, '.assetsignore'), '*.br\n*.gz\n')
  return totals
}

/** Removes every variant (the dev loop rebuilds files without them; stale ones are never served anyway). */
export async function removeCompressed(dir: string): Promise<void> {
  if (!(await stat(dir).catch(() => undefined))) return
  for await (const path of files(dir)) if (/\.(br|gz)$/.test(path)) await rm(path, { force: true })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = join(import.meta.dirname, '../dist/public')
  const t = await precompressDir(dir)
  console.error(`precompressed ${t.files} files: ${t.bytes} B → brotli ${t.br} B, gzip ${t.gzip} B`)
}
