// Every schema file is re-exported here so drizzle's relational queries and the domain see one schema.
export * from './core.js'
export * from './status.js'
export * from './notifications.js'
export * from './surge.js'
export * from './accounts.js'
export * from './limits.js'
export * from './dashboard.js'
export * from './pipeline.js'
