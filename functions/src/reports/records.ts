import type { StoredFields } from '../store/documents';

/** One tenant's weekly digest, recorded before it is handed to the notifier: a week's digest goes out once. */
export interface DigestRecord extends StoredFields {
  docType: 'digest';
  /** The first day the digest covers (a Monday, UTC). */
  week: string;
  postedAt: string;
}
