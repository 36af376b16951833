import { useCallback, useState } from 'react';
import type { PolicyDocument } from '@asep/shared/policy/document';
import { useApi } from '../api/useApi';
import { formatInstant } from '../display/format';
import { ResourceView } from '../feedback/ResourceView';
import { useResource } from '../feedback/useResource';
import { PageHeader } from '../shell/PageHeader';
import { SuccessBar } from '../feedback/SuccessBar';
import { usePermission } from '../shell/session';
import { PolicyDryRun } from './PolicyDryRun';
import { PolicyEditor } from './PolicyEditor';

/** The governance policy every send and deal is decided against: read, edit, and try it on a hypothetical email. */
export default function PoliciesPage() {
  const api = useApi();
  const canEdit = usePermission('policies.write');
  const canTest = usePermission('policies.test');
  const policy = useResource(useCallback((signal: AbortSignal) => api.policy(signal), [api]));
  const [saved, setSaved] = useState<number>();

  const savedVersion = (document: PolicyDocument) => {
    policy.update(() => document);
    setSaved(document.version);
  };

  return (
    <>
      <PageHeader
        title="Policies"
        description={
          policy.data
            ? `Version ${policy.data.version}, last changed by ${policy.data.updatedBy} on ${formatInstant(policy.data.updatedAt)}.`
            : 'Every send and every deal is decided against these rules.'
        }
      />
      {saved !== undefined && <SuccessBar>Saved: version {saved} is in force.</SuccessBar>}
      <ResourceView resource={policy} loadingLabel="Loading the policy…">
        {(document) => <PolicyEditor key={document.version} policy={document} canEdit={canEdit} onSaved={savedVersion} onReload={policy.reload} />}
      </ResourceView>
      {canTest && <PolicyDryRun />}
    </>
  );
}
