import { z } from 'zod';
import { internetMessageIdSchema } from '@asep/shared/ids/ids';
import { registerApi } from '../http/api';
import { draftEvidenceFor, insightForMessage } from './insights';

registerApi(
  'insightsByMessage',
  {
    route: 'v1/insights/by-message',
    methods: ['GET'],
    permission: 'insights.read',
    query: z.object({ internetMessageId: internetMessageIdSchema }),
  },
  async ({ services, principal, query, durable }) => ({
    body: await insightForMessage(services, durable, principal.tenantId, query.internetMessageId),
  }),
);

/** The evidence of an email ASEP drafted (a draft in the rep's Drafts folder, or a sent touch): the taskpane shows it on that email. */
registerApi(
  'insightsDraftEvidence',
  {
    route: 'v1/insights/draft-evidence',
    methods: ['GET'],
    permission: 'insights.read',
    query: z.object({ internetMessageId: internetMessageIdSchema }),
  },
  async ({ services, principal, query }) => ({ body: await draftEvidenceFor(services, principal.tenantId, query.internetMessageId) }),
);
