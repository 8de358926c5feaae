/**
 * Text for a single-line e-mail header (Subject, List-Unsubscribe, …). A CR or LF from an
 * incident title would otherwise end the header line and start a new one ("\r\nBcc: …"), and
 * other control characters have no business in a header either: every run of them becomes one
 * space (folded, as a long header would be), so the words on both sides stay readable.
 */
export function headerText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').trim()
}

/** Every value of a header map through `headerText`; names that are not plain tokens are dropped. */
export function headerMap(headers: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers))
    if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) out[name] = headerText(String(value))
  return out
}
