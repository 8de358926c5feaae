// Browser family + major version from a User-Agent, for breakdowns. Order matters: Edge and Opera
// also say "Chrome", Chrome also says "Safari".
const RULES: [string, RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/u],
  ['Opera', /(?:OPR|Opera)\/(\d+)/u],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/u],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/u],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/u],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//u],
]

export function browserOf(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null
  for (const [name, re] of RULES) {
    const m = re.exec(userAgent)
    if (m) return `${name} ${m[1]}`
  }
  return 'Other'
}
