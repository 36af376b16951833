import { MessageBar, MessageBarBody, makeStyles, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { Suspense } from 'react';
import { isAllowed, permissionMatrix } from '@asep/shared/access/matrix';
import type { ConsoleConfig } from '../config';
import { EmptyState } from '../feedback/EmptyState';
import { LoadingState } from '../feedback/LoadingState';
import { PageErrorBoundary } from '../feedback/PageErrorBoundary';
import { DemoUserPicker } from './DemoUserPicker';
import { consolePages } from './pages';
import { useSession } from './session';
import { useHashRoute } from './useHashRoute';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  who: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  nav: { padding: `0 ${tokens.spacingHorizontalS}`, backgroundColor: tokens.colorNeutralBackground1 },
  main: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** The signed-in console: who is signed in, the pages their roles open, and the page the URL names. */
export function ConsoleShell({ config }: { config: ConsoleConfig }) {
  const styles = useStyles();
  const session = useSession();
  const { roles } = session.user;
  const pages = consolePages.filter((page) => isAllowed(roles, page.permission));
  const [pageId, navigate] = useHashRoute();
  const named = consolePages.find((page) => page.id === pageId);
  const page = named && pages.includes(named) ? named : pages[0];
  const rolesText = roles.join(', ') || 'no role';

  return (
    <>
      <header className={styles.header}>
        <Text as="span" size={500} weight="semibold">
          ASEP console
        </Text>
        <div className={styles.who}>
          <Text>
            {session.user.name} · {rolesText}
          </Text>
          {!session.teams && <DemoUserPicker current={config.demoUser} />}
        </div>
      </header>
      {!session.teams &&
        config.notices.map((notice) => (
          <MessageBar key={notice} intent="warning">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        ))}
      {page && (
        <nav className={styles.nav} aria-label="Console pages">
          <TabList selectedValue={page.id} onTabSelect={(_, data) => navigate(String(data.value))}>
            {pages.map((candidate) => (
              <Tab key={candidate.id} value={candidate.id}>
                {candidate.title}
              </Tab>
            ))}
          </TabList>
        </nav>
      )}
      <main className={styles.main}>
        {named && named !== page && (
          <MessageBar intent="info">
            <MessageBarBody>
              {named.title} needs one of the roles {permissionMatrix[named.permission].join(', ')}; you have {rolesText}.
            </MessageBarBody>
          </MessageBar>
        )}
        {page ? (
          <PageErrorBoundary key={page.id}>
            <Suspense fallback={<LoadingState label={`Loading ${page.title}…`} />}>
              <page.Component />
            </Suspense>
          </PageErrorBoundary>
        ) : (
          <EmptyState>The console is for managers, admins and auditors; your roles ({rolesText}) open none of its pages.</EmptyState>
        )}
      </main>
    </>
  );
}
