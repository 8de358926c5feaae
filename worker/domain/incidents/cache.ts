// A tiny read cache for status pages, which are read far more than written — most of all during
// an incident, when every customer keeps reloading. Entries live 2 s (wall clock) and are dropped
// at once when this entry writes anything the page shows (`statusChanged`); other processes or
// isolates catch up within the 2 s. Only finished values are stored, never promises: on Workers a
// promise started by one request must not be awaited by another.

const TTL_MS = 2_000
const MAX_ENTRIES = 500

interface Entry {
  version: number
  until: number
  value: unknown
}
/** One per entry (`Deps.statusCache`, built by createDeps), never module-level. */
export interface StatusCache {
  version: number
  entries: Map<string, Entry>
}
export const newStatusCache = (): StatusCache => ({ version: 0, entries: new Map() })

/** host → status-site slug (null: not a status host), kept 30 s by routes/status (`Deps.statusHosts`). */
export type StatusHostCache = Map<string, { slug: string | null; until: number }>

/** Call after committing a change to incidents, updates, components or maintenance. */
export function statusChanged(deps: { statusCache: StatusCache }): void {
  const store = deps.statusCache
  store.version++
  store.entries.clear()
}

export async function cachedStatus<T>(
  deps: { statusCache: StatusCache },
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const store = deps.statusCache
  const hit = store.entries.get(key)
  const now = Date.now()
  if (hit && hit.version === store.version && hit.until > now) return hit.value as T
  const version = store.version
  const value = await load()
  // A write that landed while we were loading makes this value old: do not keep it.
  if (version === store.version) {
    if (store.entries.size >= MAX_ENTRIES) store.entries.clear()
    store.entries.set(key, { version, until: now + TTL_MS, value })
  }
  return value
}
