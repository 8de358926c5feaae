// The route table. Incident pages come from pages/incidents/index.tsx (owned by the status area),
// which exports `incidentRoutes: RouteDef[]`; everything else is the dashboard's own.
import type { RouteDef } from './router'
import { incidentRoutes } from './pages/incidents/index'
import { LoginPage } from './pages/login'
import { InvitePage } from './pages/invite'
import { ClustersPage } from './pages/clusters'
import { ClusterPage } from './pages/cluster'
import { AddReportPage } from './pages/add-report'
import { AccountPage } from './pages/account'
import { MembersPage } from './pages/settings/members'
import { TokensPage } from './pages/settings/tokens'
import { ProjectsPage } from './pages/settings/projects'
import { ProjectSettingsPage } from './pages/settings/project'
import { OutboxPage } from './pages/settings/outbox'

export const routes: RouteDef[] = [
  { path: '/login', component: LoginPage, public: true },
  { path: '/invite/:token', component: InvitePage, public: true },
  { path: '/', component: ClustersPage, nav: 'clusters', early: true },
  { path: '/clusters', component: ClustersPage, nav: 'clusters', early: true },
  { path: '/clusters/:id', component: ClusterPage, nav: 'clusters', early: true },
  ...incidentRoutes,
  { path: '/reports/new', component: AddReportPage, nav: 'add-report' },
  { path: '/account', component: AccountPage, nav: 'account' },
  { path: '/settings/members', component: MembersPage, nav: 'members' },
  { path: '/settings/tokens', component: TokensPage, nav: 'tokens' },
  { path: '/settings/projects', component: ProjectsPage, nav: 'projects' },
  { path: '/settings/projects/:id', component: ProjectSettingsPage, nav: 'projects' },
  { path: '/settings/outbox', component: OutboxPage, nav: 'outbox' },
]
