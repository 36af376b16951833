import { z } from 'zod';
import { repUpdateSchema } from '@asep/shared/reps/rep';
import { registerApi } from '../http/api';
import { badRequest } from '../http/problem';
import { listReps, repFor, updateRep } from './reps';

const mailboxParam = z.string().trim().toLowerCase().pipe(z.email());

function mailboxOf(params: Record<string, string>): string {
  const parsed = mailboxParam.safeParse(params.mailbox);
  if (!parsed.success) throw badRequest('The path must name a rep by mailbox address.', [{ field: 'mailbox', message: 'expected an email address' }]);
  return parsed.data;
}

registerApi('repsList', { route: 'v1/reps', methods: ['GET'], permission: 'campaigns.read' }, async ({ services, principal }) => ({
  body: await listReps(services, principal.tenantId),
}));

registerApi('repsGet', { route: 'v1/reps/{mailbox}', methods: ['GET'], permission: 'campaigns.read' }, async ({ services, principal, params }) => ({
  body: await repFor(services, principal.tenantId, mailboxOf(params)),
}));

registerApi(
  'repsUpdate',
  { route: 'v1/reps/{mailbox}', methods: ['PUT'], permission: 'reps.write', body: repUpdateSchema },
  async ({ services, principal, params, body, correlationId }) => ({
    body: await updateRep(services, principal, mailboxOf(params), body, correlationId),
  }),
);
