// The import rules ARCHITECTURE.md states, checked on the runtime import graph: esbuild resolves
// every module the way the bundles do and drops type-only imports (erased by TypeScript, they cannot
// form a circle at run time). madge, the usual tool, needs TypeScript 5's compiler API, which
// TypeScript 7 no longer ships. Run by `npm run lint`; exits 1 listing every violation.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export const ROOTS = ['worker', 'widget/src', 'dashboard/src']

/** Files under `from` never import, at run time, a file under `to`. */
export const LAYER_RULES = [
  {
    from: 'worker/routes/',
    to: 'worker/db/',
    why: 'routes validate and call the domain; only the domain reaches the database',
  },
  {
    from: 'worker/domain/',
    to: 'worker/http/',
    why: 'the domain throws domain/shared/errors.ts kinds; only http/ speaks HTTP',
  },
  {
    from: 'worker/http/',
    to: 'worker/db/schema',
    why: 'http/ is policy; its storage is a domain module (e.g. domain/access/rate-limits.ts)',
  },
  {
    from: 'worker/app.ts',
    to: 'worker/db/schema',
    why: 'the app wires routes and middleware; the domain reaches the tables',
  },
  { from: 'worker/jobs.ts', to: 'worker/db/schema', why: 'background jobs call domain functions' },
  { from: 'worker/demo/', to: 'worker/db/schema', why: 'the demo seed calls domain functions' },
]

/** The domain's feature folders (worker/domain/<feature>/…): used from outside only through their index.ts. */
const FEATURE = /^worker\/domain\/([^/]+)\//

/** `file` reaches into another feature's insides instead of its index.ts. */
export function throughTheDoor(file: string, target: string): boolean {
  const feature = FEATURE.exec(target)?.[1]
  if (!feature || FEATURE.exec(file)?.[1] === feature || !file.startsWith('worker/')) return true
  return target === `worker/domain/${feature}/index.ts`
}

/**
 * What a route file must not call: a write or a transaction (`deps.db.write(…)`, `.transaction(…)`)
 * is a domain function's job — a route validates, makes one domain call per action and shapes the
 * answer. Checked on the text, comments removed.
 */
export const ROUTES_DIR = 'worker/routes'
const OPENS_WRITE = /\.(write|transaction)\s*\(/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** file → the project files it imports at run time (paths relative to `baseDir`). */
export async function runtimeImports(baseDir: string, roots = ROOTS): Promise<Map<string, string[]>> {
  const result = await build({
    absWorkingDir: baseDir,
    entryPoints: roots.flatMap((root) => sourceFiles(join(baseDir, root))).map((f) => relative(baseDir, f)),
    bundle: true,
    write: false,
    metafile: true,
    outdir: 'out',
    packages: 'external',
    platform: 'neutral',
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.css': 'empty', '.sql': 'text', '.svg': 'text' },
    logLevel: 'silent',
  })
  const graph = new Map<string, string[]>()
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    graph.set(
      file,
      input.imports.filter((i) => !i.external).map((i) => i.path),
    )
  }
  return graph
}

/** Strongly connected components with more than one file (or a file importing itself): Tarjan. */
export function importCircles(graph: Map<string, string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (v: string) => {
    index.set(v, next)
    low.set(v, next++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) !== index.get(v)) return
    const component: string[] = []
    let w: string
    do {
      w = stack.pop()!
      onStack.delete(w)
      component.push(w)
    } while (w !== v)
    if (component.length > 1 || graph.get(v)?.includes(v)) circles.push(component.sort())
  }
  for (const v of graph.keys()) if (!index.has(v)) visit(v)
  return circles
}

export async function importViolations(baseDir: string, roots = ROOTS, rules = LAYER_RULES): Promise<string[]> {
  const graph = await runtimeImports(baseDir, roots)
  const problems = importCircles(graph).map((files) => `import circle between: ${files.join(', ')}`)
  for (const [file, imports] of graph) {
    for (const rule of rules) {
      if (!file.startsWith(rule.from)) continue
      for (const target of imports)
        if (target.startsWith(rule.to)) problems.push(`${file} imports ${target}: ${rule.why}`)
    }
    for (const target of imports)
      if (!throughTheDoor(file, target))
        problems.push(`${file} imports ${target}: a domain feature is used through its index.ts, never its insides`)
  }
  return problems
}

/** `file:line` of every write or transaction a route file opens itself (see OPENS_WRITE). */
export function routeWriteViolations(baseDir: string): string[] {
  if (!existsSync(join(baseDir, ROUTES_DIR))) return []
  const problems: string[] = []
  for (const path of sourceFiles(join(baseDir, ROUTES_DIR))) {
    const code = readFileSync(path, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
      .replace(/\/\/.*$/gm, '')
    code.split('\n').forEach((line, i) => {
      if (OPENS_WRITE.test(line))
        problems.push(
          `${relative(baseDir, path)}:${i + 1} opens a write or transaction: ` +
            'routes validate and make one domain call; the domain function writes',
        )
    })
  }
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const baseDir = fileURLToPath(new URL('..', import.meta.url))
  const problems = [...(await importViolations(baseDir)), ...routeWriteViolations(baseDir)]
  for (const problem of problems) console.error(problem)
  if (problems.length) process.exit(1)
  console.log(
    `imports: no runtime import circles in ${ROOTS.join(', ')}; ${LAYER_RULES.length} layer rule(s) hold; ` +
      'domain features are used through their index.ts; no route file opens a write',
  )
}
