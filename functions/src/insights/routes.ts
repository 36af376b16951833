import { z } from 'zod';
import { internetMessageIdSchema } from '@asep/shared/ids/ids';
import { registerApi } from '../http/api';
import { insightForMessage } from './insights';

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
