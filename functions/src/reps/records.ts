import type { Rep } from '@asep/shared/reps/rep';
import type { StoredFields } from '../store/documents';

/** One rep per sending mailbox, kept beside the tenant's users. */
export interface RepRecord extends StoredFields, Rep {
  docType: 'rep';
}
