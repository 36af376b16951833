import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { registerOpen } from '../http/api';
import { verifyUnsubscribeToken } from './links';
import { confirmationPage, invalidLinkPage, unsubscribedPage } from './page';
import { linkedProspect, unsubscribeByLink } from './unsubscribe';
import { acceptedCorrelationId } from '@asep/shared/audit/change-key';

/**
 * The link every email carries. No sign-in: the signed token is the authority. GET asks for confirmation;
 * POST (the page's button, or an RFC 8058 one-click `List-Unsubscribe=One-Click` post) unsubscribes at once.
 */
const unsubscribePath = z.object({ token: z.string().max(2_048, 'an unsubscribe token is at most 2048 characters') });

registerOpen(
  'unsubscribe',
  { route: 'unsubscribe/{token}', methods: ['GET', 'POST'], durable: true, params: unsubscribePath },
  async (request, services, durable) => {
    const check = verifyUnsubscribeToken(await services.unsubscribeKey(), request.params.token ?? '');
    if (!check.valid) return invalidLinkPage(check.problem === 'malformed' ? 400 : 404);
    const prospect = await linkedProspect(services, check.subject);
    if (!prospect) return invalidLinkPage(404);
    if (request.method === 'GET') return prospect.status === 'unsubscribed' ? unsubscribedPage() : confirmationPage();
    await unsubscribeByLink(services, durable!, prospect, acceptedCorrelationId(request.headers.get('x-correlation-id')) ?? randomUUID());
    return unsubscribedPage();
  },
);
