import type { Catalog } from './en.js'

// 状态页、邮件和订阅源的简体中文文本（键与 en.ts 一一对应）。

const pad = (n: number) => String(n).padStart(2, '0')

export const zhCN: Catalog = {
  self: '简体中文',
  day: (ms) => {
    const d = new Date(ms)
    return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
  },
  time: (ms) => {
    const d = new Date(ms)
    return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
  },
  pair: (label, value) => `${label}：${value}`,
  fullTime: (ms) => {
    const d = new Date(ms)
    const date = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
    return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`
  },
  duration: (ms) => {
    const m = Math.round(ms / 60_000)
    if (m < 60) return `${m} 分钟`
    const h = Math.floor(m / 60)
    return h < 48 ? `${h} 小时 ${m % 60} 分钟` : `${Math.round(h / 24)} 天`
  },
  indicator: {
    none: '所有系统运行正常',
    maintenance: '服务维护中',
    minor: '部分服务轻微故障',
    major: '部分系统故障',
    critical: '服务严重故障',
  },
  component: {
    operational: '运行正常',
    degraded_performance: '性能下降',
    partial_outage: '部分中断',
    major_outage: '严重中断',
    under_maintenance: '维护中',
  },
  update: { investigating: '调查中', identified: '已定位', monitoring: '观察中', resolved: '已解决' },
  impact: { none: '无', minor: '轻微', major: '严重', critical: '紧急' },
  pageTitle: (name) => `${name} 服务状态`,
  metaDescription: (name) => `${name} 的当前状态、事件和计划维护。`,
  feedTitle: (name) => `${name} 服务状态`,
  feedDescription: (name) => `${name} 的事件和计划维护`,
  subscribe: '订阅',
  subscribeWide: '更新',
  language: '语言',
  privateView: (name) => `私有视图：你还能看到仅向 ${name} 客户公开的事件。`,
  footerStatus: (name) => `${name} 服务状态`,
  poweredBy: '由 Earshot 提供支持',
  updated: '更新于',
  affects: (names) => `影响范围：${names.join('、')}`,
  impactLine: (impact) => `影响：${impact}`,
  started: '开始于',
  inProgressEnds: (d) => `进行中——${d}后结束`,
  scheduledStarts: (d) => `已计划——${d}后开始`,
  last90: (days) => `最近 ${days} 天的状态`,
  noData: '无数据',
  daysAgo: (days) => `${days} 天前`,
  uptime: (pct) => `可用率 ${pct}%`,
  today: '今天',
  systemStatus: '系统状态',
  components: '组件',
  completedMaintenance: (from, to) => `计划维护已完成（${from} – ${to}）。`,
  pastIncidents: (days) => `历史事件——最近 ${days} 天`,
  noIncidents: '没有报告的事件。',
  getUpdates: '获取更新',
  subscribeText: (name) => `${name} 创建、更新或解决事件时，你都会收到一封邮件。我们会先发送一个确认链接。`,
  emailLabel: '电子邮件地址',
  onlySome: '仅部分组件（可选）',
  atomFeed: 'Atom 订阅源',
  rssFeed: 'RSS 订阅源',
  activeIncidents: '进行中的事件',
  maintenanceNow: '正在维护',
  maintenanceScheduled: '计划维护',
  resolvedLasted: (at, lasted) => `已于 ${at} 解决 · 持续 ${lasted}`,
  ongoingSince: (at) => `自 ${at} 起持续中`,
  backToCurrent: '← 当前状态',
  backToPage: '返回状态页',
  incidentNotFound: '未找到事件',
  incidentNotFoundText: '此地址没有对应的事件。',
  pageNotFound: '页面不存在',
  pageNotFoundText: '此地址没有对应的页面。',
  noSuchStatusPage: '状态页不存在',
  noSuchStatusPageText: '此地址没有状态页。请检查你收到的链接。',
  failed: '操作未成功',
  invalidEmail: '请输入有效的电子邮件地址。',
  unknownComponent: '所选组件中有一个不存在。',
  queuedTitle: '订阅已排队',
  queuedText: (email) =>
    `发往 ${email} 的确认链接已排队：此状态页暂时无法发送邮件（尚未配置邮件服务）。配置完成后即会发送。`,
  checkInbox: '请查看收件箱',
  checkInboxText: (email) => `我们已向 ${email} 发送确认链接。在你点击之前，不会发送任何其他邮件。`,
  confirmTitle: '确认订阅',
  confirmText: (name) => `${name} 每次发布事件更新时，你都会收到一封邮件。`,
  confirmButton: '确认订阅',
  linkInvalid: '链接无效',
  confirmInvalid: '此确认链接已失效。请重新订阅以获取新链接。',
  subscribedTitle: '订阅成功',
  subscribedText: (target, name) => `${target} 将收到 ${name} 的事件更新。每封邮件都附有退订链接。`,
  unsubscribeInvalid: '此退订链接无效。',
  unsubscribeTitle: '退订',
  unsubscribeText: (name, target) => `不再向 ${target} 发送 ${name} 的状态更新？`,
  unsubscribeButton: '退订',
  unsubscribedTitle: '已退订',
  unsubscribedText: '你将不会再收到此状态页的任何邮件。',
  mailFollow: '关注此事件',
  mailUnsubscribe: '退订',
  mailSubscribedFooter: (name) => `你订阅了 ${name} 的状态更新。`,
  mailMaintenanceSubject: (title) => `计划维护：${title}`,
  mailScheduled: '计划时间',
  mailStatusPage: '状态页',
  mailConfirmSubject: (name) => `确认订阅 ${name} 的状态更新`,
  mailConfirmAsked: (name) => `有人（希望是你）申请在此地址接收 ${name} 的状态更新。`,
  mailConfirmIgnore: '如果不是你本人操作，请忽略此邮件：我们不会发送任何内容。',
  mailConfirm: '确认',
  mailFixedHeading: (title) => `已修复：${title}`,
  mailUpdateHeading: (title) => `进展：${title}`,
  mailFixedText: (day) => `你在 ${day} 报告的问题已修复。`,
  mailReporterFooter: (name) => `你收到此邮件，是因为你向 ${name} 报告过问题。`,
  mailReportedProblem: '你报告的问题',
}
