import type { DurableClient } from 'durable-functions';
import type { z } from 'zod';

/**
 * What callers know of an orchestration: its registered name and the shape of its input and result. The
 * orchestrator registers under `name`; callers start it through `startOrchestration`, never by a string.
 */
export interface OrchestrationContract<Input, Output> {
  name: string;
  input: z.ZodType<Input>;
  output: z.ZodType<Output>;
}

export function defineOrchestration<Input, Output>(
  name: string,
  input: z.ZodType<Input>,
  output: z.ZodType<Output>,
): OrchestrationContract<Input, Output> {
  return { name, input, output };
}

/**
 * Starts one instance. The input is checked against the contract first, so a caller's mistake fails here, at
 * the call, rather than inside the orchestration after it has started.
 */
export async function startOrchestration<Input>(
  durable: Pick<DurableClient, 'startNew'>,
  contract: OrchestrationContract<Input, unknown>,
  instanceId: string,
  input: Input,
): Promise<string> {
  contract.input.parse(input);
  return durable.startNew(contract.name, { instanceId, input });
}

/**
 * Starts one instance unless an instance under that id is already pending or running (the Durable extension then
 * answers 409, with host.json's `overridableExistingInstanceStates: NonRunningStates`); answers whether it started.
 * A finished instance is started afresh, so its work must be safe to repeat.
 */
export async function startUnlessRunning<Input>(
  durable: Pick<DurableClient, 'startNew'>,
  contract: OrchestrationContract<Input, unknown>,
  instanceId: string,
  input: Input,
): Promise<boolean> {
  try {
    await startOrchestration(durable, contract, instanceId, input);
    return true;
  } catch (error) {
    // durable-functions reports a refused start only in its message: "…unexpected status code: 409…".
    if (/status code: 409\b/.test((error as Error).message ?? '')) return false;
    throw error;
  }
}

/** An event a running orchestration waits for: its name and the shape of what it carries. */
export interface EventContract<Payload> {
  name: string;
  payload: z.ZodType<Payload>;
}

export function defineEvent<Payload>(name: string, payload: z.ZodType<Payload>): EventContract<Payload> {
  return { name, payload };
}

/** Raises `event` on one instance; the payload is checked against the contract first, as `startOrchestration` checks input. */
export async function raiseEvent<Payload>(
  durable: { raiseEvent(instanceId: string, eventName: string, eventData: unknown): Promise<void> },
  instanceId: string,
  event: EventContract<Payload>,
  payload: Payload,
): Promise<void> {
  event.payload.parse(payload);
  await durable.raiseEvent(instanceId, event.name, payload);
}
