import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';
import { classifyReply } from '@asep/shared/classification/classify';
import { AuditLog } from '../audit/audit-log';
import { SandboxCalendar } from '../bookings/sandbox-calendar';
import { TeamsNotifier } from '../bot/notifier';
import { AdjustableClock } from '../clock/clock';
import { markReady } from '../composition/readiness';
import { provideServices, type Notifier } from '../composition/services';
import { InternalCrm } from '../crm/internal-crm';
import { LocalTokenIssuer } from '../identity/tokens';
import { loadLocalUnsubscribeKey } from '../unsubscribe/signing-key';
import { SandboxMailbox } from '../mail/sandbox-mailbox';
import { createCosmosClient, ensureDatabase } from '../store/cosmos';
import { containers } from '../store/containers';
import { createStore } from '../store/store';
import { forgetKnownTenants } from '../tenants/directory';
import { startTelemetry } from '../telemetry/start-telemetry';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { SnapshotFile, emulatorKey, startCosmosEmulator } from './cosmos-emulator';
import { LocalDurableHost } from './durable-host';
import { SandboxWebsite } from './sandbox-website';
import { ModelRouter } from '../openai/model-router';
import { deploymentResolver } from '../openai/tenant-deployments';
import { WebsiteFetcher } from '../research/website-fetcher';
import { EnvironmentSecrets } from '../secrets/environment-secrets';
import { installFunctionsCoreStandIn, LocalFunctionsHost, type StaticMount } from './functions-host';
import type { LocalServices } from './local-services';
import { demoTenant, seedDemoTenant } from './seed';

const repoRoot = resolve(__dirname, '../../..');

export interface LocalSuiteOptions {
  port: number;
  dataDir: string;
  reset: boolean;
  seed: boolean;
  log: (line: string) => void;
  /** Where spans go: nowhere (default), the console (`ASEP_TRACE=console`), or memory for tests. */
  telemetry?: 'off' | 'console' | 'memory';
}

export interface LocalSuite {
  baseUrl: string;
  services: LocalServices;
  /** Counts Cosmos requests by operation, for benchmarks. */
  cosmosRequests: { total: number; byOperation: Record<string, number> };
  /** The spans recorded when started with `telemetry: 'memory'`. */
  spans?: InMemorySpanExporter;
  close(): Promise<void>;
}

/**
 * Starts the whole suite on this machine: the Cosmos DB emulator (spoken to by the real client), the
 * Functions app's own registrations on a local host at /api, the durable host, the bot endpoint, and
 * the built console tab and taskpane.
 */
export async function startLocalSuite(options: LocalSuiteOptions): Promise<LocalSuite> {
  installFunctionsCoreStandIn();
  process.env.ASEP_ENV = 'local';
  const spans = await startTelemetry(options.telemetry ?? 'off');
  if (options.reset) await rm(options.dataDir, { recursive: true, force: true });

  const emulator = await startCosmosEmulator();
  const cosmosRequests = { total: 0, byOperation: {} as Record<string, number> };
  const snapshot = new SnapshotFile(
    join(options.dataDir, 'cosmos.json'),
    Object.values(containers).map((spec) => spec.id),
  );
  const markDirtyOnWrite = ({ operationType }: { operationType: string }) => {
    if (!['read', 'query', 'readFeed'].includes(operationType)) snapshot.markDirty();
  };
  // The app's requests are counted (they are what Azure would bill); the local stand-ins for the
  // durable task hub and for persistence use a client of their own so they do not skew the figures.
  const client = createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'asep' }, (operation) => {
    cosmosRequests.total += 1;
    cosmosRequests.byOperation[operation.operationType] = (cosmosRequests.byOperation[operation.operationType] ?? 0) + 1;
    markDirtyOnWrite(operation);
  });
  const localInfrastructure = createCosmosClient({ endpoint: emulator.endpoint, emulatorKey, databaseId: 'asep' }, markDirtyOnWrite);
  const database = await ensureDatabase(client, 'asep');
  const infrastructureDatabase = localInfrastructure.database('asep');
  snapshot.attach(infrastructureDatabase);
  const restored = await snapshot.restore();

  const clock = new AdjustableClock();
  const store = createStore(database);
  const durableHost = new LocalDurableHost(infrastructureDatabase.container(containers.orchestrations.id), clock, options.log);
  const issuer = await LocalTokenIssuer.load(join(options.dataDir, 'keys', 'local-issuer.json'));
  const unsubscribeKey = await loadLocalUnsubscribeKey(join(options.dataDir, 'keys', 'unsubscribe.key'));
  const sandbox = new SandboxMailbox(store, clock);
  const calendar = new SandboxCalendar(store);
  const notifier: Notifier = new TeamsNotifier({ log: options.log });
  const audit = new AuditLog(store.auditContainer, clock);
  const sandboxWebsite = new SandboxWebsite();
  const services: LocalServices = {
    environment: 'local',
    clock,
    store,
    audit,
    mail: sandbox,
    crm: new InternalCrm(store, clock, () => `${services.publicUrl}/console/`),
    calendar,
    sandboxCalendar: calendar,
    // The tenant's own deployment once an Admin configures one; its key is read as ASEP_SECRET_<NAME> locally.
    models: new ModelRouter({ deploymentFor: deploymentResolver(store), secrets: new EnvironmentSecrets(), store, audit, clock }),
    website: new WebsiteFetcher({ fetch: sandboxWebsite.fetch }),
    sandboxWebsite,
    classify: classifyReply,
    tokens: issuer.validator(),
    notify: notifier,
    mayProvision: async () => true,
    publicUrl: '',
    issuer,
    sandbox,
    durableHost,
    unsubscribeKey,
  };
  forgetKnownTenants();
  provideServices(async () => services);

  await import('../functions');
  await import('./dev-routes');

  const staticMounts: StaticMount[] = [
    { prefix: '/console', handler: sirv(join(repoRoot, 'teams-app', 'dist'), { dev: true, single: false }) },
    { prefix: '/addin', handler: sirv(join(repoRoot, 'outlook-addin', 'dist'), { dev: true, single: false }) },
  ];
  const host = new LocalFunctionsHost(durableHost, options.log, staticMounts);
  host.bindRegistrations();
  const port = await host.listen(options.port);
  services.publicUrl = `http://localhost:${port}`;
  markReady('store');
  markReady('bot');

  if (options.seed) await seedDemoTenant(services);
  const resumed = await durableHost.resume();
  markReady('durable');
  if (restored > 0) options.log(`Restored ${restored} records from ${options.dataDir}; resumed ${resumed} orchestration(s).`);

  return {
    baseUrl: host.baseUrl,
    services,
    cosmosRequests,
    ...(spans ? { spans } : {}),
    async close() {
      durableHost.stop();
      await host.close();
      await snapshot.close();
      await emulator.close();
    },
  };
}

function banner(baseUrl: string): string {
  const local = baseUrl.replace('127.0.0.1', 'localhost');
  const manager = demoTenant.users.find((user) => (user.roles as readonly string[]).includes('Manager'))!;
  return `
ASEP local suite ready at ${local}

  API            ${local}/api/v1/...            (health: ${local}/api/healthz)
  Console tab    ${local}/console/
  Taskpane       ${local}/addin/taskpane.html?devMessage=<internetMessageId>
  Bot endpoint   ${local}/api/messages

Demo tenant ${demoTenant.tenantId}: campaign "${demoTenant.campaignId}", mailbox ${demoTenant.mailbox}, users ${demoTenant.users.map((u) => `${u.email} (${u.roles.join(',')})`).join(', ')}

Get a token (local issuer only):
  curl -s -X POST ${local}/api/dev/token -H 'content-type: application/json' \\
    -d '{"tenantId":"${demoTenant.tenantId}","userId":"${manager.userId}","name":"${manager.name}","roles":["Manager"]}'

Watch the governed loop:   npm run demo          (with the suite running)
Try the bot by hand:       npx agentsplayground -e ${local}/api/messages -c msteams --disable-telemetry
Stop: Ctrl-C.   Start clean: npm start -- --reset
`;
}

/** A fresh clone has no built console or taskpane yet: build them once so every printed URL works. */
function ensureFrontEndsBuilt(): void {
  const missing = ['teams-app', 'outlook-addin'].filter((workspace) => !existsSync(join(repoRoot, workspace, 'dist')));
  if (missing.length === 0) return;
  console.log(`Building ${missing.join(' and ')} once (about half a minute)…`);
  const result = spawnSync('npm', ['run', 'build', '--silent', ...missing.flatMap((workspace) => ['-w', workspace])], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) console.error('The front ends did not build; the API still runs, the console and taskpane URLs will not.');
}

async function main(): Promise<void> {
  ensureFrontEndsBuilt();
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.ASEP_PORT ?? '7071' },
      'data-dir': { type: 'string', default: join(repoRoot, '.asep', 'data') },
      reset: { type: 'boolean', default: false },
      'no-seed': { type: 'boolean', default: false },
    },
  });
  const suite = await startLocalSuite({
    port: Number(values.port),
    dataDir: resolve(values['data-dir']),
    reset: values.reset,
    seed: !values['no-seed'],
    log: (line) => console.error(line),
    telemetry: process.env.ASEP_TRACE === 'console' ? 'console' : 'off',
  });
  console.log(banner(suite.baseUrl));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local suite…`);
    await suite.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`The local suite could not start: ${(error as Error).message}`);
    process.exit(1);
  });
}
