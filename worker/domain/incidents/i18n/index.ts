import { en, type Catalog } from './en.js'
import { zhCN } from './zh-CN.js'

// The languages the status page, its e-mails and feeds speak, and how a request picks one.

export const STATUS_LANGS = ['en', 'zh-CN'] as const
export type StatusLang = (typeof STATUS_LANGS)[number]
export type { Catalog }

const CATALOGS: Record<StatusLang, Catalog> = { en, 'zh-CN': zhCN }

export const messagesFor = (lang: StatusLang): Catalog => CATALOGS[lang]

/** `zh`, `zh-cn`, `zh-Hans`, `zh-SG` → zh-CN; `en-GB` → en; anything else → undefined. */
export function supportedLang(tag: string | undefined | null): StatusLang | undefined {
  const t = (tag ?? '').trim().toLowerCase()
  if (!t) return undefined
  if (t === 'en' || t.startsWith('en-')) return 'en'
  // Traditional Chinese (zh-TW, zh-HK, zh-Hant) is not Simplified: those readers get the fallback.
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-sg' || t.startsWith('zh-hans') || t === 'zh-my') return 'zh-CN'
  return undefined
}

/** The best supported language in an Accept-Language header, by q-value (first wins on a tie). */
export function fromAcceptLanguage(header: string | undefined | null): StatusLang | undefined {
  if (!header) return undefined
  let best: { lang: StatusLang; q: number } | undefined
  for (const part of header.split(',').slice(0, 32)) {
    const [tag, ...params] = part.split(';')
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qParam ? Number(qParam.slice(2)) : 1
    const lang = supportedLang(tag)
    if (lang && Number.isFinite(q) && q > 0 && (!best || q > best.q)) best = { lang, q }
  }
  return best?.lang
}

/**
 * The visitor's language: an explicit `?lang=` (the switch), then the remembered choice (cookie),
 * then the browser's Accept-Language, then the project's default, then English.
 */
export function pickLang(p: {
  query?: string
  cookie?: string
  acceptLanguage?: string | null
  projectDefault?: unknown
}): StatusLang {
  return (
    supportedLang(p.query) ??
    supportedLang(p.cookie) ??
    fromAcceptLanguage(p.acceptLanguage) ??
    supportedLang(typeof p.projectDefault === 'string' ? p.projectDefault : undefined) ??
    'en'
  )
}

/** The project's default status-page language (`settings.status_language`), if it set one. */
export function projectStatusLang(settings: Record<string, unknown>): StatusLang | undefined {
  return typeof settings.status_language === 'string' ? supportedLang(settings.status_language) : undefined
}
