// The outbox: queued webhooks, Slack and e-mails, their delivery loop, transports and SSRF guard.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { DEVELOPMENT_SECRET_KEY } from './crypto.js'
export { headerMap, headerText } from './email-header.js'
export { emailSenderFromConfig } from './email.js'
export { listOutbox, type OutboxEntry } from './outbox-view.js'
export { backoffMs, enqueue, MAX_ATTEMPTS } from './store.js'
export { deliverDue } from './delivery.js'
export { kickOutbox } from './scheduling.js'
export { canSendEmail, configureOutbox, newOutboxState, outboxTransport, type OutboxState } from './transports.js'
export { UnsafeTargetError, allowsPrivateTargets, hostIsAddress, isPublicAddress } from './ssrf.js'
export {
  WEBHOOK_EVENTS,
  WEBHOOK_KINDS,
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  notifyWebhooks,
  sendTestEvent,
  webhookEvents,
  type Webhook,
  type WebhookEvent,
  type WebhookMessage,
} from './webhooks.js'
