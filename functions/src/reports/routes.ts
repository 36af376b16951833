import { app } from '@azure/functions';
import { periodOf, roiCsv, roiPeriodQuerySchema } from '@asep/shared/reports/roi';
import { getServices } from '../composition/services';
import { registerApi } from '../http/api';
import { loadRoiReport } from './roi';
import { postWeeklyDigests, weeklyDigestSchedule } from './weekly-digest';
import { precisionReport, summaryReport } from './summary';

registerApi('reportsSummary', { route: 'v1/reports/summary', methods: ['GET'], permission: 'reports.read' }, async ({ services, principal }) => ({
  body: await summaryReport(services, principal.tenantId),
}));

registerApi('reportsPrecision', { route: 'v1/reports/precision', methods: ['GET'], permission: 'reports.read' }, async ({ services, principal }) => ({
  body: await precisionReport(services, principal.tenantId),
}));

registerApi(
  'reportsRoi',
  { route: 'v1/reports/roi', methods: ['GET'], permission: 'reports.read', query: roiPeriodQuerySchema },
  async ({ services, principal, query }) => {
    const report = await loadRoiReport(services, principal.tenantId, periodOf(query, services.clock.now()));
    if (query.format === 'json') return { body: report };
    return {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="asep-roi-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}.csv"`,
      },
      body: new TextEncoder().encode(roiCsv(report)),
    };
  },
);

/** The managers' weekly digest card, once per tenant per week; the local suite runs the same off its clock. */
app.timer('weeklyDigestTimer', {
  schedule: weeklyDigestSchedule,
  handler: async (_timer, invocation) => {
    const posted = await postWeeklyDigests(await getServices());
    if (posted.length) invocation.log(`reports: weekly digest posted for ${posted.length} tenant(s)`);
  },
});
