import { z } from 'zod'
import { SurgeSettingsPatch } from '../../domain/surge/index.js'

// What `PATCH /api/projects/:id {settings}` accepts: only the keys the README documents, each
// with its type (strict objects: an unknown key is a 400, not silently stored). Keys with a route
// of their own — the custom status domain (PUT …/status-page) — are not settings at all.

/**
 * `settings.surge`: any subset of the surge detector's settings, each within the schema's bounds
 * (worker/domain/surge/settings.ts).
 */
export const SurgeSettingsInput = SurgeSettingsPatch

export const ProjectSettingsInput = z.strictObject({
  surge: SurgeSettingsInput.optional(),
  /** Days to keep reports (the retention job deletes older ones); null = keep them. */
  retention_days: z.number().int().min(1).max(3650).nullable().optional(),
  /** The status page's language for visitors whose browser asks for none it speaks (domain/status/i18n). */
  status_language: z.enum(['en', 'zh-CN']).optional(),
})
