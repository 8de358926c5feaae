import { z } from 'zod'

// The zod schemas that validate requests, and those the serializers' answers are typed against
// (`satisfies Out<typeof X>`), are the single source of /openapi.json (http/openapi.ts).

/** What a serializer must produce for a response schema (its JSON before encoding). */
export type Out<T extends z.ZodType> = z.input<T>

const shortText = (max: number) => z.string().trim().max(max)

/** How deep `context` may nest (objects and arrays, the context object itself being level 1). */
export const MAX_CONTEXT_DEPTH = 32

/**
 * Whether a parsed JSON value nests deeper than `limit`. Iterative on purpose: deep input is what
 * it guards against (5,000 levels overflowed the stack when the report was stored, a 500 the
 * widget retried forever), so checking it must not recurse either.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length) {
    const [v, depth] = stack.pop()!
    if (v === null || typeof v !== 'object') continue
    if (depth > limit) return true
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
  }
  return false
}

export const ReportContext = z
  .object({
    referrer: z.string().max(2048).optional(),
    timezone: z.string().max(64).optional(),
    viewport: z.string().max(32).optional(),
    user_agent: z.string().max(512).optional(),
    user: z
      .object({
        id: z.string().max(256).optional(),
        email: z.string().max(320).optional(),
        name: z.string().max(256).optional(),
      })
      .optional(),
    errors: z
      .array(
        z.object({
          message: z.string().max(2000),
          stack: z.string().max(8000).optional(),
          at: z.string().max(64).optional(),
        }),
      )
      .max(20)
      .optional(),
    network: z
      .array(
        z.object({
          method: z.string().max(16),
          url: z.string().max(2048),
          status: z.number().int().min(0).max(999),
          at: z.string().max(64).optional(),
        }),
      )
      .max(20)
      .optional(),
    custom: z.record(z.string(), z.unknown()).optional(),
  })
  .catchall(z.unknown())
  .refine(
    (context) => !nestsDeeperThan(context, MAX_CONTEXT_DEPTH),
    `context nests deeper than ${MAX_CONTEXT_DEPTH} levels`,
  )
  .meta({
    description:
      `Browser context the widget collects automatically; unknown keys are kept. At most ` +
      `${MAX_CONTEXT_DEPTH} levels deep.`,
  })

export const ReportInput = z
  .object({
    message: z.string().trim().min(1, 'message is required').max(5000, 'message is at most 5,000 characters'),
    email: z
      .email()
      .max(320)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    page_url: z.string().max(2048).optional(),
    route: shortText(512).optional(),
    release: shortText(128).optional(),
    locale: shortText(35).optional(),
    category: shortText(64).optional(),
    reporter_id: shortText(128).optional(),
    idempotency_key: z.string().min(8).max(128).optional(),
    context: ReportContext.optional(),
    /** Honeypot: a field people never see. Bots fill it in. */
    website: z.string().max(2048).optional(),
  })
  .meta({ id: 'ReportInput' })
export type ReportInput = z.infer<typeof ReportInput>

export const ReportAccepted = z.object({ id: z.string() }).meta({
  id: 'ReportAccepted',
  description:
    'The report is stored durably. It is clustered moments later by the report pipeline, so the answer ' +
    'names no cluster.',
})

export const AffectedInput = z
  .object({
    reporter_id: shortText(128).optional(),
    email: z
      .email()
      .max(320)
      .optional()
      .or(z.literal('').transform(() => undefined)),
    idempotency_key: z.string().min(8).max(128).optional(),
    message: z.string().trim().max(5000).optional(),
    /** BCP 47 language for the "it's fixed" e-mail to `email` (default: the request's Accept-Language). */
    locale: shortText(35).optional(),
  })
  .meta({ id: 'AffectedInput' })

export const IncidentUpdateOut = z.object({
  id: z.string(),
  status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
  message: z.string(),
  created_at: z.string(),
})

export const PublicIncident = z
  .object({
    id: z.string(),
    title: z.string(),
    impact: z.enum(['none', 'minor', 'major', 'critical']),
    status: z.enum(['investigating', 'identified', 'monitoring', 'resolved']),
    started_at: z.string(),
    updated_at: z.string(),
    latest_update: IncidentUpdateOut,
    reporter_state: z.enum(['notified', 'reported']).nullable().optional().meta({
      description:
        'Only with ?reporter_id=: this browser already reported the incident or asked to be notified (null: neither).',
    }),
  })
  .meta({ id: 'PublicIncident' })

export const IncidentList = z.object({ incidents: z.array(PublicIncident) }).meta({ id: 'IncidentList' })

export const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'Error' })

export const NoticesQuery = z
  .object({
    reporter_id: z.string().trim().min(1, 'reporter_id is required').max(128, 'reporter_id is at most 128 characters'),
  })
  .meta({ id: 'NoticesQuery' })

export const NoticeList = z
  .object({
    notices: z.array(
      z.object({
        id: z.string(),
        incident_id: z.string(),
        title: z.string(),
        reported_at: z.string(),
        resolved_at: z.string().nullable(),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: 'NoticeList' })

export const NoticeSeenInput = z.object({ reporter_id: z.string().max(128).optional() }).meta({ id: 'NoticeSeenInput' })

export const DeployInput = z
  .object({
    release: z.string().trim().min(1).max(200),
    environment: z.string().trim().min(1).max(64).optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    /** Project id or slug; may be left out when the token's workspace has exactly one project. */
    project: z.string().trim().min(1).max(64).optional(),
  })
  .meta({ id: 'DeployInput' })

export const DeployOut = z
  .object({
    deploy: z.object({
      id: z.string(),
      project_id: z.string(),
      release: z.string(),
      environment: z.string().nullable(),
      url: z.string().nullable(),
      created_at: z.string(),
    }),
  })
  .meta({ id: 'DeployRecorded' })

export const HealthOut = z
  .object({
    ok: z.boolean(),
    database: z.enum(['up', 'down']),
    writable: z.boolean().nullable().meta({ description: 'null when the database did not answer at all' }),
  })
  .meta({ id: 'Health' })

export const OpenApiOut = z.object({ openapi: z.string() }).catchall(z.unknown()).meta({ id: 'OpenApiDocument' })
