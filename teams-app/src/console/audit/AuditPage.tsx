import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState } from 'react';
import type { AuditEvent, ChainVerification } from '@asep/shared/audit/event';
import { asApiProblem, type ApiProblem } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { formatInstant } from '../display/format';
import { ProblemBar } from '../feedback/ProblemBar';
import { LoadMore } from '../feedback/LoadMore';
import { ResourceView } from '../feedback/ResourceView';
import { usePagedList } from '../feedback/usePagedList';
import { PageHeader } from '../shell/PageHeader';
import { allAuditEvents, downloadText, exportFileName, toJsonLines } from './auditExport';

const pageSize = 100;
const allTypes = '';

const useStyles = makeStyles({
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  // Sized by content: the details column takes what the short ones leave.
  table: { backgroundColor: tokens.colorNeutralBackground1, tableLayout: 'auto' },
  payload: { fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  subtle: { color: tokens.colorNeutralForeground2 },
});

type Export = { status: 'running'; loaded: number } | { status: 'done'; count: number; fileName: string } | { status: 'failed'; problem: ApiProblem };
type Verification = { status: 'running' } | { status: 'done'; result: ChainVerification } | { status: 'failed'; problem: ApiProblem };

function actorName(event: AuditEvent): string {
  return event.actor.name ?? `${event.actor.type} ${event.actor.id}`;
}

/** An event's payload as "key: value" pairs, easier to scan than JSON. */
function details(event: AuditEvent): string {
  return Object.entries(event.payload)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/** The tenant's append-only audit chain: browse by type, check it has not been tampered with, export it. */
export default function AuditPage() {
  const styles = useStyles();
  const api = useApi();
  const [type, setType] = useState(allTypes);
  const events = usePagedList(
    useCallback(
      (continuationToken: string | undefined, signal?: AbortSignal) =>
        api.auditPage({ type: type || undefined }, pageSize, continuationToken, signal),
      [api, type],
    ),
    (event) => String(event.seq),
  );
  const [verification, setVerification] = useState<Verification>();
  const [exported, setExported] = useState<Export>();
  // The types to pick from: every one seen so far, so picking one does not hide the others.
  const [knownTypes, setKnownTypes] = useState<string[]>([]);
  const data = events.resource.data;
  useEffect(() => {
    const loaded = data?.items ?? [];
    setKnownTypes((known) => {
      const more = loaded.map((event) => event.type).filter((candidate) => !known.includes(candidate));
      return more.length === 0 ? known : [...new Set([...known, ...more])].sort();
    });
  }, [data]);
  // While the page of a newly picked type loads, the events of the type before are not shown as if they matched.
  const loaded = (data?.items ?? []).filter((event) => type === allTypes || event.type === type);

  const verify = async () => {
    setVerification({ status: 'running' });
    try {
      setVerification({ status: 'done', result: await api.verifyAudit() });
    } catch (error) {
      setVerification({ status: 'failed', problem: asApiProblem(error) });
    }
  };

  const exportAll = async () => {
    setExported({ status: 'running', loaded: 0 });
    try {
      const all = await allAuditEvents(api, (count) => setExported({ status: 'running', loaded: count }));
      const fileName = exportFileName(all[0]?.tenantId, new Date());
      downloadText(toJsonLines(all), fileName, 'application/x-ndjson');
      setExported({ status: 'done', count: all.length, fileName });
    } catch (error) {
      setExported({ status: 'failed', problem: asApiProblem(error) });
    }
  };

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every decision and every send, in an append-only chain where each event carries the hash of the one before."
        actions={
          <>
            <Button onClick={() => void verify()} disabled={verification?.status === 'running'}>
              {verification?.status === 'running' ? 'Verifying…' : 'Verify chain'}
            </Button>
            <Button appearance="primary" onClick={() => void exportAll()} disabled={exported?.status === 'running'}>
              Export all (JSONL)
            </Button>
          </>
        }
      />

      {verification?.status === 'running' && <Spinner size="tiny" label="Recomputing every hash of the chain…" labelPosition="after" role="status" />}
      {verification?.status === 'failed' && <ProblemBar problem={verification.problem} onRetry={() => void verify()} />}
      {verification?.status === 'done' &&
        (verification.result.valid ? (
          <MessageBar intent="success" role="status">
            <MessageBarBody>
              <MessageBarTitle>Chain valid</MessageBarTitle>
              All {verification.result.count} events link up and match their hashes. Head: <code>{verification.result.head.slice(0, 16)}…</code>
            </MessageBarBody>
          </MessageBar>
        ) : (
          <MessageBar intent="error" role="alert">
            <MessageBarBody>
              <MessageBarTitle>Chain invalid</MessageBarTitle>
              The chain breaks at event #{verification.result.firstBrokenSeq}: it or an earlier event was changed or removed.{' '}
              {verification.result.count} events before it check out.
            </MessageBarBody>
          </MessageBar>
        ))}

      {exported?.status === 'running' && (
        <Spinner size="tiny" label={`Exporting… ${exported.loaded} events so far`} labelPosition="after" role="status" />
      )}
      {exported?.status === 'failed' && <ProblemBar problem={exported.problem} onRetry={() => void exportAll()} />}
      {exported?.status === 'done' && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>
            Exported {exported.count} events to {exported.fileName}.
          </MessageBarBody>
        </MessageBar>
      )}

      <ResourceView
        resource={events.resource}
        loadingLabel="Loading audit events…"
        isEmpty={(page) => page.items.length === 0}
        empty="The audit log is empty."
      >
        {() => (
          <>
            <div className={styles.toolbar}>
              <Field label="Event type">
                <Select value={type} onChange={(_, data) => setType(data.value)}>
                  <option value={allTypes}>All types</option>
                  {knownTypes.map((candidate) => (
                    <option key={candidate} value={candidate}>
                      {candidate}
                    </option>
                  ))}
                </Select>
              </Field>
              <Text className={styles.subtle} role="status">
                {loaded.length} {type === allTypes ? '' : `${type} `}events loaded
                {events.hasMore ? ', more below' : events.complete ? ', all there are' : ''}.
              </Text>
            </div>
            <Table aria-label="Audit events" className={styles.table}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>#</TableHeaderCell>
                  <TableHeaderCell>When</TableHeaderCell>
                  <TableHeaderCell>Type</TableHeaderCell>
                  <TableHeaderCell>Actor</TableHeaderCell>
                  <TableHeaderCell>Details</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {loaded.map((event) => (
                  <TableRow key={event.seq}>
                    <TableCell>{event.seq}</TableCell>
                    <TableCell>{formatInstant(event.at)}</TableCell>
                    <TableCell>{event.type}</TableCell>
                    <TableCell>{actorName(event)}</TableCell>
                    <TableCell>
                      <span className={styles.payload}>{details(event)}</span>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            <LoadMore list={events} label={`Load the next ${pageSize} events`} />
          </>
        )}
      </ResourceView>
    </>
  );
}
