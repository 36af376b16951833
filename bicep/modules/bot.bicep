// The Azure Bot registration with the Microsoft Teams channel. Its app type is UserAssignedMSI: the bot's
// id is the app identity's client id and there is no bot password anywhere. An Azure Bot's app type and
// app id cannot change after creation, which is why the identity is a user-assigned one.

@description('Name (handle) of the Azure Bot, globally unique.')
param name string

@description('Display name of the bot in the Azure portal.')
param displayName string

@description('HTTPS messaging endpoint of the bot: the Function App /api/messages route.')
param messagingEndpoint string

@description('Client id of the user-assigned identity the bot signs in as; also the botId in the Teams manifest.')
param identityClientId string

@description('Resource id of that identity.')
param identityResourceId string

@description('F0 is free and covers the Teams channel (a standard channel); S1 only matters for premium channels.')
@allowed([
  'F0'
  'S1'
])
param sku string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: messagingEndpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenant().tenantId
    // Only Microsoft Entra and managed-identity authentication; ASEP uses no channel secrets (Direct Line).
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
      deploymentEnvironment: 'CommercialDeployment'
    }
  }
}
