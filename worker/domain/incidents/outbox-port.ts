import type { Tx } from '../../db/client.js'
import type { Deps } from '../shared/index.js'
import { enqueue, kickOutbox } from '../notifications/index.js'
import type { EmailContent } from './messages.js'

// Status e-mails leave through the notification outbox (worker/domain/notifications/store.ts): a row
// written in the caller's transaction, delivered after commit with retries and a delivery log. The
// unique dedupe key makes a second enqueue of the same message a no-op, so nothing is sent twice.

/** Queues an e-mail; false when this dedupe key was already queued. */
export async function enqueueEmail(
  tx: Tx,
  deps: Deps,
  m: { projectId: string; to: string; dedupeKey: string; content: EmailContent },
): Promise<boolean> {
  const id = await enqueue(
    tx,
    { channel: 'email', target: m.to, payload: m.content, dedupeKey: m.dedupeKey, projectId: m.projectId },
    deps.clock.now(),
  )
  if (id) kickOutbox(deps)
  return !!id
}
