import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

/**
 * Registers where telemetry goes. Azure: Azure Monitor (Application Insights) through
 * @azure/monitor-opentelemetry, authenticated with the app's managed identity. Locally: nowhere by
 * default, the console with ASEP_TRACE=console, memory for tests.
 */
export async function startTelemetry(destination: 'azure' | 'console' | 'memory' | 'off'): Promise<InMemorySpanExporter | undefined> {
  if (destination === 'off') return undefined;
  if (destination === 'azure') {
    const { useAzureMonitor } = await import('@azure/monitor-opentelemetry');
    const { DefaultAzureCredential } = await import('@azure/identity');
    useAzureMonitor({ azureMonitorExporterOptions: { credential: new DefaultAzureCredential() } });
    return undefined;
  }
  const exporter: SpanExporter = destination === 'memory' ? new InMemorySpanExporter() : new ConsoleSpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  return exporter instanceof InMemorySpanExporter ? exporter : undefined;
}
