// Durable Task Scheduler: the managed alternative to the Azure Storage durable provider. It accepts only
// managed-identity callers, so the app identity gets Durable Task Data Contributor on the scheduler.

@description('Name of the Durable Task Scheduler.')
param name string

@description('Name of the task hub the app runs its orchestrations in.')
param taskHubName string

@description('Azure region of the scheduler.')
param location string

@description('Tags applied to the scheduler.')
param tags object

@description('Principal (object) id of the app identity, granted Durable Task Data Contributor.')
param appPrincipalId string

var durableTaskDataContributorRoleId = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'Consumption'
    }
    // An empty allow list denies every caller. Flex Consumption without a virtual network has no fixed
    // outbound addresses, so access is governed by the role assignment below.
    ipAllowlist: [
      '0.0.0.0/0'
    ]
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

resource appRunsOrchestrations 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(scheduler.id, appPrincipalId, durableTaskDataContributorRoleId)
  scope: scheduler
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', durableTaskDataContributorRoleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
