import { Button, Caption1 } from '@fluentui/react-components';
import { CalendarRegular } from '@fluentui/react-icons';
import type { MessageInsight } from '@asep/shared/insights/insight';
import { lazy, Suspense, useState } from 'react';
import type { ApiClient } from '../api/client';
import { Section } from '../insight/Section';

/** Loaded on demand: the first render of the pane does not pay for the booking view. */
const BookingPanel = lazy(() => import('./BookingPanel'));

export interface BookingLauncherProps {
  api: ApiClient;
  prospect: NonNullable<MessageInsight['prospect']>;
  onBooked: () => void;
}

export function BookingLauncher({ api, prospect, onBooked }: BookingLauncherProps) {
  const [open, setOpen] = useState(false);
  return (
    <Section title="Meeting">
      <div>
        <Button appearance={open ? 'secondary' : 'primary'} icon={<CalendarRegular />} aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide times' : 'Find a time'}
        </Button>
      </div>
      {open && (
        <Suspense fallback={<Caption1 role="status">Loading the booking view…</Caption1>}>
          <BookingPanel api={api} prospect={prospect} onBooked={onBooked} />
        </Suspense>
      )}
    </Section>
  );
}
