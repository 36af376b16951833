import { killSwitchChangeSchema } from '@asep/shared/killswitch/killswitch';
import { registerApi } from '../http/api';
import { changeKillSwitch, readKillSwitches } from './killswitch';

registerApi(
  'killSwitchPut',
  { route: 'v1/killswitch', methods: ['PUT'], permission: 'killswitch.campaign', body: killSwitchChangeSchema },
  async ({ services, durable, principal, body, correlationId }) => ({
    body: await changeKillSwitch(services, durable, principal, body, correlationId),
  }),
);

registerApi('killSwitchGet', { route: 'v1/killswitch', methods: ['GET'], permission: 'killswitch.read' }, async ({ services, principal }) => ({
  body: await readKillSwitches(services, principal.tenantId),
}));
