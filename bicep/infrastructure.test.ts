/**
 * Invariants of the infrastructure as code and the toolkit lifecycle, read as text: the Bicep compiler and
 * the toolkit cannot run here, so these checks stand in for the parts of a review that matter most —
 * identity-only access, the Cosmos containers the code expects, and a lifecycle whose every placeholder is
 * known by the time it is used.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { roles } from '@asep/shared/access/roles';
import { containers } from '../functions/src/store/containers';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readRepoFile = (relativePath: string): string => readFileSync(path.join(repoRoot, relativePath), 'utf8');

// ---------------------------------------------------------------------------------------------------------
// A small Bicep reader: enough lexing (strings, comments, bracket depth) to split a file into top-level
// declarations with their decorators, which is all the checks below need.

interface Declaration {
  keyword: string;
  name: string;
  decorators: string[];
  /** The declaration's source with comments removed, from its keyword to its end. */
  text: string;
}

const declarationKeywords = new Set(['targetScope', 'param', 'var', 'resource', 'module', 'output', 'type', 'func', 'import', 'metadata']);

function stripComments(source: string): string {
  let result = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith("'''", i)) {
      const end = source.indexOf("'''", i + 3);
      const stop = end === -1 ? source.length : end + 3;
      result += source.slice(i, stop);
      i = stop;
    } else if (source[i] === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== "'") j += source[j] === '\\' ? 2 : 1;
      result += source.slice(i, j + 1);
      i = j + 1;
    } else if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (source.startsWith('/*', i)) {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 2;
    } else {
      result += source[i];
      i += 1;
    }
  }
  return result;
}

/** Index just past the group that opens at `start` (one of `(`, `[`, `{`), skipping strings. */
function endOfGroup(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const char = text[i];
    if (char === "'") {
      i += 1;
      while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
    } else if (char === '(' || char === '[' || char === '{') {
      depth += 1;
    } else if (char === ')' || char === ']' || char === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  throw new Error(`unbalanced brackets from offset ${start}`);
}

/** Index of the newline that ends the statement starting at `start` (a newline outside any bracket). */
function endOfStatement(text: string, start: number): number {
  let i = start;
  while (i < text.length && text[i] !== '\n') {
    if (text[i] === "'") {
      i += 1;
      while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
      i += 1;
    } else if ('([{'.includes(text[i] ?? '')) {
      i = endOfGroup(text, i);
    } else {
      i += 1;
    }
  }
  return i;
}

function readDeclarations(source: string): Declaration[] {
  const text = stripComments(source);
  const declarations: Declaration[] = [];
  let decorators: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) {
      i += 1;
      continue;
    }
    if (text[i] === '@') {
      const open = text.indexOf('(', i);
      const end = endOfGroup(text, open);
      decorators.push(text.slice(i, end));
      i = end;
      continue;
    }
    const end = endOfStatement(text, i);
    const statement = text.slice(i, end);
    const [keyword = '', name = ''] = statement.split(/[\s=]+/);
    if (!declarationKeywords.has(keyword)) throw new Error(`unexpected top-level text: ${statement.slice(0, 60)}`);
    declarations.push({ keyword, name, decorators, text: statement });
    decorators = [];
    i = end;
  }
  return declarations;
}

const resourceType = (declaration: Declaration): string => /^resource\s+\w+\s+'([^@']+)@/.exec(declaration.text)?.[1] ?? '';

const bicepSources = [
  { file: 'bicep/main.bicep', source: readRepoFile('bicep/main.bicep') },
  ...readdirSync(path.join(repoRoot, 'bicep/modules'))
    .filter((file) => file.endsWith('.bicep'))
    .map((file) => ({ file: `bicep/modules/${file}`, source: readRepoFile(`bicep/modules/${file}`) })),
].map(({ file, source }) => ({ file, code: stripComments(source), declarations: readDeclarations(source) }));

const allDeclarations = bicepSources.flatMap(({ file, declarations }) => declarations.map((declaration) => ({ file, ...declaration })));
/** Resources of a type that a template deploys (`existing` references only point at one). */
const resourcesOfType = (type: string) =>
  allDeclarations.filter((declaration) => resourceType(declaration) === type && !/^resource\s+\w+\s+'[^']+'\s+existing\b/.test(declaration.text));
const allBicepCode = bicepSources.map(({ code }) => code).join('\n');
const mainBicep = bicepSources.find(({ file }) => file === 'bicep/main.bicep')!;

const secretLikeName = /secret|password|passwd|pwd|token|apikey|accesskey|accountkey|masterkey|sas|credential/i;

/** Ways a key or a keyed connection string gets into a template; identity-only access rules them all out. */
const keyBasedAccess = [
  /\blistKeys\s*\(/i,
  /\blistConnectionStrings\s*\(/i,
  /\blistAccountSas\s*\(/i,
  /\blistServiceSas\s*\(/i,
  /\blistSecrets\s*\(/i,
  /AccountKey=/i,
  /DefaultEndpointsProtocol=/i,
  /SharedAccessSignature=/i,
  /primary(Readonly)?MasterKey/i,
  /\bAzureWebJobsStorage\s*:/, // the keyed form; the identity form is AzureWebJobsStorage__<setting>
  /\bconnectionStrings\s*:/,
];
const connectionStringFragment = /AccountKey=|DefaultEndpointsProtocol=|SharedAccessSignature=/i;

/** The key-based access patterns in Bicep source, looking past comments and past strings that hold no connection string. */
function keyBasedAccessIn(source: string): string[] {
  const code = stripComments(source).replace(/'(?:[^'\\]|\\.)*'/g, (literal) => (connectionStringFragment.test(literal) ? literal : "''"));
  return keyBasedAccess.filter((pattern) => pattern.test(code)).map(String);
}

// ---------------------------------------------------------------------------------------------------------
// The toolkit lifecycle.

interface Action {
  uses: string;
  name?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

interface Lifecycle {
  version: string;
  environmentFolderPath: string;
  provision: Action[];
  deploy: Action[];
  publish: Action[];
}

const lifecycle = load(readRepoFile('teamsapp.yml')) as Lifecycle;

/**
 * The actions teamsapp.yml uses, with the arguments the v1.7 schema
 * (https://aka.ms/teams-toolkit/v1.7/yaml.schema.json) requires and allows for each.
 */
const v17Actions: Record<string, { required: string[]; optional: string[]; writes: string[]; withoutNameOrEnv?: true }> = {
  'teamsApp/create': { required: ['name'], optional: [], writes: ['teamsAppId'] },
  'aadApp/create': {
    required: ['name', 'generateClientSecret', 'signInAudience'],
    optional: ['serviceManagementReference'],
    writes: ['clientId', 'objectId', 'tenantId', 'authority', 'authorityHost'],
  },
  'aadApp/update': { required: ['manifestPath', 'outputFilePath'], optional: [], writes: [] },
  'arm/deploy': {
    required: ['subscriptionId', 'resourceGroupName', 'templates'],
    optional: ['bicepCliVersion'],
    writes: [],
  },
  'azureStaticWebApps/getDeploymentToken': {
    required: ['resourceId'],
    optional: [],
    writes: ['deploymentToken'],
    withoutNameOrEnv: true,
  },
  'teamsApp/validateManifest': { required: ['manifestPath'], optional: [], writes: [] },
  'teamsApp/validateAppPackage': { required: ['appPackagePath'], optional: [], writes: [] },
  'teamsApp/update': { required: ['appPackagePath'], optional: [], writes: [] },
  'teamsApp/publishAppPackage': { required: ['appPackagePath'], optional: [], writes: ['publishedAppId'] },
  'cli/runNpmCommand': { required: ['args'], optional: ['workingDirectory'], writes: [] },
  'cli/runNpxCommand': { required: ['args'], optional: ['workingDirectory'], writes: [] },
  'azureFunctions/zipDeploy': {
    required: ['artifactFolder', 'resourceId'],
    optional: ['workingDirectory', 'ignoreFile', 'dryRun', 'outputZipFile'],
    writes: [],
  },
  script: { required: ['run'], optional: ['workingDirectory', 'shell', 'timeout', 'redirectTo'], writes: [] },
};

/** Values the toolkit supplies itself when they are empty: it asks for the first two and generates the last. */
const toolkitSuppliedVariables = ['AZURE_SUBSCRIPTION_ID', 'AZURE_RESOURCE_GROUP_NAME', 'RESOURCE_SUFFIX'];

const placeholdersIn = (text: string): string[] => [...text.matchAll(/\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((match) => match[1] ?? '');

function readEnvFile(relativePath: string): Map<string, string> {
  const entries = readRepoFile(relativePath)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line): [string, string] => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return new Map(entries);
}

const devEnv = readEnvFile('env/.env.dev');
const devUserSample = readEnvFile('env/.env.dev.user.sample');
const mainOutputs = mainBicep.declarations.filter(({ keyword }) => keyword === 'output').map(({ name }) => name);

/** Variables an action mints for itself when they are empty: aadApp/update creates the scope id its manifest names. */
const generatedBy = (action: Action): string[] => (action.uses === 'aadApp/update' ? ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'] : []);

/** Variables an action adds to the environment once it has run. */
function variablesWrittenBy(action: Action): string[] {
  const written = [...Object.values(action.writeToEnvironmentFile ?? {}), ...generatedBy(action)];
  return action.uses === 'arm/deploy' ? [...written, ...mainOutputs] : written;
}

/** Placeholders an action resolves: in its arguments, and in the files it reads and expands. */
function placeholdersUsedBy(action: Action): string[] {
  const filesRead: string[] = [];
  if (action.uses === 'arm/deploy') {
    const templates = action.with?.templates as { parameters?: string }[];
    filesRead.push(...templates.flatMap(({ parameters }) => (parameters ? [parameters] : [])));
  }
  if (action.uses === 'aadApp/update') filesRead.push(String(action.with?.manifestPath));
  return [
    ...placeholdersIn(JSON.stringify(action.with ?? {})),
    ...placeholdersIn(JSON.stringify(action.env ?? {})),
    ...filesRead.flatMap((file) => placeholdersIn(readRepoFile(file))),
  ];
}

const usedBeforeWritten = (actions: Action[], known: Set<string>): string[] =>
  actions.flatMap((action) => {
    const missing = placeholdersUsedBy(action)
      .filter((variable) => !known.has(variable) && !generatedBy(action).includes(variable))
      .map((variable) => `${action.uses}: ${variable}`);
    for (const variable of variablesWrittenBy(action)) known.add(variable);
    return missing;
  });

const initiallyKnown = (): Set<string> =>
  new Set([...toolkitSuppliedVariables, ...[...devEnv].filter(([, value]) => value !== '').map(([key]) => key)]);

const writtenByProvision = lifecycle.provision.flatMap(variablesWrittenBy);
const writtenByPublish = lifecycle.publish.flatMap(variablesWrittenBy);
const indexOfAction = (actions: Action[], uses: string): number => actions.findIndex((action) => action.uses === uses);

const packagePath = './teams-app/appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip';

// ---------------------------------------------------------------------------------------------------------
// The Entra app registration manifest.

interface AadManifest {
  signInAudience: string;
  identifierUris: string[];
  appRoles: { id: string; value: string; allowedMemberTypes: string[]; isEnabled: boolean }[];
  oauth2Permissions: { id: string; value: string }[];
  preAuthorizedApplications: { appId: string; permissionIds: string[] }[];
  replyUrlsWithType: { url: string; type: string }[];
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[];
}

const aadManifest = JSON.parse(readRepoFile('teams-app/aad.manifest.json')) as AadManifest;
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// =========================================================================================================

describe('the Bicep reader the checks rely on', () => {
  it('reports a parameter with its multi-line decorators and tells apart one without a description', () => {
    const [documented, undocumented] = readDeclarations(
      "@description('Capacity (RU/s)')\n@allowed([\n  'a'\n  'b'\n])\nparam mode string = 'a'\n\nparam other int\n",
    );
    expect(documented).toMatchObject({
      keyword: 'param',
      name: 'mode',
      decorators: ["@description('Capacity (RU/s)')", "@allowed([\n  'a'\n  'b'\n])"],
    });
    expect(undocumented).toMatchObject({ keyword: 'param', name: 'other', decorators: [] });
  });

  it('sees a key read or a keyed connection string, but not one only mentioned in a comment or a description', () => {
    expect(keyBasedAccessIn("// never listKeys() here\n@description('not listKeys( either')\nparam note string\n")).toEqual([]);
    expect(keyBasedAccessIn('var key = storage.listKeys().keys[0].value\n')).toEqual([String(keyBasedAccess[0])]);
    expect(keyBasedAccessIn("var cs = 'DefaultEndpointsProtocol=https;AccountName=st;AccountKey=${key}'\n")).not.toEqual([]);
  });
});

describe('Bicep: Cosmos DB matches what the code reads and writes', () => {
  const cosmosContainers = allDeclarations.find(
    ({ file, keyword, name }) => file === 'bicep/modules/cosmos.bicep' && keyword === 'var' && name === 'containers',
  );
  const declared = [
    ...(cosmosContainers?.text ?? '').matchAll(/name:\s*'([^']+)'\s*partitionKeyPath:\s*'([^']+)'\s*uniqueKeyPaths:\s*\[([^\]]*)\]/g),
  ].map(([, id, partitionKeyPath, uniqueKeys]) => ({
    id,
    partitionKeyPath,
    uniqueKeyPaths: [...(uniqueKeys ?? '').matchAll(/'([^']+)'/g)].map((match) => match[1]),
  }));
  const expected = Object.values(containers)
    .filter((container) => !('localOnly' in container && container.localOnly))
    .map((container) => ({
      id: container.id,
      partitionKeyPath: container.partitionKeyPath,
      uniqueKeyPaths: 'uniqueKeyPaths' in container ? [...container.uniqueKeyPaths] : [],
    }));

  it('declares every deployed container of functions/src/store/containers.ts with the same partition key and unique keys', () => {
    expect(declared).toEqual(expected);
  });

  it('keeps the local-only orchestrations container out of Azure, where the durable task hub holds that state', () => {
    const localOnly = Object.values(containers).filter((container) => 'localOnly' in container && container.localOnly);
    expect(localOnly.map(({ id }) => id)).toEqual(['orchestrations']);
    expect(declared.map(({ id }) => id)).not.toContain('orchestrations');
  });

  it('creates each listed container from its entry, so the partition key and unique keys deployed are the listed ones', () => {
    const [containerResource, ...others] = resourcesOfType('Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers');
    expect(others).toEqual([]);
    expect(containerResource?.text).toMatch(/\[for container in containers:/);
    expect(containerResource?.text).toMatch(/paths:\s*\[\s*container\.partitionKeyPath\s*\]/);
    expect(containerResource?.text).toMatch(/uniqueKeys:\s*map\(container\.uniqueKeyPaths,/);
  });

  it('turns keys off on the account and lets the app in only through a data-plane role assignment', () => {
    const [account] = resourcesOfType('Microsoft.DocumentDB/databaseAccounts');
    expect(account?.text).toMatch(/disableLocalAuth:\s*true/);
    expect(account?.text).toMatch(/minimalTlsVersion:\s*'Tls12'/);
    const [assignment] = resourcesOfType('Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments');
    expect(assignment?.file).toBe('bicep/modules/cosmos.bicep');
    expect(allDeclarations.find(({ file, name }) => file === assignment?.file && name === 'dataContributorRoleDefinitionId')?.text).toContain(
      "'00000000-0000-0000-0000-000000000002'",
    );
  });
});

describe('Bicep: identity-only access', () => {
  it.each(bicepSources.map(({ file, code }) => [file, code]))('%s reads no key, SAS or keyed connection string', (_file, code) => {
    expect(keyBasedAccessIn(code)).toEqual([]);
  });

  it('runs the Function App as a user-assigned identity, over HTTPS only, TLS 1.2, without FTP or publishing passwords', () => {
    const [site, ...others] = resourcesOfType('Microsoft.Web/sites');
    expect(others).toEqual([]);
    expect(site?.text).toMatch(/identity:\s*\{\s*type:\s*'UserAssigned'/);
    expect(site?.text).toMatch(/httpsOnly:\s*true/);
    expect(site?.text).toMatch(/minTlsVersion:\s*'1\.2'/);
    expect(site?.text).toMatch(/ftpsState:\s*'Disabled'/);
    expect(site?.text).toMatch(/authentication:\s*\{\s*type:\s*'UserAssignedIdentity'/);
    const publishingPolicies = resourcesOfType('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(publishingPolicies.map(({ text }) => /name:\s*'(\w+)'/.exec(text)?.[1]).sort()).toEqual(['ftp', 'scm']);
    expect(publishingPolicies.every(({ text }) => /allow:\s*false/.test(text))).toBe(true);
  });

  it('hosts the app on Flex Consumption with Node 20 and warm instances for the HTTP group (API and bot)', () => {
    const [plan] = resourcesOfType('Microsoft.Web/serverfarms');
    expect(plan?.text).toMatch(/name:\s*'FC1'/);
    const [site] = resourcesOfType('Microsoft.Web/sites');
    expect(site?.text).toMatch(/runtime:\s*\{\s*name:\s*'node'\s*version:\s*'20'/);
    expect(allBicepCode).toMatch(/name:\s*'http'\s*instanceCount:\s*alwaysReadyHttpInstances/);
  });

  it('disables shared keys, public blob access and plain HTTP on every storage account', () => {
    const accounts = resourcesOfType('Microsoft.Storage/storageAccounts');
    expect(accounts.length).toBeGreaterThan(0);
    for (const { text } of accounts) {
      expect(text).toMatch(/allowSharedKeyAccess:\s*false/);
      expect(text).toMatch(/allowBlobPublicAccess:\s*false/);
      expect(text).toMatch(/minimumTlsVersion:\s*'TLS1_2'/);
      expect(text).toMatch(/supportsHttpsTrafficOnly:\s*true/);
    }
  });

  it('authorizes Key Vault with Azure RBAC, never access policies', () => {
    const [vault] = resourcesOfType('Microsoft.KeyVault/vaults');
    expect(vault?.text).toMatch(/enableRbacAuthorization:\s*true/);
    expect(allBicepCode).not.toMatch(/accessPolicies/);
  });

  it('turns local auth off on Application Insights and Azure OpenAI, and signs the bot in as the identity', () => {
    expect(resourcesOfType('Microsoft.Insights/components')[0]?.text).toMatch(/DisableLocalAuth:\s*true/);
    expect(resourcesOfType('Microsoft.CognitiveServices/accounts')[0]?.text).toMatch(/disableLocalAuth:\s*true/);
    const [bot] = resourcesOfType('Microsoft.BotService/botServices');
    expect(bot?.text).toMatch(/msaAppType:\s*'UserAssignedMSI'/);
    expect(bot?.text).toMatch(/msaAppMSIResourceId:\s*identityResourceId/);
    expect(resourcesOfType('Microsoft.BotService/botServices/channels')[0]?.text).toMatch(/channelName:\s*'MsTeamsChannel'/);
  });

  it.each([
    ['Storage Blob Data Owner', 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'],
    ['Storage Queue Data Contributor', '974c5e8b-45b9-4653-ba55-5f855dd0fb88'],
    ['Storage Table Data Contributor', '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'],
    ['Key Vault Secrets User', '4633458b-17de-408a-b874-0445c86b69e6'],
    ['Cognitive Services OpenAI User', '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'],
    ['Monitoring Metrics Publisher', '3913510d-42f4-4e42-8a64-420c390055eb'],
    ['Durable Task Data Contributor', '0ad04412-c4d5-4796-b79c-f76d14c8d402'],
  ])('grants the app identity %s', (_role, roleId) => {
    expect(allBicepCode).toContain(`'${roleId}'`);
  });

  it('gives the app every setting its code reads, and Entra-only telemetry ingestion', () => {
    const asepSettings = mainBicep.declarations.find(({ keyword, name }) => keyword === 'var' && name === 'asepSettings')?.text ?? '';
    for (const setting of [
      "ASEP_ENV: 'azure'",
      'AZURE_CLIENT_ID:',
      'COSMOS_ENDPOINT:',
      'COSMOS_DATABASE:',
      'KEY_VAULT_URI:',
      'ASEP_ENTRA_AUDIENCE:',
      'BOT_ID:',
      'MicrosoftAppId:',
      "MicrosoftAppType: 'UserAssignedMSI'",
      'MicrosoftAppTenantId:',
    ]) {
      expect(asepSettings).toContain(setting);
    }
    expect(mainBicep.code).toMatch(/AZURE_OPENAI_ENDPOINT:\s*openAi\.outputs\.endpoint/);
    const [appSettings] = resourcesOfType('Microsoft.Web/sites/config');
    expect(appSettings?.text).toMatch(/APPLICATIONINSIGHTS_CONNECTION_STRING:\s*applicationInsights\.properties\.ConnectionString/);
    expect(appSettings?.text).toMatch(/APPLICATIONINSIGHTS_AUTHENTICATION_STRING:\s*'ClientId=\$\{identityClientId\};Authorization=AAD'/);
    expect(appSettings?.text).toMatch(/AzureWebJobsStorage__credential:\s*'managedidentity'/);
  });
});

describe('Bicep: parameters and outputs', () => {
  const parameters = allDeclarations.filter(({ keyword }) => keyword === 'param');
  const outputs = allDeclarations.filter(({ keyword }) => keyword === 'output');

  it('describes every parameter', () => {
    expect(parameters.length).toBeGreaterThan(0);
    const undocumented = parameters.filter(({ decorators }) => !decorators.some((decorator) => decorator.startsWith('@description(')));
    expect(undocumented.map(({ file, name }) => `${file}: ${name}`)).toEqual([]);
  });

  it('marks @secure() every string or object parameter whose name suggests a secret', () => {
    const canHoldSecret = ({ text }: Declaration) => /^param\s+\w+\s+(string|object)\b/.test(text);
    const exposed = parameters.filter(
      (parameter) => canHoldSecret(parameter) && secretLikeName.test(parameter.name) && !parameter.decorators.includes('@secure()'),
    );
    expect(exposed.map(({ file, name }) => `${file}: ${name}`)).toEqual([]);
  });

  it('names the outputs of main.bicep in UPPER_SNAKE, which the toolkit writes back as environment variables', () => {
    expect(mainOutputs.length).toBeGreaterThan(0);
    expect(mainOutputs.filter((name) => !/^[A-Z][A-Z0-9_]*$/.test(name))).toEqual([]);
  });

  it('outputs no secret', () => {
    expect(outputs.filter(({ decorators }) => decorators.includes('@secure()')).map(({ name }) => name)).toEqual([]);
    expect(outputs.filter(({ name }) => secretLikeName.test(name)).map(({ name }) => name)).toEqual([]);
  });

  it('passes main.bicep every required parameter from main.parameters.json and nothing it does not declare', () => {
    const declared = mainBicep.declarations.filter(({ keyword }) => keyword === 'param');
    const required = declared.filter(({ text }) => !text.includes('=')).map(({ name }) => name);
    const supplied = Object.keys((JSON.parse(readRepoFile('bicep/main.parameters.json')) as { parameters: object }).parameters);
    expect(supplied.filter((name) => !declared.some((parameter) => parameter.name === name))).toEqual([]);
    expect(required.filter((name) => !supplied.includes(name))).toEqual([]);
  });
});

describe('teamsapp.yml', () => {
  const lifecycles = { provision: lifecycle.provision, deploy: lifecycle.deploy, publish: lifecycle.publish };

  it('uses schema v1.7 and keeps its environments in env/', () => {
    expect(lifecycle.version).toBe('v1.7');
    expect(lifecycle.environmentFolderPath).toBe('./env');
  });

  it.each(Object.entries(lifecycles))('%s uses only v1.7 actions, each with the arguments the schema requires and allows', (_name, actions) => {
    for (const action of actions) {
      const definition = v17Actions[action.uses];
      expect(definition, action.uses).toBeDefined();
      const given = Object.keys(action.with ?? {});
      expect(
        definition!.required.filter((argument) => !given.includes(argument)),
        action.uses,
      ).toEqual([]);
      expect(
        given.filter((argument) => ![...definition!.required, ...definition!.optional].includes(argument)),
        action.uses,
      ).toEqual([]);
      expect(
        Object.keys(action.writeToEnvironmentFile ?? {}).filter((key) => !definition!.writes.includes(key)),
        action.uses,
      ).toEqual([]);
      const actionKeys = ['uses', 'with', 'writeToEnvironmentFile', ...(definition!.withoutNameOrEnv ? [] : ['name', 'env'])];
      expect(
        Object.keys(action).filter((key) => !actionKeys.includes(key)),
        action.uses,
      ).toEqual([]);
    }
  });

  it('provision knows every placeholder by the time an action uses it, parameters file and Entra manifest included', () => {
    expect(usedBeforeWritten(lifecycle.provision, initiallyKnown())).toEqual([]);
  });

  it('deploy and publish use only values provision (or publish itself) writes', () => {
    const known = () => new Set([...initiallyKnown(), ...writtenByProvision]);
    expect(usedBeforeWritten(lifecycle.deploy, known())).toEqual([]);
    expect(usedBeforeWritten(lifecycle.publish, known())).toEqual([]);
  });

  it.skipIf(!existsSync(path.join(repoRoot, 'teams-app/appPackage/manifest.json')))(
    'provision has written every placeholder of the Teams app manifest before packaging it',
    () => {
      const known = new Set(initiallyKnown());
      for (const action of lifecycle.provision.slice(0, indexOfAction(lifecycle.provision, 'cli/runNpmCommand'))) {
        for (const variable of variablesWrittenBy(action)) known.add(variable);
      }
      const manifestPlaceholders = placeholdersIn(readRepoFile('teams-app/appPackage/manifest.json'));
      expect(manifestPlaceholders.filter((variable) => !known.has(variable))).toEqual([]);
    },
  );

  it('creates the Entra app before the Azure deployment that needs its client id, and configures it after the deployment that yields its domains', () => {
    const steps = lifecycle.provision;
    expect(indexOfAction(steps, 'aadApp/create')).toBeLessThan(indexOfAction(steps, 'arm/deploy'));
    expect(indexOfAction(steps, 'arm/deploy')).toBeLessThan(indexOfAction(steps, 'aadApp/update'));
    const arm = steps[indexOfAction(steps, 'arm/deploy')];
    expect(arm?.with?.templates).toEqual([
      {
        path: './bicep/main.bicep',
        parameters: './bicep/main.parameters.json',
        deploymentName: 'asep-${{TEAMSFX_ENV}}',
      },
    ]);
  });

  it('builds the app package with `npm run package`, then validates, updates and publishes that same zip', () => {
    for (const actions of [lifecycle.provision, lifecycle.publish]) {
      const build = actions.findIndex((action) => action.uses === 'cli/runNpmCommand' && action.with?.args === 'run package');
      expect(build).toBeGreaterThanOrEqual(0);
      expect(build).toBeLessThan(indexOfAction(actions, 'teamsApp/validateAppPackage'));
      expect(indexOfAction(actions, 'teamsApp/validateAppPackage')).toBeLessThan(indexOfAction(actions, 'teamsApp/update'));
    }
    const packageUsers = [...lifecycle.provision, ...lifecycle.publish].filter(({ with: args }) => args && 'appPackagePath' in args);
    expect(new Set(packageUsers.map(({ with: args }) => args?.appPackagePath))).toEqual(new Set([packagePath]));
    expect(lifecycle.publish.at(-1)?.uses).toBe('teamsApp/publishAppPackage');
  });

  it('deploys the Functions bundle and both static frontends', () => {
    const zip = lifecycle.deploy.find(({ uses }) => uses === 'azureFunctions/zipDeploy');
    expect(zip?.with).toMatchObject({
      artifactFolder: './functions/dist',
      resourceId: '${{FUNCTION_APP_RESOURCE_ID}}',
      dryRun: true,
    });
    const deployScript = lifecycle.deploy.find(({ uses }) => uses === 'script');
    expect(String(deployScript?.with?.run)).toContain(`--src ${String(zip?.with?.outputZipFile)}`);
    const uploads = lifecycle.deploy
      .filter(({ uses }) => uses === 'cli/runNpxCommand')
      .map(({ with: args, env }) => ({ args: String(args?.args), token: env?.SWA_CLI_DEPLOYMENT_TOKEN }));
    expect(uploads).toEqual([
      { args: expect.stringContaining('deploy ./teams-app/dist'), token: '${{SECRET_TAB_SWA_DEPLOYMENT_TOKEN}}' },
      { args: expect.stringContaining('deploy ./outlook-addin/dist'), token: '${{SECRET_ADDIN_SWA_DEPLOYMENT_TOKEN}}' },
    ]);
  });

  it('creates no client secret and no bot password', () => {
    const allActions = Object.values(lifecycles).flat();
    expect(allActions.filter(({ uses }) => uses === 'botAadApp/create')).toEqual([]);
    expect(allActions.filter(({ uses, with: args }) => uses === 'aadApp/create' && args?.generateClientSecret !== false)).toEqual([]);
  });
});

describe('env/: what is committed', () => {
  it('commits no secret and leaves empty every value the toolkit writes back', () => {
    expect([...devEnv.keys()].filter((key) => key.startsWith('SECRET_'))).toEqual([]);
    expect([...devEnv].filter(([, value]) => value !== '').map(([key]) => key)).toEqual(['TEAMSFX_ENV', 'APP_NAME_SUFFIX']);
  });

  it('lists every value provision and publish write: plain ones in .env.dev, secrets in the .env.dev.user sample', () => {
    const written = [...writtenByProvision, ...writtenByPublish];
    expect(written.filter((key) => !key.startsWith('SECRET_') && !devEnv.has(key))).toEqual([]);
    expect(written.filter((key) => key.startsWith('SECRET_'))).toEqual([...devUserSample.keys()]);
    expect([...devUserSample.values()].every((value) => value === '')).toBe(true);
  });
});

describe('teams-app/aad.manifest.json', () => {
  it('declares exactly the ASEP app roles, assignable to users and groups, with stable distinct ids', () => {
    expect(aadManifest.appRoles.map(({ value }) => value)).toEqual([...roles]);
    expect(
      aadManifest.appRoles.every(({ id, allowedMemberTypes, isEnabled }) => guid.test(id) && allowedMemberTypes.includes('User') && isEnabled),
    ).toBe(true);
    expect(new Set(aadManifest.appRoles.map(({ id }) => id)).size).toBe(aadManifest.appRoles.length);
  });

  it('exposes the API under the audience the Function App validates (ASEP_ENTRA_AUDIENCE)', () => {
    expect(aadManifest.identifierUris).toEqual(['api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}']);
    const audience = mainBicep.declarations.find(({ keyword, name }) => keyword === 'var' && name === 'entraAudience')?.text;
    expect(audience).toBe("var entraAudience = 'api://${tabSite.outputs.domain}/${entraAppClientId}'");
    expect(aadManifest.signInAudience).toBe('AzureADMyOrg');
  });

  it('lets Teams and Outlook get tokens silently: access_as_user pre-authorized for their clients, nested app auth brokers registered', () => {
    const [scope] = aadManifest.oauth2Permissions;
    expect(scope?.value).toBe('access_as_user');
    const preAuthorized = new Map(aadManifest.preAuthorizedApplications.map(({ appId, permissionIds }) => [appId, permissionIds]));
    for (const client of [
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
      'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Outlook desktop, Microsoft 365 mobile
      'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
      '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
    ]) {
      expect(preAuthorized.get(client), client).toEqual([scope?.id]);
    }
    const spaRedirects = aadManifest.replyUrlsWithType.filter(({ type }) => type === 'Spa').map(({ url }) => url);
    expect(spaRedirects).toEqual(expect.arrayContaining(['brk-multihub://${{ADDIN_DOMAIN}}', 'brk-multihub://${{TAB_DOMAIN}}']));
  });

  it('requests no tenant-wide application permission: mail and calendar access is granted per mailbox in Exchange', () => {
    const applicationPermissions = aadManifest.requiredResourceAccess
      .flatMap(({ resourceAccess }) => resourceAccess)
      .filter(({ type }) => type === 'Role');
    expect(applicationPermissions).toEqual([]);
  });
});
