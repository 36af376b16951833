// Optional Azure OpenAI account and one model deployment, used when a tenant does not bring its own key.
// Key authentication is disabled; the app calls it with its identity (Cognitive Services OpenAI User).

@description('Name of the Azure OpenAI account; also its custom subdomain, which Microsoft Entra authentication requires.')
param name string

@description('Azure region of the account; pick one where the model and deployment type are offered.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Name of the model deployment the app calls.')
param deploymentName string

@description('Model name, for example gpt-4.1-mini.')
param modelName string

@description('Model version, for example 2025-04-14.')
param modelVersion string

@description('Deployment capacity in thousands of tokens per minute.')
@minValue(1)
param capacity int

@description('Principal (object) id of the app identity, granted Cognitive Services OpenAI User.')
param appPrincipalId string

var openAiUserRoleId = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource modelDeployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: 'GlobalStandard'
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
  }
}

resource appCallsModels 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, appPrincipalId, openAiUserRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', openAiUserRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = account.properties.endpoint
output deploymentName string = modelDeployment.name
