// Incident pages. A basic version written by the dashboard area; the status area (issue 6) owns
// this folder and replaces it with the full incident detail, timeline and learning pages.
// Contract with the shell: export `incidentRoutes: RouteDef[]` (paths under /dashboard).
import type { RouteDef } from '../../router'
import { IncidentPage } from './incident'
import { IncidentsPage } from './list'

export const incidentRoutes: RouteDef[] = [
  { path: '/incidents', component: IncidentsPage, nav: 'incidents' },
  { path: '/incidents/:id', component: IncidentPage, nav: 'incidents' },
]
