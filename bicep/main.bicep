// ASEP on Azure, deployed to one resource group by teamsapp.yml (arm/deploy). One module per deployable;
// every dependency is reached with the app's user-assigned managed identity, so nothing here reads a key,
// builds a connection string with a secret, or outputs one. See docs/deploy.md.

targetScope = 'resourceGroup'

@description('Environment name (TEAMSFX_ENV); tags the resources and names the bot.')
@minLength(1)
param environmentName string

@description('Seed for the resource token, from the toolkit (asep + RESOURCE_SUFFIX); change it to deploy a second copy into the same resource group.')
@minLength(1)
param resourceBaseName string

@description('Azure region of the regional resources; defaults to the resource group region.')
param location string = resourceGroup().location

@description('Client id of the ASEP Microsoft Entra app registration (AAD_APP_CLIENT_ID), whose exposed API the frontends call.')
@minLength(36)
@maxLength(36)
param entraAppClientId string

@description('Region of the two Static Web Apps (only a few regions host the resource; content is served globally).')
@allowed([
  'centralus'
  'eastasia'
  'eastus2'
  'westeurope'
  'westus2'
])
param staticWebAppLocation string = 'westeurope'

@description('Static Web Apps plan for the tab and the taskpane: Free for development, Standard for production (SLA).')
@allowed([
  'Free'
  'Standard'
])
param staticWebAppSku string = 'Free'

@description('Most instances the Function App may scale out to.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Memory of each Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Always-ready instances for the HTTP group (the /api/v1 API and the bot endpoint), so Teams and the taskpane never wait for a cold start.')
@minValue(0)
param alwaysReadyHttpInstances int = 1

@description('Always-ready instances for the durable group (sequences, reply triage); 0 scales it from zero.')
@minValue(0)
param alwaysReadyDurableInstances int = 0

@description('Durable Functions backend: AzureStorage keeps the task hub in the host storage account; DurableTaskScheduler uses the managed scheduler (host.json must then use the azureManaged storage provider).')
@allowed([
  'AzureStorage'
  'DurableTaskScheduler'
])
param durableBackend string = 'AzureStorage'

@description('Cosmos DB capacity: Serverless for development and small tenants, Autoscale for steady production load.')
@allowed([
  'Serverless'
  'Autoscale'
])
param cosmosThroughputMode string = 'Serverless'

@description('Upper bound in RU/s of the throughput the containers share (Autoscale only).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 4000

@description('Let the app write secrets to Key Vault (Secrets Officer) so tenant admins can connect HubSpot or bring their own OpenAI key from the console; false keeps it read-only (Secrets User).')
param appWritesSecrets bool = false

@description('Deploy an Azure OpenAI account and model for tenants that do not bring their own key.')
param deployOpenAi bool = false

@description('Region of the Azure OpenAI account; must offer the model as a GlobalStandard deployment.')
param openAiLocation string = location

@description('Azure OpenAI model to deploy.')
param openAiModelName string = 'gpt-4.1-mini'

@description('Version of that model.')
param openAiModelVersion string = '2025-04-14'

@description('Capacity of the model deployment in thousands of tokens per minute.')
@minValue(1)
param openAiCapacity int = 50

@description('Azure Bot pricing tier; F0 covers the Teams channel.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, resourceBaseName))
var tags = {
  'asep-environment': environmentName
}

var cosmosDatabaseName = 'asep'
var taskHubName = 'asep'
var functionAppName = '${abbrs.webSitesFunctions}asep-${resourceToken}'
var deploymentContainerName = 'app-package'
var useDurableTaskScheduler = durableBackend == 'DurableTaskScheduler'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}asep-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
    location: location
    tags: tags
    databaseName: cosmosDatabaseName
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    appPrincipalId: identity.outputs.principalId
  }
}

module keyVault 'modules/keyVault.bicep' = {
  name: 'keyVault'
  params: {
    name: '${abbrs.keyVaultVaults}${resourceToken}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    appWritesSecrets: appWritesSecrets
  }
}

module functionStorage 'modules/functionStorage.bicep' = {
  name: 'functionStorage'
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    appPrincipalId: identity.outputs.principalId
  }
}

module durableTaskScheduler 'modules/durableTaskScheduler.bicep' = if (useDurableTaskScheduler) {
  name: 'durableTaskScheduler'
  params: {
    name: '${abbrs.durableTaskSchedulers}${resourceToken}'
    taskHubName: taskHubName
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
  }
}

module openAi 'modules/openAi.bicep' = if (deployOpenAi) {
  name: 'openAi'
  params: {
    name: '${abbrs.cognitiveServicesAccounts}${resourceToken}'
    location: openAiLocation
    tags: tags
    deploymentName: openAiModelName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    capacity: openAiCapacity
    appPrincipalId: identity.outputs.principalId
  }
}

module tabSite 'modules/staticWebApp.bicep' = {
  name: 'tabSite'
  params: {
    name: '${abbrs.webStaticSites}tab-${resourceToken}'
    location: staticWebAppLocation
    tags: tags
    sku: staticWebAppSku
  }
}

module addinSite 'modules/staticWebApp.bicep' = {
  name: 'addinSite'
  params: {
    name: '${abbrs.webStaticSites}addin-${resourceToken}'
    location: staticWebAppLocation
    tags: tags
    sku: staticWebAppSku
  }
}

// The API's app id URI: Teams tab SSO requires api://<tab domain>/<client id>, and the taskpane asks for the
// same scope through nested app authentication. teams-app/aad.manifest.json declares the same URI.
var entraAudience = 'api://${tabSite.outputs.domain}/${entraAppClientId}'

// The scheduler's "connection string" names an endpoint and an identity; it carries no key.
var durableSchedulerSettings = useDurableTaskScheduler ? {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${durableTaskScheduler.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}'
} : {}

var openAiSettings = deployOpenAi ? {
  AZURE_OPENAI_ENDPOINT: openAi.outputs.endpoint
  AZURE_OPENAI_DEPLOYMENT: openAi.outputs.deploymentName
} : {}

// Everything the code reads besides the host's own settings (see functionApp.bicep).
var asepSettings = union(durableSchedulerSettings, openAiSettings, {
  ASEP_ENV: 'azure'
  AZURE_CLIENT_ID: identity.outputs.clientId
  COSMOS_ENDPOINT: cosmos.outputs.endpoint
  COSMOS_DATABASE: cosmosDatabaseName
  KEY_VAULT_URI: keyVault.outputs.uri
  ASEP_ENTRA_AUDIENCE: entraAudience
  // v2 access tokens carry the client id, not the app id URI, in `aud`; the token validator needs both.
  ASEP_ENTRA_CLIENT_ID: entraAppClientId
  ASEP_ENTRA_TENANT_ID: tenant().tenantId
  BOT_ID: identity.outputs.clientId
  MicrosoftAppId: identity.outputs.clientId
  MicrosoftAppType: 'UserAssignedMSI'
  MicrosoftAppTenantId: tenant().tenantId
  TASKHUB_NAME: taskHubName
})

module functionApp 'modules/functionApp.bicep' = {
  name: 'functionApp'
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityResourceId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageAccountName: functionStorage.outputs.name
    deploymentContainerName: deploymentContainerName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    appSettings: asepSettings
    allowedOrigins: [
      'https://${tabSite.outputs.domain}'
      'https://${addinSite.outputs.domain}'
    ]
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    alwaysReadyHttpInstances: alwaysReadyHttpInstances
    alwaysReadyDurableInstances: alwaysReadyDurableInstances
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${abbrs.botServicesBot}${resourceToken}'
    displayName: 'ASEP (${environmentName})'
    messagingEndpoint: 'https://${functionApp.outputs.defaultHostName}/api/messages'
    identityClientId: identity.outputs.clientId
    identityResourceId: identity.outputs.resourceId
    sku: botSku
  }
}

// Read by teamsapp.yml, the Teams manifest placeholders and the admin guide; none of them is a secret.
output FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_RESOURCE_ID string = functionApp.outputs.resourceId
output API_DOMAIN string = functionApp.outputs.defaultHostName
output API_ENDPOINT string = 'https://${functionApp.outputs.defaultHostName}'
output BOT_ID string = identity.outputs.clientId
output APP_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APP_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output TAB_DOMAIN string = tabSite.outputs.domain
output TAB_ENDPOINT string = 'https://${tabSite.outputs.domain}'
output TAB_STATIC_WEB_APP_RESOURCE_ID string = tabSite.outputs.resourceId
output ADDIN_DOMAIN string = addinSite.outputs.domain
output ADDIN_ENDPOINT string = 'https://${addinSite.outputs.domain}'
output ADDIN_STATIC_WEB_APP_RESOURCE_ID string = addinSite.outputs.resourceId
output ASEP_ENTRA_AUDIENCE string = entraAudience
output COSMOS_ENDPOINT string = cosmos.outputs.endpoint
output COSMOS_DATABASE string = cosmosDatabaseName
output KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_OPENAI_ENDPOINT string = deployOpenAi ? openAi.outputs.endpoint : ''
