import type { TokenCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../clock/clock';
import type { Services } from '../composition/services';
import { GraphCalendar } from './graph-calendar';
import { GraphInbox } from './graph-inbox';
import { GraphMail } from './graph-mail';
import { defaultGraphRequestPolicy, GraphRequests, type GraphRequestPolicy } from './graph-requests';
import { MailboxLimiter } from './mailbox-limiter';
import { GraphSubscriptions, type SubscriptionSettings } from './subscriptions';

/** Everything ASEP does with Microsoft Graph, sharing one client, one per-mailbox limiter and one policy. */
export interface GraphConnection {
  mail: GraphMail;
  calendar: GraphCalendar;
  inbox: GraphInbox;
  subscriptions: GraphSubscriptions;
}

export interface GraphSettings {
  subscriptions: SubscriptionSettings;
  policy?: GraphRequestPolicy;
}

/**
 * Takes the Graph client by injection: Azure passes one signed in as the app's managed identity
 * (`graphClientFor`), a contract test one pointed at the Graph fake.
 */
export function connectGraph(client: Client, clock: Clock, settings: GraphSettings): GraphConnection {
  const requests = new GraphRequests(client, new MailboxLimiter(), settings.policy ?? defaultGraphRequestPolicy);
  return {
    mail: new GraphMail(requests, clock),
    calendar: new GraphCalendar(requests, clock),
    inbox: new GraphInbox(requests, clock),
    subscriptions: new GraphSubscriptions(requests, clock, settings.subscriptions),
  };
}

const graphScope = 'https://graph.microsoft.com/.default';

/** A Graph client signed in app-only with `credential`, with the SDK's default middleware (retry included). */
export function graphClientFor(credential: TokenCredential): Client {
  return Client.initWithMiddleware({
    authProvider: {
      async getAccessToken() {
        const token = await credential.getToken(graphScope);
        if (!token) throw new Error('No Microsoft Graph token could be obtained for the app identity.');
        return token.token;
      },
    },
  });
}

// Services is shared with the local suite, which has no Graph; the webhook and its triage find the connection here.
const connections = new WeakMap<Services, GraphConnection>();

export function useGraph(services: Services, graph: GraphConnection): void {
  connections.set(services, graph);
}

/** The Graph connection of these services, or undefined where there is none (the local suite by default). */
export function connectedGraph(services: Services): GraphConnection | undefined {
  return connections.get(services);
}
