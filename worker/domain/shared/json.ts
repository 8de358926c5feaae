/** JSON columns are text in SQLite; parse defensively so one bad row never breaks a page. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

export const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString())
