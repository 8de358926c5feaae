import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest'
import { declareIncident, postUpdate } from '../../worker/domain/incidents/incidents.js'
import { deliverDue, outboxTransport } from '../../worker/domain/notifications/index.js'
import {
  createWebhook,
  sendTestEvent,
  slackPayload,
  WEBHOOK_EVENTS,
} from '../../worker/domain/notifications/webhooks.js'
import { scheduleMaintenance } from '../../worker/domain/incidents/maintenance.js'
import { createTestApp, type TestApp } from '../support/db.js'
import { startReceiver, type Receiver } from './support.js'

// What Earshot posts to a Slack incoming webhook, type-checked against Slack's own Block Kit types
// (@slack/types): the payloads a real receiver got for every event kind, written out as literals
// and compiled with tsc against `{ text: string; blocks: KnownBlock[] }`.

const root = join(import.meta.dirname, '../..')
const dir = mkdtempSync(join(tmpdir(), 'earshot-slack-types-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let t: TestApp
let hooks: Receiver
beforeEach(async () => {
  hooks = await startReceiver()
  t = await createTestApp()
})
afterEach(async () => {
  t.close()
  await hooks.close()
})

/** Type-checks `payloads` (JSON values) as Slack messages; returns tsc's complaints. */
function checkAgainstSlackTypes(name: string, payloads: unknown[]): string {
  writeFileSync(
    join(dir, `${name}.ts`),
    `import type { KnownBlock } from '@slack/types'\n` +
      `export const payloads = ${JSON.stringify(payloads, null, 2)} ` +
      'satisfies { text: string; blocks: KnownBlock[] }[]\n',
  )
  writeFileSync(
    join(dir, `tsconfig.${name}.json`),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'ESNext',
        moduleResolution: 'Bundler',
        target: 'ES2022',
        types: [],
        paths: { '@slack/types': [join(root, 'node_modules/@slack/types/dist/index.d.ts')] },
      },
      files: [`${name}.ts`],
    }),
  )
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${name}.json`], {
      cwd: dir,
      stdio: 'pipe',
    })
    return ''
  } catch (error: any) {
    return `${error.stdout}${error.stderr}`
  }
}

it('every Slack payload Earshot sends is a valid Block Kit message', async () => {
  const { webhook } = await createWebhook(t.deps, {
    projectId: t.seed.projectId,
    url: `${hooks.url}/slack`,
    kind: 'slack',
    events: [...WEBHOOK_EVENTS],
  })
  const incident = await declareIncident(t.deps, {
    projectId: t.seed.projectId,
    title: 'Checkout *fails* for <some> & all',
    impact: 'major',
    message: 'Payments fail.\nWe are on it.',
  })
  await postUpdate(t.deps, incident.id, { status: 'identified', message: 'A bad deploy.' })
  await postUpdate(t.deps, incident.id, { status: 'resolved', message: 'Rolled back.' })
  const now = t.clock.now()
  await scheduleMaintenance(t.deps, {
    projectId: t.seed.projectId,
    title: 'DB upgrade',
    message: 'Short read-only window.',
    startsAt: now + 3_600_000,
    endsAt: now + 7_200_000,
    componentIds: [],
  })
  await sendTestEvent(t.deps, webhook)
  for (let i = 0; i < 20 && hooks.received.length < 5; i++) await deliverDue(t.deps, outboxTransport(t.deps))
  const sent = hooks.received.map((r) => r.json)
  expect(sent).toHaveLength(5)
  // A message with every optional part (fields and a link), as surge alerts are built.
  sent.push(
    slackPayload({
      event: 'surge',
      title: 'Surge: 14 reports about “Checkout fails” in 5 min',
      text: 'Began 3 min after *web@1.2.3*',
      url: 'https://earshot.example.com/dashboard/clusters/clu_1',
      fields: [
        { label: 'Reports', value: '14' },
        { label: 'Reporters', value: '11' },
      ],
      data: {},
      at: now,
    }),
  )
  expect(checkAgainstSlackTypes('sent', sent)).toBe('')
})

it('the check is not vacuous: a block Slack does not have fails it', () => {
  const wrong = [
    { text: 'x', blocks: [{ type: 'section', text: { type: 'markdown_v2', text: 'x' } }] },
    { text: 'y', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'headers are plain_text only' } }] },
  ]
  expect(checkAgainstSlackTypes('wrong', wrong)).toMatch(/error TS\d+/)
})
