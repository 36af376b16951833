import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Tab,
  TabList,
  Text,
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { PolicyDocument } from '@asep/shared/policy/document';
import { asApiProblem, errorsAt, errorsOutside, type ApiProblem } from '@asep/shared/client/problem';
import { useApi } from '../api/useApi';
import { ProblemBar } from '../feedback/ProblemBar';
import { draftFromRules, fieldPath, policyFields, policySections, rulesFromDraft, type PolicyDraft } from './policyFields';
import { PolicyFieldInput } from './PolicyFieldInput';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  section: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(18rem, 1fr))',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    backgroundColor: tokens.colorNeutralBackground1,
    borderRadius: tokens.borderRadiusLarge,
    boxShadow: tokens.shadow4,
  },
  sectionTitle: { gridColumn: '1 / -1', margin: 0 },
  json: { fontFamily: tokens.fontFamilyMonospace, minHeight: '24rem' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

type Mode = 'form' | 'json';

interface PolicyEditorProps {
  policy: PolicyDocument;
  canEdit: boolean;
  /** The new version is in force; the page shows it (and this editor is replaced by one for it). */
  onSaved(policy: PolicyDocument): void;
  onReload(): void;
}

/**
 * The tenant's policy, as a form for the main rules or as raw JSON. The API validates what is saved; each of
 * its errors appears next to the field it names (in JSON mode, under the text), and none is left unshown.
 */
export function PolicyEditor({ policy, canEdit, onSaved, onReload }: PolicyEditorProps) {
  const styles = useStyles();
  const api = useApi();
  const [mode, setMode] = useState<Mode>('form');
  const [draft, setDraft] = useState<PolicyDraft>(() => draftFromRules(policy.rules));
  const [json, setJson] = useState(() => JSON.stringify(policy.rules, null, 2));
  const [jsonSyntaxError, setJsonSyntaxError] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [saving, setSaving] = useState(false);

  const parseJson = (): { ok: true; rules: unknown } | { ok: false } => {
    try {
      return { ok: true, rules: JSON.parse(json) };
    } catch (error) {
      setJsonSyntaxError(`This is not valid JSON: ${(error as Error).message}`);
      return { ok: false };
    }
  };

  const switchMode = (next: Mode) => {
    if (next === mode) return;
    if (next === 'json') {
      setJson(JSON.stringify(rulesFromDraft(draft, policy.rules), null, 2));
    } else {
      const parsed = parseJson();
      if (!parsed.ok) return;
      setDraft(draftFromRules(parsed.rules));
    }
    setMode(next);
  };

  const save = async () => {
    let rules: unknown;
    if (mode === 'json') {
      const parsed = parseJson();
      if (!parsed.ok) return;
      rules = parsed.rules;
    } else {
      rules = rulesFromDraft(draft, policy.rules);
    }
    setSaving(true);
    setProblem(undefined);
    try {
      onSaved(await api.savePolicy(rules, policy.version));
    } catch (error) {
      setProblem(asApiProblem(error));
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setDraft(draftFromRules(policy.rules));
    setJson(JSON.stringify(policy.rules, null, 2));
    setJsonSyntaxError(undefined);
    setProblem(undefined);
  };

  const fieldErrors = problem && problem.errors.length > 0;
  const unshown = mode === 'form' ? errorsOutside(problem, policyFields.map(fieldPath)) : [];

  return (
    <div className={styles.root}>
      <TabList selectedValue={mode} onTabSelect={(_, data) => switchMode(data.value === 'json' ? 'json' : 'form')} aria-label="Policy editor">
        <Tab value="form">Form</Tab>
        <Tab value="json">JSON</Tab>
      </TabList>

      {problem && !fieldErrors && (
        <ProblemBar problem={problem} onRetry={problem.status === 409 ? onReload : undefined} retryLabel="Reload the policy" />
      )}
      {fieldErrors && (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>
            <MessageBarTitle>The policy was not saved</MessageBarTitle>
            {problem.errors.length === 1 ? 'One rule needs' : `${problem.errors.length} rules need`} fixing;{' '}
            {mode === 'form' ? 'see the fields below.' : 'see under the JSON.'}
            {unshown.length > 0 && (
              <ul className={styles.list}>
                {unshown.map((error) => (
                  <li key={`${error.field}|${error.message}`}>
                    {error.field}: {error.message}
                  </li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}

      {mode === 'form' ? (
        policySections.map(({ section, title }) => (
          <section key={section} className={styles.section} aria-labelledby={`policy-${section}`}>
            <Text as="h2" id={`policy-${section}`} size={500} weight="semibold" className={styles.sectionTitle}>
              {title}
            </Text>
            {policyFields
              .filter((field) => field.section === section)
              .map((field) => (
                <PolicyFieldInput
                  key={fieldPath(field)}
                  field={field}
                  value={draft[fieldPath(field)] ?? ''}
                  errors={errorsAt(problem, fieldPath(field))}
                  readOnly={!canEdit}
                  onChange={(value) => setDraft((current) => ({ ...current, [fieldPath(field)]: value }))}
                />
              ))}
          </section>
        ))
      ) : (
        <Field
          label="Policy rules (JSON)"
          hint="The whole rules document, as the API stores it."
          validationMessage={
            [jsonSyntaxError, ...errorsAt(problem, 'rules'), ...errorsOutside(problem, ['rules']).map((error) => `${error.field}: ${error.message}`)]
              .filter(Boolean)
              .join(' · ') || undefined
          }
        >
          <Textarea
            className={styles.json}
            value={json}
            readOnly={!canEdit}
            resize="vertical"
            spellCheck={false}
            onChange={(_, data) => {
              setJson(data.value);
              setJsonSyntaxError(undefined);
            }}
          />
        </Field>
      )}

      {canEdit ? (
        <div className={styles.actions}>
          <Button appearance="primary" onClick={() => void save()} disabled={saving}>
            {saving ? 'Saving…' : 'Save policy'}
          </Button>
          <Button onClick={discard} disabled={saving}>
            Discard changes
          </Button>
          <Text>Saving puts a new version in force for every send and deal from then on.</Text>
        </div>
      ) : (
        <Text>Only an Owner or Admin can change the policy.</Text>
      )}
    </div>
  );
}
