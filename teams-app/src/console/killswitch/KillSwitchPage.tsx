import {
  Badge,
  Button,
  makeStyles,
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
import { holdsSends, resumptionText, type KillSwitchState } from '@asep/shared/killswitch/killswitch';
import { isAbort } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { formatInstant } from '../display/format';
import { ResourceView } from '../feedback/ResourceView';
import { useResource } from '../feedback/useResource';
import { PageHeader } from '../shell/PageHeader';
import { SuccessBar } from '../feedback/SuccessBar';
import { usePermission } from '../shell/session';
import { KillSwitchDialog, type KillSwitchTarget } from './KillSwitchDialog';
import { usePanelStyles } from '../shell/usePanelStyles';

type Switch = KillSwitchState['campaigns'][string];

const useStyles = makeStyles({
  heading: { margin: 0 },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  subtle: { color: tokens.colorNeutralForeground2 },
});

function SwitchBadge({ setting }: { setting: Switch | undefined }) {
  if (setting && !setting.active && holdsSends(setting))
    return (
      <Badge appearance="filled" color="danger">
        Ending its sequences: nothing is sent
      </Badge>
    );
  return setting?.active ? (
    <Badge appearance="filled" color="danger">
      On: nothing is sent
    </Badge>
  ) : (
    <Badge appearance="tint" color="success">
      Off
    </Badge>
  );
}

function lastChange(setting: Switch | undefined): string {
  if (!setting) return 'Never used';
  const change = `${setting.active ? 'Turned on' : 'Turned off'} by ${setting.changedBy}, ${formatInstant(setting.changedAt)}`;
  return !setting.active && setting.resumption ? `${change}. ${resumptionText(setting.resumption, setting.release)}` : change;
}

const releasePollMs = 1_000;

/** The tenant's and each campaign's kill switch: what is stopped, who stopped it and why. */
export default function KillSwitchPage() {
  const styles = useStyles();
  const panel = usePanelStyles();
  const api = useApi();
  const canReadCampaigns = usePermission('campaigns.read');
  const canFlipTenant = usePermission('killswitch.tenant');
  const canFlipCampaign = usePermission('killswitch.campaign');
  const resource = useResource(
    useCallback(
      async (signal: AbortSignal) => {
        const [switches, campaigns] = await Promise.all([api.killSwitches(signal), canReadCampaigns ? api.campaigns(signal) : []]);
        return { switches, campaigns };
      },
      [api, canReadCampaigns],
    ),
  );
  const [request, setRequest] = useState<{ target: KillSwitchTarget; active: boolean }>();
  const [outcome, setOutcome] = useState<string>();
  const { reload } = resource;
  /** A switch just turned off: its sequences resume or end in the background, and the page says when they have. */
  const [watching, setWatching] = useState<{ releaseId: string; name: string }>();

  useEffect(() => {
    if (!watching) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const look = () => {
      api.killSwitchRelease(watching.releaseId, controller.signal).then(
        (report) => {
          if (!report.done && report.state !== 'failed') {
            timer = setTimeout(look, releasePollMs);
            return;
          }
          setOutcome(
            report.done
              ? `Kill switch for ${watching.name} is off. ${resumptionText({ done: true, sequencesResumed: report.resumed, sequencesEnded: report.ended }, report.release)}`
              : report.release === 'end'
                ? `Ending the sequences of ${watching.name} stopped after ${report.ended}: nothing is sent meanwhile. Turn the switch off with "end all" again to finish.`
                : `Kill switch for ${watching.name} is off, but resuming the sequences it held stopped after ${report.resumed}: they look again by themselves within hours.`,
          );
          setWatching(undefined);
          reload();
        },
        (error: unknown) => {
          if (!isAbort(error)) timer = setTimeout(look, releasePollMs);
        },
      );
    };
    look();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [api, watching, reload]);

  return (
    <>
      <PageHeader
        title="Kill switch"
        description="Stops sending at once, for the whole tenant or one campaign, including emails already approved or queued."
        refresh={resource}
      />
      {outcome && <SuccessBar>{outcome}</SuccessBar>}
      <ResourceView resource={resource} loadingLabel="Loading kill switches…">
        {({ switches, campaigns }) => {
          const tenant = switches.tenant;
          const names = new Map(campaigns.map((campaign) => [campaign.id, campaign.name]));
          const campaignIds = [...new Set([...campaigns.map((campaign) => campaign.id), ...Object.keys(switches.campaigns)])];
          return (
            <>
              <section className={panel.panel} aria-labelledby="tenant-switch">
                <Text as="h2" id="tenant-switch" size={500} weight="semibold" className={styles.heading}>
                  Whole tenant
                </Text>
                <div className={styles.row}>
                  <SwitchBadge setting={tenant} />
                  <Text className={styles.subtle}>{lastChange(tenant)}</Text>
                </div>
                {tenant?.reason && <Text>Reason: {tenant.reason}</Text>}
                <div className={styles.row}>
                  <Button
                    appearance={tenant?.active ? 'secondary' : 'primary'}
                    disabled={!canFlipTenant}
                    onClick={() => setRequest({ target: { scope: 'tenant', name: 'the whole tenant' }, active: !tenant?.active })}
                  >
                    {tenant?.active ? 'Resume all sending…' : 'Stop all sending…'}
                  </Button>
                  {!canFlipTenant && <Text className={styles.subtle}>Only an Owner or Admin can change the tenant kill switch.</Text>}
                </div>
              </section>

              <section className={panel.panel} aria-labelledby="campaign-switches">
                <Text as="h2" id="campaign-switches" size={500} weight="semibold" className={styles.heading}>
                  Campaigns
                </Text>
                {campaignIds.length === 0 ? (
                  <Text className={styles.subtle}>There are no campaigns yet.</Text>
                ) : (
                  <Table aria-label="Campaign kill switches">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell>Campaign</TableHeaderCell>
                        <TableHeaderCell>Kill switch</TableHeaderCell>
                        <TableHeaderCell>Reason</TableHeaderCell>
                        <TableHeaderCell>Last change</TableHeaderCell>
                        {canFlipCampaign && <TableHeaderCell>Action</TableHeaderCell>}
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {campaignIds.map((campaignId) => {
                        const setting = switches.campaigns[campaignId];
                        const name = names.get(campaignId) ?? campaignId;
                        return (
                          <TableRow key={campaignId}>
                            <TableCell>{name}</TableCell>
                            <TableCell>
                              <SwitchBadge setting={setting} />
                            </TableCell>
                            <TableCell>{setting?.reason ?? ''}</TableCell>
                            <TableCell>{lastChange(setting)}</TableCell>
                            {canFlipCampaign && (
                              <TableCell>
                                <Button
                                  size="small"
                                  aria-label={`${setting?.active ? 'Resume sending for' : 'Stop sending for'} ${name}`}
                                  onClick={() => setRequest({ target: { scope: 'campaign', campaignId, name }, active: !setting?.active })}
                                >
                                  {setting?.active ? 'Resume…' : 'Stop sending…'}
                                </Button>
                              </TableCell>
                            )}
                          </TableRow>
                        );
                      })}
                    </TableBody>
                  </Table>
                )}
              </section>
            </>
          );
        }}
      </ResourceView>
      {request && (
        <KillSwitchDialog
          target={request.target}
          active={request.active}
          onClose={() => setRequest(undefined)}
          onChanged={(switches, message) => {
            resource.update((current) => ({ ...current, switches }));
            setOutcome(message);
            const { target } = request;
            const setting = target.scope === 'tenant' ? switches.tenant : switches.campaigns[target.campaignId];
            if (!setting?.active && setting?.resumption && !setting.resumption.done)
              setWatching({ releaseId: setting.resumption.releaseId, name: target.name });
          }}
        />
      )}
    </>
  );
}
