// Read models of the triage screens: the clusters list and detail with their surges and incidents, report search.
// The feature's one door: the rest of worker/ imports this file, never the leaves beside it.
export {
  RANGES,
  assignCluster,
  clusterBreakdowns,
  getCluster,
  linkClusterToIncident,
  listClusterReports,
  listClusters,
  markClustersNotRelated,
  mergeClusterGroup,
  mergeGroupProject,
  moveReports,
  renameCluster,
  reportTimeline,
  reportsIn,
  setClusterStatus,
  similarTo,
  sourceBreakdown,
  undoMergeGroup,
  undoableMerges,
  type Cluster,
  type ClusterRow,
  type Range,
  type Report,
} from './clusters.js'
export { searchReports } from './search.js'
