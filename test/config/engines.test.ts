// package.json "engines" states what really works: the oldest Node it allows must satisfy the
// engines of every package installed for the project (vite 8 is what needs 20.19), and the
// machine running the tests must satisfy it too (.npmrc has engine-strict, so npm enforces it).
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { expect, test } from 'vitest'

const root = join(import.meta.dirname, '../..')
// semver comes with npm's tooling (no @types installed): only the two functions used here are typed.
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null
  satisfies(version: string, range: string): boolean
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

/** Every package in node_modules (scoped ones too), with its engines.node if it states one. */
function installed(): { name: string; node: string }[] {
  const dir = join(root, 'node_modules')
  const names = readdirSync(dir).flatMap((n) =>
    n.startsWith('@') ? readdirSync(join(dir, n)).map((m) => `${n}/${m}`) : n.startsWith('.') ? [] : [n],
  )
  return names.flatMap((name) => {
    try {
      const node = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')).engines?.node
      return typeof node === 'string' ? [{ name, node }] : []
    } catch {
      return []
    }
  })
}

test('the oldest Node package.json allows runs every installed package, and this Node is allowed', () => {
  const oldest = semver.minVersion(pkg.engines.node)!.version
  const direct = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)])
  const list = installed().filter((p) => direct.has(p.name))
  expect(list.map((p) => p.name)).toContain('vite')
  const refused = list.filter((p) => !semver.satisfies(oldest, p.node)).map((p) => `${p.name} needs node ${p.node}`)
  expect(refused).toEqual([])
  expect(semver.satisfies(process.versions.node, pkg.engines.node)).toBe(true)
  // Not lower than it must be: vite 8 refuses anything before 20.19.
  expect(semver.satisfies('20.18.0', pkg.engines.node)).toBe(false)
})
