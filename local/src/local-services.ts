import type { Services } from '@asep/functions/composition/services';
import type { AdjustableClock } from '@asep/functions/clock/clock';
import type { LocalTokenIssuer } from './dev-token-issuer';
import type { SandboxMailbox } from './sandbox-mailbox';
import type { SandboxCalendar } from './sandbox-calendar';
import type { LocalDurableHost } from './durable-host';
import type { SandboxWebsite } from './sandbox-website';
import type { InternalCrm } from '@asep/functions/crm/internal-crm';
import type { LocalTimers } from './local-timers';

/** The local suite's services: the same as Azure's, plus the sandbox handles the dev routes need. */
export interface LocalServices extends Services {
  environment: 'local';
  clock: AdjustableClock;
  issuer: LocalTokenIssuer;
  sandbox: SandboxMailbox;
  sandboxCalendar: SandboxCalendar;
  /** The company sites research reads locally. */
  sandboxWebsite: SandboxWebsite;
  /** ASEP's own CRM, which the local suite uses as its CRM: the dev routes seed accounts and notes in it. */
  internalCrm: InternalCrm;
  durableHost: LocalDurableHost;
  /** The timer triggers the suite runs off its clock (the weekly digest). */
  timers: LocalTimers;
}

export function asLocal(services: Services): LocalServices {
  if (services.environment !== 'local') throw new Error('This route exists only in the local suite (npm start).');
  return services as LocalServices;
}
