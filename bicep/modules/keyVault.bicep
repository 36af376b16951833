// Key Vault for per-tenant secrets (HubSpot tokens, a tenant's own OpenAI key). Access is Azure RBAC only:
// no access policies, and the app identity gets a data role on this vault alone.

@description('Name of the key vault (3 to 24 characters, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region of the vault.')
param location string

@description('Tags applied to the vault.')
param tags object

@description('Principal (object) id of the app identity, granted a secrets data role on this vault.')
param appPrincipalId string

@description('True when the app stores secrets itself (a tenant admin connecting HubSpot or bringing an OpenAI key from the console): grants Key Vault Secrets Officer. False grants Key Vault Secrets User, read-only, and an operator stores the secrets.')
param appWritesSecrets bool

var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var appSecretsRoleId = appWritesSecrets ? secretsOfficerRoleId : secretsUserRoleId

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource appUsesSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, appSecretsRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', appSecretsRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output uri string = vault.properties.vaultUri
