import { z } from 'zod';
import { registerApi } from '../http/api';
import { insightForMessage } from './insights';

registerApi(
  'insightsByMessage',
  {
    route: 'v1/insights/by-message',
    methods: ['GET'],
    permission: 'insights.read',
    query: z.object({ internetMessageId: z.string().min(3).max(998) }),
  },
  async ({ services, principal, query, durable }) => ({
    body: await insightForMessage(services, durable, principal.tenantId, query.internetMessageId),
  }),
);
