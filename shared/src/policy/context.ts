import type { KillSwitchState } from '../killswitch/killswitch';
import type { SendUsage } from './caps';
import type { PolicyReason } from './decision';
import type { PolicyDocument } from './document';

/** The state of the world a send is decided in, read fresh from the store by the caller. */
export interface PolicyContext {
  policy: PolicyDocument;
  killSwitch: KillSwitchState;
  /** The moment of the decision: sending windows and cap windows are read against it. */
  now: Date;
  usage: SendUsage;
  /** The suppression entry (the address's own, or its domain's) that forbids emailing the recipient. */
  suppression?: { scope: 'address' | 'domain'; reason: string };
  /** Whether the tenant has emailed the recipient's domain before; looked up only when a rule needs it. */
  recipientDomainContacted?: boolean;
  /** The campaign sending, when there is one: whether it was started with a canary cohort. */
  campaign?: { canaryStarted: boolean };
}

/** What deciding a deal needs. */
export type DealPolicyContext = Pick<PolicyContext, 'policy' | 'now'>;

/** One rule's verdict; a deferral says when to ask again. */
export interface Finding extends PolicyReason {
  retryAt?: number;
}
