import type { Database } from '@azure/cosmos';
import type { CrmContact, CrmDealInput, CrmEngagement } from '../crm/crm-provider';
import { containers } from '../store/containers';
import { Documents, type StoredFields } from '../store/documents';
import type { DealStageMapping } from './deal-stages';
import type { SealedTokens } from './token-cipher';

/** A tenant's connected HubSpot portal. The tokens are sealed with AES-256-GCM; nothing here is a usable secret. */
export interface HubSpotConnectionRecord extends StoredFields {
  docType: 'hubspotConnection';
  hubId: number;
  scopes: string[];
  tokens: SealedTokens;
  accessTokenExpiresAt: string;
  connectedAt: string;
  connectedBy: string;
  refreshedAt?: string;
  /** Set when HubSpot refused the refresh token (app uninstalled, access revoked): an Admin must connect again. */
  revokedAt?: string;
  deals: DealStageMapping;
}

/** A spent OAuth `state`: its nonce, recorded on first use so the same state can never complete a second connection. */
export interface OAuthStateUseRecord extends StoredFields {
  docType: 'hubspotOAuthState';
  usedAt: string;
}

export type LinkedObject = 'contact' | 'company' | 'deal' | 'engagement';

/**
 * One ASEP object and the HubSpot object that mirrors it. `pending` records a create that was sent but not answered:
 * the next attempt looks the object up in HubSpot before creating anything, so a retried step never makes a twin.
 */
export interface HubSpotLinkRecord extends StoredFields {
  docType: 'hubspotLink';
  object: LinkedObject;
  /** ASEP's key: email, domain, deal id or engagement id. */
  key: string;
  hubSpotId?: string;
  pendingSince?: string;
  /** Contacts only: the company the contact is associated with in HubSpot. */
  associatedCompanyId?: string;
  updatedAt: string;
}

/** A HubSpot webhook event already applied, so a redelivery (HubSpot retries for up to three days) changes nothing. */
export interface WebhookEventRecord extends StoredFields {
  docType: 'hubspotWebhookEvent';
  eventId: string;
  subscriptionType: string;
  receivedAt: string;
}

export type MirrorCall =
  | { operation: 'upsertContact'; input: CrmContact }
  | { operation: 'upsertDeal'; input: CrmDealInput }
  | { operation: 'logEngagement'; input: CrmEngagement }
  | { operation: 'markSuppressed'; input: { email: string; reason: string } };

/** A write the internal CRM took but HubSpot did not (yet); replayed until HubSpot has it. */
export interface MirrorBacklogRecord extends StoredFields {
  docType: 'hubspotMirrorBacklog';
  call: MirrorCall;
  failedAt: string;
  attempts: number;
  lastError: string;
}

export function hubSpotCollections(database: Database) {
  const tenants = database.container(containers.tenants.id);
  const crm = database.container(containers.crm.id);
  return {
    connections: new Documents<HubSpotConnectionRecord>(tenants, 'hubspotConnection'),
    stateUses: new Documents<OAuthStateUseRecord>(tenants, 'hubspotOAuthState'),
    links: new Documents<HubSpotLinkRecord>(crm, 'hubspotLink'),
    webhookEvents: new Documents<WebhookEventRecord>(crm, 'hubspotWebhookEvent'),
    mirrorBacklog: new Documents<MirrorBacklogRecord>(crm, 'hubspotMirrorBacklog'),
  };
}

export type HubSpotCollections = ReturnType<typeof hubSpotCollections>;
