import type { FastifyInstance } from 'fastify';
import { exportReportCsv, isReportTable } from '../../app/export-report-csv.js';
import { getBusinessReport } from '../../app/get-business-report.js';
import { adminReportsPage } from '../../web/pages/admin-reports-page.js';
import { attempt } from './admin-forms.js';
import { queryText } from './form.js';
import type { WebOptions } from './web-context.js';
import { sendError, sendPage } from './web-reply.js';

/** The business report (issue 13): the page for a period, and each of its tables as CSV. */
export function registerAdminReportRoutes(admin: FastifyInstance, options: WebOptions): void {
  const { ctx } = options;

  admin.get('/admin/reports', async (request, reply) => {
    const period = { fromDay: queryText(request, 'from'), toDay: queryText(request, 'to') };
    const found = await attempt(request, () => getBusinessReport(ctx, period));
    if (found.ok) return sendPage(reply, adminReportsPage(request.web.page, found.value));
    // A period that is not one: this month instead, with the reason above it.
    const fallback = await getBusinessReport(ctx, {});
    return sendPage(reply, adminReportsPage(request.web.page, fallback, found.flash), 400);
  });

  admin.get('/admin/reports.csv', async (request, reply) => {
    const table = queryText(request, 'table');
    if (!isReportTable(table)) return sendError(reply, request, 404);
    const found = await attempt(request, () =>
      exportReportCsv(ctx, { table, fromDay: queryText(request, 'from'), toDay: queryText(request, 'to') }),
    );
    if (!found.ok) return sendError(reply, request, 400);
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="${found.value.filename}"`)
      .send(found.value.csv);
  });
}
