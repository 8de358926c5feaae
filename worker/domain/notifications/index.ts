// The outbox: queued webhooks, Slack and e-mails, their delivery loop, transports and SSRF guard.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export { DEVELOPMENT_SECRET_KEY } from './crypto.js'
export { headerMap, headerText } from './email-header.js'
export { emailSenderFromConfig } from './email.js'
export { listOutbox, type OutboxEntry } from './outbox-view.js'
export {
  canSendEmail,
  configureOutbox,
  deliverDue,
  enqueue,
  kickOutbox,
  newOutboxState,
  outboxTransport,
  type OutboxState,
} from './outbox.js'
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
