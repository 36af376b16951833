import { randomUUID } from 'node:crypto';
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { AsepBot } from '@asep/teams-app/bot/asep-bot';
import { getServices } from '../composition/services';
import { createBotBackend } from './backend';
import { botChannel } from './channel';
import { processBotRequest } from './process-request';
import { acceptedCorrelationId } from '@asep/shared/audit/change-key';

/** The Bot Framework messaging endpoint: Teams (or, locally, the Agents Playground) posts every activity here. */
app.http('botMessages', {
  route: 'messages',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: async (request, invocation) => {
    const correlationId = acceptedCorrelationId(request.headers.get('x-correlation-id')) ?? randomUUID();
    try {
      const services = await getServices();
      const durable = df.getClient(invocation);
      const backend = createBotBackend(services, durable, correlationId);
      const bot = new AsepBot(backend, (line) => invocation.error(line));
      return await processBotRequest(botChannel(services.botCredentials).adapter, request, (context) => bot.run(context));
    } catch (error) {
      // Configuration or infrastructure, not the activity: the adapter answers problems with an activity itself.
      invocation.error(`bot endpoint failed (correlation ${correlationId}):`, error);
      return {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `The bot could not take this activity; quote correlation id ${correlationId}.`,
      };
    }
  },
});
