// Incidents and what they reach: updates, components, maintenance, the status page and its domains, subscriptions, in-
// app notices, fan-out to reporters, e-mail texts (i18n).
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { isAppHost, isAppPath, reservedHostReason } from './app-hosts.js'
export { cachedStatus, newStatusCache, type StatusCache, type StatusHostCache } from './cache.js'
export {
  assertComponentsOf,
  createComponent,
  deleteComponent,
  getComponent,
  listComponents,
  updateComponent,
  type Component,
  type ShownComponentStatus,
} from './components.js'
export {
  claimCustomDomain,
  getCustomDomain,
  recheckVerifiedDomains,
  slugForVerifiedDomain,
  verificationRecord,
  verifyCustomDomain,
  type CustomDomain,
} from './custom-domains.js'
export { DnsLookupError, dohTxtLookup, type TxtLookup } from './dns-txt.js'
export { tellReporters } from './fanout.js'
export {
  STATUS_LANGS,
  fromAcceptLanguage,
  messagesFor,
  pickLang,
  projectStatusLang,
  type Catalog,
  type StatusLang,
} from './i18n/index.js'
export {
  declareIncident,
  dismissRecurrence,
  getIncident,
  linkCluster,
  listActiveIncidents,
  listIncidents,
  postUpdate,
  reportsSinceResolved,
  setIncidentDetails,
  type Incident,
  type IncidentUpdate,
  type IncidentWithLatest,
} from './incidents.js'
export { incidentLearning, learningMarkdown, projectLearning, type IncidentLearning } from './learning.js'
export { statusPageUrl } from './links.js'
export {
  cancelMaintenance,
  getMaintenance,
  listMaintenances,
  scheduleMaintenance,
  type MaintenanceView,
} from './maintenance.js'
export { WIDGET_PLACEHOLDER_TITLE, listUnseenNotices, markNoticeSeen, noticeCounts } from './notices.js'
export {
  HISTORY_DAYS,
  loadPublicIncident,
  loadStatusView,
  utcDay,
  type DayBar,
  type PublicIncidentView,
  type StatusView,
} from './page.js'
export { recurrenceStatements } from './recurrence.js'
export {
  confirmSubscription,
  findByUnsubscribeToken,
  listSubscribers,
  removeSubscriber,
  subscribeEmail,
  unsubscribe,
} from './subscriptions.js'
export { createStatusToken, isValidStatusToken, listStatusTokens, revokeStatusToken } from './tokens.js'
export { notifyAffected } from './incidents.js'
