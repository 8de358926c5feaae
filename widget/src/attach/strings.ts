// Texts of the screenshot tools (English, Simplified Chinese); any key can be overridden with the
// widget's `strings` option, like the dialog's.
const en = {
  shot: 'Screenshot (optional)',
  capture: 'Capture this page',
  choose: 'Choose an image',
  remove: 'Remove screenshot',
  mark: 'Highlight',
  hide: 'Black out',
  shotHint: 'Drag on the screenshot to highlight a part or to black out something private.',
  shotAlt: 'Your screenshot',
  notImage: 'Please choose a PNG, JPEG or WebP image.',
  noStore: 'The screenshot could not be saved on this device: it is only sent if this page stays open.',
}
const zh: typeof en = {
  shot: '截图（可选）',
  capture: '截取当前页面',
  choose: '选择图片',
  remove: '移除截图',
  mark: '标出重点',
  hide: '涂黑遮挡',
  shotHint: '在截图上拖动，可以标出重点或涂黑隐私信息。',
  shotAlt: '您的截图',
  notImage: '请选择 PNG、JPEG 或 WebP 图片。',
  noStore: '截图无法保存在此设备上：只有在此页面保持打开时才会发送。',
}
export type AttachStrings = typeof en
export const attachStrings = (locale: string): AttachStrings => (locale == 'zh-CN' ? zh : en)
