// Incident pages (owned by the status area). Contract with the shell: export `incidentRoutes:
// RouteDef[]` (paths under /dashboard). `/incidents/status-page` comes before `/incidents/:id`,
// because routes match in order.
import type { RouteDef } from '../../router'
import { IncidentPage } from './incident'
import { IncidentsPage } from './list'
import { StatusPageSettings } from './status-page'

export const incidentRoutes: RouteDef[] = [
  { path: '/incidents', component: IncidentsPage, nav: 'incidents' },
  { path: '/incidents/status-page', component: StatusPageSettings, nav: 'incidents' },
  { path: '/incidents/:id', component: IncidentPage, nav: 'incidents' },
]
