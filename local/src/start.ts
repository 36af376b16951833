import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';
import { classifyReply } from '@asep/shared/classification/classify';
import { AuditLog } from '@asep/functions/audit/audit-log';
import { SandboxCalendar } from './sandbox-calendar';
import { TeamsNotifier } from '@asep/functions/bot/notifier';
import { AdjustableClock } from '@asep/functions/clock/clock';
import { warmUp } from '@asep/functions/composition/warm-up';
import { markReady } from '@asep/functions/composition/readiness';
import { provideServices, type Notifier } from '@asep/functions/composition/services';
import { InternalCrm } from '@asep/functions/crm/internal-crm';
import { SandboxMailbox } from './sandbox-mailbox';
import { createCosmosClient, ensureDatabase } from '@asep/functions/store/cosmos';
import { containers } from '@asep/functions/store/containers';
import { createStore } from '@asep/functions/store/store';
import { forgetKnownTenants } from '@asep/functions/tenants/directory';
import { startTelemetry } from '@asep/functions/telemetry/start-telemetry';
import { CosmosRequestTap } from '@asep/functions/store/request-tap';
import type { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { LocalPersistence, emulatorKey, startCosmosEmulator } from './cosmos-emulator';
import { LocalDurableHost } from './durable-host';
import { SandboxWebsite } from './sandbox-website';
import { ModelRouter } from '@asep/functions/openai/model-router';
import { deploymentResolver } from '@asep/functions/openai/tenant-deployments';
import { WebsiteFetcher } from '@asep/functions/research/website-fetcher';
import { EnvironmentSecrets } from '@asep/functions/secrets/environment-secrets';
import { installFunctionsCoreStandIn, LocalFunctionsHost, type StaticMount } from './functions-host';
import type { LocalServices } from './local-services';
import { LocalTokenIssuer } from './dev-token-issuer';
import { asDemoSender } from './playground-identity';
import { demoSites, demoTenant, seedDemoTenant } from './seed';
import { loadLocalUnsubscribeKey } from './unsubscribe-key';
import { LocalTimers } from './local-timers';

const repoRoot = resolve(__dirname, '../..');

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
  /**
   * Counts Cosmos requests, for benchmarks and budget tests: `app` is what the Functions app spends (what
   * Azure bills the product), `durable` the local durable host's own (Azure's task hub), `sandbox` the
   * stand-in mailbox's (Exchange in Azure, so never counted as Cosmos).
   */
  cosmosRequests: CosmosRequestTap;
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
  // The dev routes refuse to load without it: a second lock on top of nothing in production importing them.
  process.env.ASEP_ENV = 'local';
  const spans = await startTelemetry(options.telemetry ?? 'off');
  if (options.reset) await rm(options.dataDir, { recursive: true, force: true });

  const persistence = new LocalPersistence(
    options.dataDir,
    Object.values(containers).map((spec) => spec.id),
  );
  const emulator = await startCosmosEmulator(0, persistence.walPath);
  const cosmosRequests = new CosmosRequestTap();
  const connection = { endpoint: emulator.endpoint, emulatorKey, databaseId: 'asep' };
  const tappedClient = (name: string) => {
    const observe = cosmosRequests.observer(name);
    return createCosmosClient(connection, observe);
  };
  const client = tappedClient('app');
  const durableClient = tappedClient('durable');
  const sandboxClient = tappedClient('sandbox');
  // Persistence restores through a client of its own: no part of what is counted.
  const snapshotClient = createCosmosClient(connection);
  const database = await ensureDatabase(client, 'asep');
  persistence.attach(snapshotClient.database('asep'), emulator);
  const restored = await persistence.restore();
  await emulator.logWrites();

  const clock = new AdjustableClock();
  const store = createStore(database);
  const timers = new LocalTimers(clock, options.log);
  const durableHost = new LocalDurableHost(durableClient.database('asep').container(containers.orchestrations.id), clock, options.log, {
    // Instance ids begin with their kind (seq-, triage-, start-): the task hub's requests are told apart by it.
    attribute: (instanceId, work) => cosmosRequests.within(`instance:${instanceId.split('-')[0]}`, work),
  });
  const issuer = await LocalTokenIssuer.load(join(options.dataDir, 'keys', 'local-issuer.json'));
  const unsubscribeKey = await loadLocalUnsubscribeKey(join(options.dataDir, 'keys', 'unsubscribe.key'));
  const sandbox = new SandboxMailbox(createStore(sandboxClient.database('asep')), clock);
  const calendar = new SandboxCalendar(store);
  const notifier: Notifier = new TeamsNotifier({ log: options.log });
  const audit = new AuditLog(store.auditContainer, clock);
  const sandboxWebsite = new SandboxWebsite();
  for (const site of demoSites) sandboxWebsite.publish(site.domain, { pages: site.pages });
  const internalCrm = new InternalCrm(store, clock, () => `${services.publicUrl}/console/`);
  const services: LocalServices = {
    environment: 'local',
    clock,
    store,
    audit,
    mail: sandbox,
    crm: internalCrm,
    internalCrm,
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
    unsubscribeKey: async () => unsubscribeKey,
    // The Agents Playground and the Bot Framework Emulator send no tokens; with no app id the adapter accepts them.
    botCredentials: { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' },
    resolveSender: asDemoSender,
    issuer,
    sandbox,
    durableHost,
    timers,
  };
  forgetKnownTenants();
  provideServices(async () => services);

  await import('@asep/functions/functions');
  await import('./dev-routes');
  await import('./dev-research-routes');

  const staticMounts: StaticMount[] = [
    { prefix: '/console', handler: sirv(join(repoRoot, 'teams-app', 'dist'), { dev: true, single: false }) },
    { prefix: '/addin', handler: sirv(join(repoRoot, 'outlook-addin', 'dist'), { dev: true, single: false }) },
  ];
  const host = new LocalFunctionsHost(durableHost, options.log, staticMounts, (site, work) => cosmosRequests.within(site, work));
  host.bindRegistrations();
  // The weekly digest runs here as in Azure. Graph upkeep needs Graph, and the HubSpot replay's tests drive it directly.
  host.bindTimers(timers, ['weeklyDigestTimer']);
  timers.start(30_000);
  const port = await host.listen(options.port);
  services.publicUrl = `http://localhost:${port}`;
  markReady('store');
  markReady('bot');

  if (options.seed) await seedDemoTenant(services);
  const resumed = await durableHost.resume();
  markReady('durable');
  // In the background, between requests: the first out-of-office reply no longer stalls the loop for 0.7 s.
  void warmUp();
  if (restored > 0) options.log(`Restored ${restored} records from ${options.dataDir}; resumed ${resumed} orchestration(s).`);

  return {
    baseUrl: host.baseUrl,
    services,
    cosmosRequests,
    ...(spans ? { spans } : {}),
    async close() {
      timers.stop();
      durableHost.stop();
      await host.close();
      await persistence.close();
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
