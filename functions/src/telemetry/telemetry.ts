import { AsyncLocalStorage } from 'node:async_hooks';
import { metrics, SpanStatusCode, trace, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';

/**
 * Tracing, metrics and logs for every environment, through the OpenTelemetry API only: Azure registers
 * Azure Monitor behind it (`startTelemetry('azure')`), the local suite prints spans to the console when
 * asked (`ASEP_TRACE=console`), tests collect them in memory. Every span and log line carries the tenant
 * id and correlation id of the work it belongs to; no message body or secret is ever recorded.
 */

export interface WorkScope {
  tenantId?: string;
  correlationId: string;
}

const scopes = new AsyncLocalStorage<WorkScope>();

export function inScope<T>(scope: WorkScope, work: () => T): T {
  return scopes.run(scope, work);
}

export function currentScope(): WorkScope | undefined {
  return scopes.getStore();
}

/** Adds the tenant id to the current scope once it is known (after the token is validated). */
export function scopeToTenant(tenantId: string): void {
  const scope = scopes.getStore();
  if (scope) scope.tenantId = tenantId;
  trace.getActiveSpan()?.setAttribute('asep.tenant_id', tenantId);
}

function scopeAttributes(): Attributes {
  const scope = scopes.getStore();
  return scope ? { 'asep.correlation_id': scope.correlationId, ...(scope.tenantId ? { 'asep.tenant_id': scope.tenantId } : {}) } : {};
}

/** Runs `work` in a span named `name`, recording failure and the work's scope. */
export async function traced<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  return trace.getTracer('asep').startActiveSpan(name, { attributes: { ...scopeAttributes(), ...attributes } }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

interface Instruments {
  emailsSent: Counter;
  policyBlocks: Counter;
  triageDuration: Histogram;
  activityDuration: Histogram;
  activityRetries: Counter;
  webhookLag: Histogram;
}

let instrumentSet: Instruments | undefined;

/** The suite's metrics; created on first use, after any meter provider has been registered. */
export function instruments(): Instruments {
  if (!instrumentSet) {
    const meter = metrics.getMeter('asep');
    instrumentSet = {
      emailsSent: meter.createCounter('asep.emails.sent', { description: 'Emails sent by sequences' }),
      policyBlocks: meter.createCounter('asep.policy.blocks', { description: 'Outbound actions blocked, by rule' }),
      triageDuration: meter.createHistogram('asep.triage.duration', { unit: 'ms', description: 'Inbound message to triage decision' }),
      activityDuration: meter.createHistogram('asep.activity.duration', { unit: 'ms', description: 'Durable activity run time' }),
      activityRetries: meter.createCounter('asep.activity.retries', { description: 'Durable activity attempts that failed and will be retried' }),
      webhookLag: meter.createHistogram('asep.webhook.lag', { unit: 'ms', description: 'Change notification to acknowledgement' }),
    };
  }
  return instrumentSet;
}

const secretKeys = /token|secret|password|authorization|apikey|api_key|key$|clientstate|body|html/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, secretKeys.test(key) ? '[redacted]' : value]));
}

type Level = 'debug' | 'info' | 'warn' | 'error';
let minimumLevel: Level = (process.env.ASEP_LOG_LEVEL as Level | undefined) ?? 'info';
const order: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

/** Structured log lines: JSON with time, level, message, the work's tenant and correlation ids, and the active trace. */
export const log = {
  debug: (message: string, fields: Record<string, unknown> = {}) => write('debug', message, fields),
  info: (message: string, fields: Record<string, unknown> = {}) => write('info', message, fields),
  warn: (message: string, fields: Record<string, unknown> = {}) => write('warn', message, fields),
  error: (message: string, fields: Record<string, unknown> = {}) => write('error', message, fields),
};

function write(level: Level, message: string, fields: Record<string, unknown>): void {
  if (order[level] < order[minimumLevel]) return;
  const span = trace.getActiveSpan()?.spanContext();
  const scope = scopes.getStore();
  sink(
    JSON.stringify({
      at: new Date().toISOString(),
      level,
      message,
      ...(scope?.tenantId ? { tenantId: scope.tenantId } : {}),
      ...(scope ? { correlationId: scope.correlationId } : {}),
      ...(span ? { traceId: span.traceId, spanId: span.spanId } : {}),
      ...redact(fields),
    }),
  );
}

/** Where log lines go and from which level; the local suite and tests set these. Answers what was set before, to restore it. */
export function configureLog(options: { sink?: (line: string) => void; level?: Level }): { sink: (line: string) => void; level: Level } {
  const previous = { sink, level: minimumLevel };
  if (options.sink) sink = options.sink;
  if (options.level) minimumLevel = options.level;
  return previous;
}
