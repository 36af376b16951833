// A Static Web App serving one frontend's Vite build over HTTPS (the Teams console tab, or the Outlook
// taskpane). Static Web Apps redirect HTTP to HTTPS and need no storage account, so there is no storage key
// to enable a static website with.

@description('Name of the Static Web App.')
param name string

@description('Region of the Static Web App resource (content is served from a global edge).')
@allowed([
  'centralus'
  'eastasia'
  'eastus2'
  'westeurope'
  'westus2'
])
param location string

@description('Tags applied to the Static Web App.')
param tags object

@description('Free for development; Standard adds an SLA and more custom domains.')
@allowed([
  'Free'
  'Standard'
])
param sku string

resource site 'Microsoft.Web/staticSites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
  }
  properties: {
    stagingEnvironmentPolicy: 'Disabled'
  }
}

output resourceId string = site.id
output domain string = site.properties.defaultHostname
