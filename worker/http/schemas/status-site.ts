// What a status site's subscription forms accept and answer (routes/status/subscriptions.ts). The
// forms' request bodies are described by hand there: they come as a plain HTML form or as JSON.
import { z } from 'zod'

export const SubscriberEmail = z.email().max(320)

export const OkOut = z.object({ ok: z.literal(true) }).meta({ id: 'Ok' })
export const SubscribeOut = z
  .object({ ok: z.literal(true), queued: z.boolean(), email_configured: z.boolean(), message: z.string() })
  .meta({ id: 'SubscribeAccepted' })
