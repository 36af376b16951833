import type { PolicyDocument } from '@asep/shared/policy/document';
import type { StoredFields } from '../store/documents';

/** The tenant's policy in force. */
export interface PolicyRecord extends StoredFields, PolicyDocument {
  docType: 'policy';
}

/** Every version ever in force, kept for audit and rollback. */
export interface PolicyVersionRecord extends StoredFields, PolicyDocument {
  docType: 'policyVersion';
}
