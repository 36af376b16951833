import { z } from 'zod';
import { repUpdateSchema } from '@asep/shared/reps/rep';
import { registerApi } from '../http/api';
import { listReps, repFor, updateRep } from './reps';

const repPath = z.object({ mailbox: z.string().trim().toLowerCase().pipe(z.email({ error: 'expected an email address' })) });

registerApi('repsList', { route: 'v1/reps', methods: ['GET'], permission: 'campaigns.read' }, async ({ services, principal }) => ({
  body: await listReps(services, principal.tenantId),
}));

registerApi('repsGet', { route: 'v1/reps/{mailbox}', methods: ['GET'], permission: 'campaigns.read', params: repPath }, async ({ services, principal, params }) => ({
  body: await repFor(services, principal.tenantId, params.mailbox!),
}));

registerApi(
  'repsUpdate',
  { route: 'v1/reps/{mailbox}', methods: ['PUT'], permission: 'reps.write', params: repPath, body: repUpdateSchema },
  async ({ services, principal, params, body, correlationId, requestId }) => ({
    body: await updateRep(services, principal, params.mailbox!, body, { correlationId, requestId }),
  }),
);
