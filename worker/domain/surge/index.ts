// Surge alerts: detection in the intake, deploy markers, and what the dashboard reads.
export { observeReport, evaluate, reporterKey, personOf, type ObservedReport, type Evaluation } from './detect.js'
export { activeSurges, listSurges, pruneSurgeCounters, type SurgeView } from './query.js'
export {
  recordDeploy,
  latestDeployBefore,
  listDeploys,
  beganAfterDeploy,
  deployNote,
  type Deploy,
  type DeployNote,
} from './deploys.js'
export { surgeSettings, DEFAULT_SURGE_SETTINGS, type SurgeSettings, type ScopeThresholds } from './settings.js'
export { surgeMessage } from './notify.js'
export { topicSurgeViews, type TopicSurgeView, type TopicCluster } from './topic-view.js'
export { SurgeBatch, type ClusterFacts } from './batch.js'
export { surgeClientKey } from './client-key.js'
export type { Surge } from './detect.js'
export { foldClusterCounters } from './merge.js'
export { SurgeSettingsPatch, SurgeSettingsSchema } from './settings.js'
