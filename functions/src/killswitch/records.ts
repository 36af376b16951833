import type { KillSwitchState } from '@asep/shared/killswitch/killswitch';
import type { StoredFields } from '../store/documents';

export interface KillSwitchRecord extends StoredFields, KillSwitchState {
  docType: 'killswitch';
}
