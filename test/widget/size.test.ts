// The size budget is a product promise (issue 3): gzip -9 of what a host downloads before any
// click ≤ 6 KB, of loader + dialog ≤ 12 KB, of the screenshot tools (their own lazy chunk) ≤ 4 KB
// (issue 14). Builds into a temp folder so it never races the browser tests that serve dist/public.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { buildWidget } from '../../widget/build'
import { BUDGET, measureWidget } from '../../scripts/size'

const dir = mkdtempSync(join(tmpdir(), 'earshot-size-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('the widget stays within its size budget', async () => {
  await buildWidget({ publicDir: join(dir, 'public'), npmDir: join(dir, 'npm'), types: false })
  const size = measureWidget(join(dir, 'public'))
  expect(size.files.map((f) => f.file).sort()).toEqual([
    'widget.js',
    expect.stringMatching(/^widget\/attach\.[0-9a-f]{10}\.js$/),
    expect.stringMatching(/^widget\/dialog-en\.[0-9a-f]{10}\.js$/),
    expect.stringMatching(/^widget\/dialog-zh-CN\.[0-9a-f]{10}\.js$/),
  ])
  expect(size.beforeClick).toBeLessThanOrEqual(BUDGET.beforeClick)
  expect(size.total).toBeLessThanOrEqual(BUDGET.total)
  expect(size.attach).toBeGreaterThan(0)
  expect(size.attach).toBeLessThanOrEqual(BUDGET.attach)
  // No eval-like constructs: the widget must run under a CSP without 'unsafe-eval'.
  const { readFileSync } = await import('node:fs')
  for (const f of size.files)
    expect(readFileSync(join(dir, 'public', f.file), 'utf8')).not.toMatch(/\beval\(|new Function\(|innerHTML/)
})
