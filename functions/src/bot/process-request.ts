import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { CloudAdapter, Request, Response, TurnContext } from 'botbuilder';
import { z } from 'zod';

const maxActivityBytes = 1_000_000;

/** The fields every activity from a channel carries; the adapter and the bot take it from there. */
const incomingActivitySchema = z.looseObject({
  type: z.string().min(1),
  serviceUrl: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: z.looseObject({ id: z.string().min(1) }),
});

/**
 * Hands an Azure Functions v4 request to `CloudAdapter.process`, which expects Express-style `req`/`res`
 * objects, and collects what it writes into an HttpResponseInit. The adapter authenticates the request
 * (JWT from the Bot Connector in Azure) and answers invokes with their invoke response.
 */
export async function processBotRequest(
  adapter: CloudAdapter,
  request: HttpRequest,
  logic: (context: TurnContext) => Promise<void>,
): Promise<HttpResponseInit> {
  const text = await request.text();
  if (Buffer.byteLength(text) > maxActivityBytes) return plain(413, `An activity may be at most ${maxActivityBytes} bytes.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return plain(400, 'The body must be a JSON activity.');
  }
  const activity = incomingActivitySchema.safeParse(json);
  if (!activity.success) {
    return plain(
      400,
      `The body is not an activity: ${activity.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ')}`,
    );
  }

  const req: Request = { method: request.method, headers: Object.fromEntries(request.headers.entries()), body: activity.data };
  const collected: { status: number; headers: Record<string, string>; body?: unknown } = { status: 200, headers: {} };
  const res: Response = {
    socket: undefined,
    status(code: number) {
      collected.status = code;
      return res;
    },
    header(name: string, value: unknown) {
      collected.headers[name.toLowerCase()] = String(value);
      return res;
    },
    send(payload?: unknown) {
      collected.body = payload;
      return res;
    },
    end() {
      return res;
    },
  };
  await adapter.process(req, res, logic);
  if (collected.body === undefined) return { status: collected.status, headers: collected.headers };
  return typeof collected.body === 'string' || Buffer.isBuffer(collected.body)
    ? { status: collected.status, headers: collected.headers, body: collected.body as string }
    : { status: collected.status, headers: collected.headers, jsonBody: collected.body };
}

function plain(status: number, detail: string): HttpResponseInit {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: detail };
}
