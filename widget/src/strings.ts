// Texts the loader itself shows (launcher and banners). The dialog's texts ship with the dialog
// chunk. Every key can be overridden with the `strings` option.

export type Strings = Record<string, string>

const en: Strings = {
  launcher: 'Report an issue',
  known: 'Known issue',
  affected: 'I’m affected too',
  dismiss: 'Dismiss',
  fixed: 'Fixed',
  fixedBody: 'The problem you reported on {date} has been fixed.',
  update: 'Update',
  loadFailed: 'The form could not load. Please try again.',
}

const zh: Strings = {
  launcher: '报告问题',
  known: '已知问题',
  affected: '我也受到影响',
  dismiss: '关闭',
  fixed: '已修复',
  fixedBody: '您在 {date} 报告的问题已修复。',
  update: '进展',
  loadFailed: '表单加载失败，请重试。',
}

/** "zh", "zh-CN", "zh-Hans-SG"… → "zh-CN"; everything else → "en". */
export function pickLocale(wanted?: string): string {
  return /^zh/i.test(wanted || navigator.language || '') ? 'zh-CN' : 'en'
}

export const builtIn = (locale: string): Strings => (locale == 'zh-CN' ? zh : en)
