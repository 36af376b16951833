// The one identity the app runs as. It signs the bot in to the Bot Framework (the bot's app type is
// UserAssignedMSI), reaches Cosmos DB, Key Vault, Storage and Azure OpenAI through role assignments, and is
// the service principal an Exchange admin scopes to the sales mailboxes for Microsoft Graph.
// A user-assigned identity outlives the Function App, so the bot id in the Teams manifest never changes.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output resourceId string = identity.id
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
