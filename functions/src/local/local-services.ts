import type { Services } from '../composition/services';
import type { AdjustableClock } from '../clock/clock';
import type { LocalTokenIssuer } from '../identity/tokens';
import type { SandboxMailbox } from '../mail/sandbox-mailbox';
import type { SandboxCalendar } from '../bookings/sandbox-calendar';
import type { LocalDurableHost } from './durable-host';
import type { SandboxWebsite } from './sandbox-website';

/** The local suite's services: the same as Azure's, plus the sandbox handles the dev routes need. */
export interface LocalServices extends Services {
  environment: 'local';
  clock: AdjustableClock;
  issuer: LocalTokenIssuer;
  sandbox: SandboxMailbox;
  sandboxCalendar: SandboxCalendar;
  /** The company sites research reads locally. */
  sandboxWebsite: SandboxWebsite;
  durableHost: LocalDurableHost;
  /** Signs unsubscribe links; Azure reads its key from Key Vault instead. */
  unsubscribeKey: Buffer;
}

export function asLocal(services: Services): LocalServices {
  if (services.environment !== 'local') throw new Error('This route exists only in the local suite (ASEP_ENV=local).');
  return services as LocalServices;
}
