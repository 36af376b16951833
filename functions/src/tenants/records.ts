import type { Role } from '@asep/shared/access/roles';
import type { StoredFields } from '../store/documents';

export interface TenantRecord extends StoredFields {
  docType: 'tenant';
  name: string;
  createdAt: string;
  /**
   * Since when the tenant's received messages are stored under their message key (mail/message-index.ts); ones
   * received before may be under the key they had then. Missing on tenants provisioned before that.
   */
  messageKeysSince?: string;
}

/** A user the suite has seen, so the bot can map a Teams user to the tenant's roles. */
export interface UserRecord extends StoredFields {
  docType: 'user';
  userId: string;
  name: string;
  roles: Role[];
  lastSeenAt: string;
}

/** New recipients a mailbox has been given on one day (UTC), claimed one by one with conditional writes. */
export interface SendCounterRecord extends StoredFields {
  docType: 'sendCounter';
  mailbox: string;
  day: string;
  recipients: string[];
}
