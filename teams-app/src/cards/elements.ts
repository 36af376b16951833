import type { CardActionData } from './actions';

/**
 * Building blocks shared by the card builders: the card envelope, buttons, and text that is safe to show.
 *
 * Text from outside (prospects' emails, names, reasons typed by users) goes into `TextRun`s, which hosts never
 * read as markdown, so a reply cannot smuggle in links or formatting. `TextBlock` is kept for text we write
 * ourselves, where markdown and the host's DATE/TIME functions are wanted.
 */

export type CardElement = { type: string } & Record<string, unknown>;

export interface ExecuteButton {
  type: 'Action.Execute';
  title: string;
  verb: CardActionData['action'];
  data: CardActionData;
  style?: 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
}
export interface OpenUrlButton {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}
export interface ShowCardButton {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: CardButton[] };
}
export type CardButton = ExecuteButton | OpenUrlButton | ShowCardButton;

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText: string;
  refresh?: { type: 'Refresh'; action: ExecuteButton; userIds?: string[] };
  body: CardElement[];
  actions?: CardButton[];
}

/** Who sees a card refresh itself: Teams runs the refresh automatically only for these user ids (at most 60). */
export interface RefreshAudience {
  refreshUserIds?: readonly string[];
}

/** Teams rejects cards over 28 KB; every builder truncates its free text to stay well below. */
export const maxCardBytes = 28 * 1024;

/** Longest text (in characters) shown for each kind of outside text. */
export const textLimits = {
  name: 120,
  subject: 200,
  preview: 1500,
  excerpt: 1000,
  fact: 200,
  reason: 300,
} as const;

export function card(content: {
  summary: string;
  body: CardElement[];
  actions?: CardButton[];
  refresh?: { data: CardActionData; audience?: RefreshAudience };
}): AdaptiveCard {
  const userIds = content.refresh?.audience?.refreshUserIds;
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    fallbackText: cleanText(content.summary, textLimits.subject),
    ...(content.refresh && {
      refresh: {
        type: 'Refresh',
        action: { ...executeButton('Refresh', content.refresh.data), associatedInputs: 'none' },
        ...(userIds && { userIds: [...userIds] }),
      },
    }),
    body: content.body,
    ...(content.actions?.length ? { actions: content.actions } : {}),
  };
}

/** A button the bot receives as an `adaptiveCard/action` invoke; the verb is always the action's name. */
export function executeButton(
  title: string,
  data: CardActionData,
  options: { style?: ExecuteButton['style']; withInputs?: boolean } = {},
): ExecuteButton {
  return {
    type: 'Action.Execute',
    title,
    verb: data.action,
    data,
    ...(options.style && { style: options.style }),
    ...(options.withInputs === false && { associatedInputs: 'none' as const }),
  };
}

export function openUrlButton(title: string, url: string): OpenUrlButton {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw new Error(`A card link must be an absolute http(s) URL, got ${JSON.stringify(url)}`);
  return { type: 'Action.OpenUrl', title, url };
}

/** Collapses control characters and runs of blank lines, trims, and cuts at `maxChars` code points with an ellipsis. */
export function cleanText(text: string | undefined, maxChars: number): string {
  const cleaned = (text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    // Bidirectional overrides can make a name or address read differently from what it is.
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const codePoints = Array.from(cleaned);
  return codePoints.length <= maxChars
    ? cleaned
    : `${codePoints
        .slice(0, maxChars - 1)
        .join('')
        .trimEnd()}…`;
}

type RunStyle = {
  weight?: 'bolder';
  size?: 'small' | 'medium' | 'large';
  isSubtle?: boolean;
  italic?: boolean;
  color?: 'good' | 'warning' | 'attention';
};

function textRun(text: string, style: RunStyle = {}): CardElement {
  return { type: 'TextRun', text, ...style };
}

/** Outside text shown verbatim (never as markdown). Empty text yields nothing, so callers can spread the result. */
export function plainText(text: string | undefined, maxChars: number, style: RunStyle = {}): CardElement[] {
  const cleaned = cleanText(text, maxChars);
  return cleaned ? [{ type: 'RichTextBlock', inlines: [textRun(cleaned, style)] }] : [];
}

/** "Label: value" with the value shown verbatim; nothing when the value is empty. */
export function labelled(label: string, value: string | undefined, maxChars: number = textLimits.name): CardElement[] {
  const cleaned = cleanText(value, maxChars);
  return cleaned ? [{ type: 'RichTextBlock', inlines: [textRun(`${label}: `, { weight: 'bolder' }), textRun(cleaned)] }] : [];
}

/** A bulleted list of outside text, capped at `maxItems` with a note of how many were left out. */
export function bulletList(items: readonly string[], options: { maxItems: number; maxChars: number; more: string }): CardElement[] {
  const lines = items.map((item) => cleanText(item, options.maxChars)).filter(Boolean);
  const shown = lines.slice(0, options.maxItems).map((line): CardElement => ({ type: 'RichTextBlock', inlines: [textRun(`• ${line}`)] }));
  const hidden = lines.length - shown.length;
  return hidden > 0 ? [...shown, ...ourText(`+${hidden} ${options.more}`, { isSubtle: true })] : shown;
}

/**
 * A separated row headed "Title: state" in bold, then its details: a campaign or switch on a status card.
 * `title` is shown verbatim (clean outside text before building it); `state` is styled like any run.
 */
export function stateRow(title: string, state: { text: string } & RunStyle, details: CardElement[] = []): CardElement {
  const { text, ...style } = state;
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items: [{ type: 'RichTextBlock', inlines: [textRun(`${title}: `, { weight: 'bolder' }), textRun(text, style)] }, ...details],
  };
}

export function heading(text: string, style: Pick<RunStyle, 'color'> = {}): CardElement {
  return {
    type: 'RichTextBlock',
    inlines: [textRun(cleanText(text, textLimits.subject + textLimits.name), { size: 'large', weight: 'bolder', ...style })],
  };
}

/** Text we write ourselves (rendered as markdown, may use `{{DATE()}}`); never pass outside text here. */
export function ourText(text: string, style: Omit<RunStyle, 'italic'> & { spacing?: 'medium' | 'large' } = {}): CardElement[] {
  return [{ type: 'TextBlock', text, wrap: true, ...style }];
}

export function section(title: string, items: CardElement[]): CardElement[] {
  return items.length ? [{ type: 'Container', spacing: 'medium', separator: true, items: [...ourText(title, { weight: 'bolder' }), ...items] }] : [];
}

/**
 * An instant as the viewer's host shows it, in their own time zone and locale (`{{DATE}}`/`{{TIME}}` need
 * second precision and an explicit offset). Unparseable input is shown as written, without markdown.
 */
export function instant(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return cleanText(iso, 40).replace(/[\\*_[\]()`~#>{}]/g, '');
  const utc = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${utc}, SHORT)}} {{TIME(${utc})}}`;
}

export function percent(ratio: number, digits = 0): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}
