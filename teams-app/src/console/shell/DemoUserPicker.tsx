import { Field, makeStyles, Select } from '@fluentui/react-components';
import { demoUsers, type DemoUser } from '../auth/demoUsers';

const useStyles = makeStyles({ field: { minWidth: '24rem' } });

/** Outside Teams: switch to another demo user of the local suite, one per role (`?devRole=`). */
export function DemoUserPicker({ current }: { current: DemoUser }) {
  const styles = useStyles();
  const switchTo = (role: string) => {
    const url = new URL(window.location.href);
    url.searchParams.set('devRole', role);
    window.location.assign(url);
  };
  return (
    <Field label="Demo user" orientation="horizontal" className={styles.field}>
      <Select value={current.roles[0]} onChange={(_, data) => switchTo(data.value)}>
        {demoUsers.map((user) => (
          <option key={user.userId} value={user.roles[0]}>
            {user.name} ({user.roles.join(', ')})
          </option>
        ))}
      </Select>
    </Field>
  );
}
