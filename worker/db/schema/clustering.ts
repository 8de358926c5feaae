import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'

// State of the online clustering engine (worker/domain/clustering). Clusters themselves live in
// core's `clusters` table; these tables hold what the engine needs to assign and refine.

/** Per-project document count, for inverse document frequencies kept online. */
export const clusteringStats = sqliteTable('clustering_stats', {
  projectId: text('project_id').primaryKey(),
  docs: integer('docs').notNull().default(0),
  /** Last time refineClusters() finished for this project (ms). */
  refinedAt: integer('refined_at').notNull().default(0),
})

/** Document frequency of each feature ("w:font", "g:字体", "r:/checkout", "e:<fingerprint>"). */
export const clusteringDf = sqliteTable(
  'clustering_df',
  {
    projectId: text('project_id').notNull(),
    feature: text('feature').notNull(),
    df: integer('df').notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.feature] })],
)

/** Centroid of an active cluster: sum of member unit vectors, pruned to its strongest features. */
export const clusterVectors = sqliteTable(
  'cluster_vectors',
  {
    clusterId: text('cluster_id').primaryKey(),
    projectId: text('project_id').notNull(),
    size: integer('size').notNull(),
    /** JSON object feature → summed weight */
    vector: text('vector').notNull(),
    norm: real('norm').notNull(),
    /** Report closest to the centroid; its message is the cluster title. */
    representativeId: text('representative_id'),
    representativeScore: real('representative_score').notNull().default(0),
    /** JSON array of readable key terms */
    keyTerms: text('key_terms').notNull().default('[]'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('cluster_vectors_project_updated_idx').on(t.projectId, t.updatedAt)],
)

/** Inverted index: feature → clusters whose centroid holds it, strongest first. */
export const clusterPostings = sqliteTable(
  'cluster_postings',
  {
    projectId: text('project_id').notNull(),
    feature: text('feature').notNull(),
    clusterId: text('cluster_id').notNull(),
    weight: real('weight').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.feature, t.clusterId] }),
    index('cluster_postings_lookup_idx').on(t.projectId, t.feature, t.weight),
    index('cluster_postings_cluster_idx').on(t.clusterId),
  ],
)

/** The raw features of each clustered report, so refinement can rebuild centroids with fresh df. */
export const reportFeatures = sqliteTable(
  'report_features',
  {
    reportId: text('report_id').primaryKey(),
    projectId: text('project_id').notNull(),
    clusterId: text('cluster_id').notNull(),
    /** JSON object feature → term count */
    bag: text('bag').notNull(),
    /** 1 when a responder put the report where it is: neither ingest nor refinement moves it. */
    pinned: integer('pinned').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('report_features_cluster_idx').on(t.clusterId, t.createdAt)],
)

/** Breakdowns of a cluster's reports by route, release, browser and locale. */
export const clusterBreakdowns = sqliteTable(
  'cluster_breakdowns',
  {
    clusterId: text('cluster_id').notNull(),
    dimension: text('dimension', { enum: ['route', 'release', 'browser', 'locale'] }).notNull(),
    value: text('value').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.dimension, t.value] })],
)

/** Distinct reporters per cluster (exact distinct counts without scanning reports). */
export const clusterReporters = sqliteTable(
  'cluster_reporters',
  {
    clusterId: text('cluster_id').notNull(),
    reporterId: text('reporter_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.reporterId] })],
)

/** Responder corrections the engine must never undo: merges, moves, "not related" pairs, undone merges (kept apart). */
export const clusterCorrections = sqliteTable(
  'cluster_corrections',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: text('project_id').notNull(),
    kind: text('kind', { enum: ['merge', 'move', 'not_related', 'unmerge'] }).notNull(),
    /** merge: the source (merged away); move: the destination; not_related: one side */
    clusterId: text('cluster_id').notNull(),
    /** merge: the target; move: the origin; not_related: the other side */
    otherClusterId: text('other_cluster_id'),
    reportId: text('report_id'),
    actorId: text('actor_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('cluster_corrections_project_kind_idx').on(t.projectId, t.kind)],
)

/**
 * A responder's merge, kept so it can be undone for a while (`undo_until`): one row per source
 * cluster, rows of one action share `group_id`. What the merge changed that a recount cannot give
 * back is recorded: the source's centroid as it was, the clusters that had been merged into the
 * source (their pointers were flattened onto the target) and, in `cluster_merge_reports`, which
 * reports moved. Reports are forgotten once the window has passed.
 */
export const clusterMerges = sqliteTable(
  'cluster_merges',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id').notNull(),
    projectId: text('project_id').notNull(),
    sourceId: text('source_id').notNull(),
    targetId: text('target_id').notNull(),
    actorId: text('actor_id'),
    /** JSON: the source's cluster_vectors row before the merge (null when it had none) */
    sourceVector: text('source_vector'),
    /** JSON array: clusters whose merged_into_id pointed at the source */
    children: text('children').notNull().default('[]'),
    reportCount: integer('report_count').notNull(),
    createdAt: integer('created_at').notNull(),
    undoUntil: integer('undo_until').notNull(),
    undoneAt: integer('undone_at'),
  },
  (t) => [
    index('cluster_merges_group_idx').on(t.groupId),
    index('cluster_merges_project_until_idx').on(t.projectId, t.undoUntil),
    index('cluster_merges_target_idx').on(t.targetId),
  ],
)

export const clusterMergeReports = sqliteTable(
  'cluster_merge_reports',
  {
    mergeId: text('merge_id').notNull(),
    reportId: text('report_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.mergeId, t.reportId] }), index('cluster_merge_reports_report_idx').on(t.reportId)],
)
