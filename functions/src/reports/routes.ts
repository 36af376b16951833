import { registerApi } from '../http/api';
import { precisionReport, summaryReport } from './summary';

registerApi('reportsSummary', { route: 'v1/reports/summary', methods: ['GET'], permission: 'reports.read' }, async ({ services, principal }) => ({
  body: await summaryReport(services, principal.tenantId),
}));

registerApi('reportsPrecision', { route: 'v1/reports/precision', methods: ['GET'], permission: 'reports.read' }, async ({ services, principal }) => ({
  body: await precisionReport(services, principal.tenantId),
}));
