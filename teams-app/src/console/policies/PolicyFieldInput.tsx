import { Checkbox, Field, Input, makeStyles, Switch, Text, tokens, useId } from '@fluentui/react-components';
import { neverCreateOnOptions, type PolicyField } from './policyFields';

const useStyles = makeStyles({
  group: { border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  legend: { padding: 0, fontWeight: tokens.fontWeightSemibold },
  choices: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

interface PolicyFieldInputProps {
  field: PolicyField;
  value: string | boolean | string[];
  onChange(value: string | boolean | string[]): void;
  /** The API's validation errors for this field, shown right under it. */
  errors: string[];
  readOnly: boolean;
}

/** One rule of the policy form, with its label, hint and the API's errors for it. */
export function PolicyFieldInput({ field, value, onChange, errors, readOnly }: PolicyFieldInputProps) {
  const styles = useStyles();
  const errorId = useId('policy-error');
  const validationMessage = errors.join(' ') || undefined;

  if (field.kind === 'choices') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset
        className={styles.group}
        aria-describedby={validationMessage ? errorId : undefined}
        aria-invalid={validationMessage ? true : undefined}
      >
        <legend className={styles.legend}>{field.label}</legend>
        <div className={styles.choices}>
          {neverCreateOnOptions.map((option) => (
            <Checkbox
              key={option}
              label={option}
              disabled={readOnly}
              checked={chosen.includes(option)}
              onChange={(_, data) => onChange(data.checked === true ? [...chosen, option] : chosen.filter((item) => item !== option))}
            />
          ))}
        </div>
        {validationMessage && (
          <Text id={errorId} className={styles.error}>
            {validationMessage}
          </Text>
        )}
      </fieldset>
    );
  }

  return (
    <Field label={field.label} hint={field.hint} validationMessage={validationMessage}>
      {field.kind === 'switch' ? (
        <Switch checked={value === true} disabled={readOnly} onChange={(_, data) => onChange(data.checked)} label={value === true ? 'On' : 'Off'} />
      ) : (
        <Input
          type={field.kind === 'number' ? 'number' : 'text'}
          step={field.kind === 'number' ? 'any' : undefined}
          readOnly={readOnly}
          value={typeof value === 'string' ? value : ''}
          onChange={(_, data) => onChange(data.value)}
        />
      )}
    </Field>
  );
}
