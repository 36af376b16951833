import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Permission } from '@asep/shared/access/matrix';

export interface ConsolePage {
  /** The page's address in the URL fragment: `#/approvals`. */
  id: string;
  title: string;
  /** Who sees the page at all; buttons inside check their own permissions. */
  permission: Permission;
  Component: LazyExoticComponent<ComponentType>;
}

/** Every page of the console, in navigation order. Each is its own chunk, loaded when first opened. */
export const consolePages: readonly ConsolePage[] = [
  { id: 'approvals', title: 'Approvals', permission: 'approvals.read', Component: lazy(() => import('../approvals/ApprovalsPage')) },
  { id: 'campaigns', title: 'Campaigns', permission: 'campaigns.read', Component: lazy(() => import('../campaigns/CampaignsPage')) },
  { id: 'prospects', title: 'Prospects', permission: 'prospects.read', Component: lazy(() => import('../prospects/ProspectsPage')) },
  { id: 'import', title: 'Import prospects', permission: 'prospects.import', Component: lazy(() => import('../imports/ImportPage')) },
  { id: 'deals', title: 'Deals', permission: 'deals.read', Component: lazy(() => import('../deals/DealsPage')) },
  { id: 'replies', title: 'Replies', permission: 'insights.read', Component: lazy(() => import('../replies/RepliesPage')) },
  { id: 'killswitch', title: 'Kill switch', permission: 'killswitch.read', Component: lazy(() => import('../killswitch/KillSwitchPage')) },
  { id: 'policies', title: 'Policies', permission: 'policies.read', Component: lazy(() => import('../policies/PoliciesPage')) },
  { id: 'audit', title: 'Audit', permission: 'audit.read', Component: lazy(() => import('../audit/AuditPage')) },
  { id: 'roi', title: 'ROI', permission: 'reports.read', Component: lazy(() => import('../reports/RoiPage')) },
];
