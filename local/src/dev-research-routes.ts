import { z } from 'zod';
import { sha256 } from '@asep/shared/audit/chain';
import { internetMessageIdSchema, tenantIdSchema } from '@asep/shared/ids/ids';
import { registerOpen, readJson } from '@asep/functions/http/api';
import { notFound, validationProblem } from '@asep/functions/http/problem';
import { ensureTenant } from '@asep/functions/tenants/directory';
import { asLocal } from './local-services';

/**
 * Local-only routes for research-backed drafting: publish a company site on the sandbox web, give the internal CRM an
 * account's properties and notes, list the sandbox Drafts folder, and send a saved draft as the rep would in Outlook.
 */
if (process.env.ASEP_ENV !== 'local') throw new Error('The local dev routes were imported outside the local suite.');

const domainSchema = z.string().trim().toLowerCase().min(3).max(253);

registerOpen('devWebsitePublish', { route: 'dev/websites', methods: ['PUT'] }, async (request, services) => {
  const site = await readJson(
    request,
    z.strictObject({
      domain: domainSchema,
      pages: z.record(z.string().startsWith('/'), z.string().max(2_000_000)),
      robots: z.string().max(100_000).optional(),
    }),
    5_000_000,
  );
  asLocal(services).sandboxWebsite.publish(site.domain, { pages: site.pages, robots: site.robots });
  return { body: { domain: site.domain, pages: Object.keys(site.pages) } };
});

registerOpen('devCrmAccount', { route: 'dev/crm/accounts', methods: ['POST'] }, async (request, services) => {
  const account = await readJson(
    request,
    z.strictObject({
      tenantId: tenantIdSchema,
      domain: domainSchema,
      properties: z.record(z.string(), z.string().max(2_000)).default({}),
      notes: z
        .array(z.strictObject({ contactEmail: z.email(), body: z.string().min(1).max(5_000), at: z.iso.datetime().optional() }))
        .max(50)
        .default([]),
    }),
  );
  await ensureTenant(services, account.tenantId);
  const crm = asLocal(services).internalCrm;
  await crm.describeAccount(account.tenantId, account.domain, account.properties);
  for (const note of account.notes) {
    await crm.logEngagement(account.tenantId, {
      engagementId: `seeded-note:${sha256(`${note.contactEmail}|${note.body}`)}`,
      type: 'note',
      contactEmail: note.contactEmail.toLowerCase(),
      subject: 'Note',
      body: note.body,
      at: note.at ?? services.clock.now().toISOString(),
    });
  }
  return { body: { domain: account.domain, notes: account.notes.length } };
});

registerOpen('devMailboxDrafts', { route: 'dev/mailbox/drafts', methods: ['GET'] }, async (request, services) => {
  const parsed = z.object({ tenantId: tenantIdSchema }).safeParse({ tenantId: request.query.get('tenantId') ?? undefined });
  if (!parsed.success) throw validationProblem(parsed.error, 'query string');
  const { tenantId } = parsed.data;
  const drafts = await asLocal(services).sandbox.drafts(tenantId, request.query.get('mailbox') ?? undefined);
  return {
    body: drafts.map(({ id, internetMessageId, mailbox, to, subject, body, createdAt }) => ({
      draftId: id,
      internetMessageId,
      mailbox,
      to,
      subject,
      body,
      createdAt,
    })),
  };
});

/** The rep sends a draft ASEP saved in their Drafts folder: it moves to Sent Items, where the sequence finds it. */
registerOpen('devMailboxSendDraft', { route: 'dev/mailbox/drafts/send', methods: ['POST'] }, async (request, services) => {
  const { tenantId, internetMessageId } = await readJson(
    request,
    z.strictObject({ tenantId: tenantIdSchema, internetMessageId: internetMessageIdSchema }),
  );
  const sandbox = asLocal(services).sandbox;
  const draft = await sandbox.findByInternetMessageId(tenantId, internetMessageId);
  if (!draft || draft.folder !== 'drafts') throw notFound(`Draft ${internetMessageId}`);
  const sent = await sandbox.sendAsRep(tenantId, draft.id);
  return { body: { internetMessageId, folder: sent?.folder, sentAt: sent?.sentAt } };
});
