// bench:surge's data: the labelled corpora (a label = one underlying problem) and the web-product
// complaints written for the bench, and the words an alert must never be about on their own.
import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'

export type Texts = Map<string, string[]>
export function readLabelled(path: string): Texts {
  const rows = parse(readFileSync(path), { columns: true, skip_empty_lines: true, bom: true }) as {
    text: string
    label: string
  }[]
  const byLabel: Texts = new Map()
  for (const r of rows) {
    if (!byLabel.has(r.label)) byLabel.set(r.label, [])
    byLabel.get(r.label)!.push(r.text)
  }
  return byLabel
}

// Web-product complaints after a bad deploy: several different problems at once, each written in
// several ways, nearly all naming "the page", "the site" or "the app" (the generic words that must
// not surge on their own). Written for this bench; the background corpora are assistant requests.
export const WEB_PROBLEMS: Record<string, string[]> = {
  fonts: [
    'Fonts look weird on the orders page, like a serif font',
    'the font on the site changed??',
    'why is the typeface different on every page now',
    'Text font in the app is different than yesterday',
    '页面上的字体全变了',
    '网站字体怎么变成宋体了',
  ],
  pricing: [
    'The pricing page is gone, 404',
    'pricing page vanished from the site',
    'where did the plans page go? it says not found',
    'I cannot find the pricing on your website anymore',
    '价格页面打不开了',
    '网站的价格页没了',
  ],
  checkout: [
    'checkout page says my card was declined but it is fine',
    'cannot pay, the checkout on the site fails',
    'payment failed on the app three times',
    'checkout button on the page does nothing',
    '付款页面一直失败',
    '结账的时候网站报错',
  ],
  login: [
    'login page keeps sending me back to the login page',
    'stuck in a sign in loop on the site',
    'the app logs me out right after I log in',
    'cannot log in, page just reloads',
    '登录页面一直循环',
    '网站登录不上去',
  ],
  images: [
    'images are missing on the product page',
    'all pictures on the site are broken icons',
    'the app shows grey boxes instead of photos',
    'product photos do not load on any page',
    '页面上的图片都不显示了',
    '网站图片全挂了',
  ],
  search: [
    'search page returns nothing for anything',
    'site search is empty, even for exact names',
    'search in the app finds zero results',
    'the search results page is blank',
    '搜索页面没有结果',
    '网站搜索什么都搜不到',
  ],
  export: [
    'export button on the reports page does nothing',
    'CSV export from the site never downloads',
    'the app export spins and nothing happens',
    'clicking export on the page, nothing',
    '导出按钮点了没反应',
    '网站导出功能坏了',
  ],
  slow: [
    'the dashboard page takes a minute to load',
    'site is super slow today',
    'the app is crawling, every page takes ages',
    'dashboard page times out',
    '页面加载特别慢',
    '网站今天好卡',
  ],
}
export const WEB_LABELS = Object.keys(WEB_PROBLEMS)
/** Stems / words the issue names as generic: an alert on one of them alone is a failure. */
export const GENERIC_CHECK = new Set([
  'page',
  'site',
  'websit',
  'webpag',
  'app',
  'applic',
  'screen',
  '页面',
  '页',
  '面',
  '网站',
  '网页',
  '应用',
])
