/**
 * The Azure Functions entry point (`main` of the deployed package). It says how services are built in Azure
 * and registers every function. The order does not matter: functions ask for their services per invocation.
 */
import { createAzureServices } from './composition/azure-services';
import { getServices, provideServices } from './composition/services';
import { warmUp } from './composition/warm-up';
import './functions';

provideServices(createAzureServices);
// Compose at start-up rather than on the first request, so /api/healthz turns ready without traffic and a
// missing setting shows in the log straight away.
getServices().catch((error: unknown) => console.error(`ASEP could not start: ${(error as Error).message}`));
void warmUp();
