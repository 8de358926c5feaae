// localStorage that never throws: storage can be disabled, full, or blocked in private modes.
// Without storage the widget still works, it just cannot keep reports across page loads.

export function load<T>(name: string, fallback: T): T {
  try {
    const raw = localStorage.getItem('earshot:' + name)
    return raw ? (JSON.parse(raw) as T) : fallback
  } catch {
    return fallback
  }
}

export function save(name: string, value: unknown): boolean {
  try {
    localStorage.setItem('earshot:' + name, JSON.stringify(value))
    return true
  } catch {
    return false
  }
}

/** A random id (idempotency keys, reporter ids): crypto.randomUUID where the page is secure. */
export function randomId(): string {
  if (crypto.randomUUID) return crypto.randomUUID()
  const b = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
}
