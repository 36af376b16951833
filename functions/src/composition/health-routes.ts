import { app } from '@azure/functions';
import { readiness } from './readiness';

app.http('healthz', {
  route: 'healthz',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => {
    const { ready, components } = readiness();
    return { status: ready ? 200 : 503, jsonBody: { status: ready ? 'ok' : 'starting', components } };
  },
});
