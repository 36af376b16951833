import { Text, tokens } from '@fluentui/react-components';
import type { PagedList } from './usePagedList';

/** "120 replies loaded, more below." — how much of a paged list is on screen, and whether that is all of it. */
export function LoadedCount<T>({ list, shown, noun }: { list: PagedList<T>; shown: number; noun: string }) {
  return (
    <Text style={{ color: tokens.colorNeutralForeground2 }} role="status">
      {shown} {noun} loaded{list.hasMore ? ', more below' : list.complete ? ', all there are' : ''}.
    </Text>
  );
}
