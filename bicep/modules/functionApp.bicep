// The ASEP Function App on Flex Consumption (Node 20, @azure/functions v4): the /api/v1 HTTP API, the bot
// endpoint /api/messages, the Graph and HubSpot webhooks, the subscription-renewal timer and the durable
// orchestrations. It runs as the user-assigned identity and uses it for every dependency, the host storage
// and the deployment package included: no keys, no connection strings with secrets.

@description('Name of the Function App.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Azure region of the plan and the app.')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityResourceId string

@description('Client id of that identity; the host must name it because a user-assigned identity is never picked by default.')
param identityClientId string

@description('Name of the host storage account (see functionStorage.bicep).')
param storageAccountName string

@description('Blob container in the host storage account that holds the deployment package.')
param deploymentContainerName string

@description('Name of the Application Insights component the host reports to.')
param applicationInsightsName string

@description('ASEP settings the code reads (COSMOS_ENDPOINT, KEY_VAULT_URI, BOT_ID and the rest), merged over the host settings.')
param appSettings object

@description('HTTPS origins allowed to call the API from a browser: the Teams tab and the Outlook taskpane.')
param allowedOrigins array

@description('Most instances the app may scale out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Instances kept warm for the HTTP group, which holds every HTTP-triggered function: the API and the bot endpoint.')
@minValue(0)
param alwaysReadyHttpInstances int

@description('Instances kept warm for the durable group (orchestrators, activities, entities); 0 lets it scale from zero.')
@minValue(0)
param alwaysReadyDurableInstances int

// Flex Consumption scales HTTP triggers together as the "http" group and durable triggers as the
// "durable" group; always-ready instances are set per group.
var alwaysReadyHttp = alwaysReadyHttpInstances > 0 ? [
  {
    name: 'http'
    instanceCount: alwaysReadyHttpInstances
  }
] : []
var alwaysReadyDurable = alwaysReadyDurableInstances > 0 ? [
  {
    name: 'durable'
    instanceCount: alwaysReadyDurableInstances
  }
] : []

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityResourceId
          }
        }
      }
      scaleAndConcurrency: {
        alwaysReady: concat(alwaysReadyHttp, alwaysReadyDurable)
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '20'
      }
    }
  }
}

// Deployments go through Microsoft Entra (az CLI, OneDeploy); publishing passwords stay off.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettings, {
    // Identity-based host storage: the host and the Azure Storage durable provider resolve the three
    // service endpoints and authenticate as the user-assigned identity.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
    AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
    AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
    // The connection string only locates the ingestion endpoint (not a secret): local auth is disabled on
    // the component, so telemetry is accepted only with the identity named in the authentication string.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    // The app's own public address, for Graph subscription notification URLs and HubSpot webhook targets.
    ASEP_API_ENDPOINT: 'https://${functionApp.properties.defaultHostName}'
  })
}

output name string = functionApp.name
output resourceId string = functionApp.id
output defaultHostName string = functionApp.properties.defaultHostName
