// Cosmos DB for NoSQL: the account, the `asep` database and its containers. Keys are disabled; the app
// reaches data only through its managed identity with the built-in Data Contributor role on the database.

@description('Name of the Cosmos DB account.')
param accountName string

@description('Azure region of the account.')
param location string

@description('Tags applied to the account.')
param tags object

@description('Name of the database the app uses.')
param databaseName string

@description('Serverless bills per request and suits development and small tenants; Autoscale shares provisioned throughput across the containers for steady production load.')
@allowed([
  'Serverless'
  'Autoscale'
])
param throughputMode string

@description('Upper bound of the shared autoscale throughput in RU/s (used only with Autoscale).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Principal (object) id of the app identity, granted Cosmos DB Built-in Data Contributor on the database.')
param appPrincipalId string

// Kept equal to functions/src/store/containers.ts by bicep/infrastructure.test.ts. Every container is
// partitioned on the synthetic `/pk`, which always starts with the Entra tenant id. `orchestrations` is
// absent on purpose: it only serves the local durable host, and Azure keeps orchestration state in the
// durable task hub.
var containers = [
  {
    name: 'tenants'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: []
  }
  {
    name: 'prospects'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: []
  }
  {
    name: 'campaigns'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: []
  }
  {
    name: 'approvals'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: []
  }
  {
    name: 'messages'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: []
  }
  {
    name: 'crm'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: []
  }
  {
    name: 'audit'
    partitionKeyPath: '/pk'
    uniqueKeyPaths: [
      '/idempotencyKey'
    ]
  }
]

// Data-plane role, not an Azure RBAC role: it lives under the account's sqlRoleDefinitions.
var dataContributorRoleDefinitionId = '00000000-0000-0000-0000-000000000002'

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: throughputMode == 'Serverless' ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: throughputMode == 'Autoscale' ? {
      autoscaleSettings: {
        maxThroughput: autoscaleMaxThroughput
      }
    } : {}
  }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for container in containers: {
  parent: database
  name: container.name
  properties: {
    resource: {
      id: container.name
      partitionKey: {
        paths: [
          container.partitionKeyPath
        ]
        kind: 'Hash'
        version: 2
      }
      uniqueKeyPolicy: {
        uniqueKeys: map(container.uniqueKeyPaths, path => {
          paths: [
            path
          ]
        })
      }
    }
  }
}]

resource appReadsAndWritesData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: account
  name: guid(database.id, appPrincipalId, dataContributorRoleDefinitionId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleDefinitionId}'
    principalId: appPrincipalId
    scope: '${account.id}/dbs/${databaseName}'
  }
}

output endpoint string = account.properties.documentEndpoint
