/**
 * What a bench run found: figures (with a verdict where they have a target), checks that the benchmarked work
 * was done right, and the machine they were measured on. Printed as a table and written to bench/results.json.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

export type Verdict = 'PASS' | 'MISS';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** `≤ 200`, `≥ 100`: a target with a verdict; other text describes the figure. */
  target?: string;
  verdict?: Verdict;
  /** Timing figures repeated: `value` is the median of `runs`. */
  runs?: number[];
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Machine {
  cores: number;
  cpu: string;
  memoryGb: number;
  os: string;
  node: string;
  /** `os.loadavg()` (1, 5, 15 minutes) when the run began and when it ended. */
  loadBefore: number[];
  loadAfter?: number[];
}

const targetPattern = /^(≤|≥|<=|>=)\s*(-?[\d.]+)/;

/** PASS or MISS for a target written `≤ N` or `≥ N`; undefined for a figure without one. */
export function verdictFor(value: number, target: string | undefined): Verdict | undefined {
  const match = target === undefined ? null : targetPattern.exec(target);
  if (!match) return undefined;
  const limit = Number(match[2]);
  const within = match[1] === '≤' || match[1] === '<=' ? value <= limit : value >= limit;
  return within ? 'PASS' : 'MISS';
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Sorted ascending; the nearest-rank percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const format = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2));

export class Report {
  readonly figures: Figure[] = [];
  readonly checks: Check[] = [];
  readonly machine: Machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadBefore: loadavg(),
  };

  /** A figure measured once (counts, sizes, quality scores). */
  record = (name: string, value: number, unit: string, target?: string): void => {
    this.add({ name, value, unit, ...(target ? { target } : {}) });
  };

  /** A timing measured in repeated runs: the median, with every run kept to show the spread. */
  recordRuns(name: string, runs: number[], unit: string, target?: string): void {
    this.add({ name, value: median(runs), unit, runs, ...(target ? { target } : {}) });
  }

  /** Whether the benchmarked work was done right: a failed check makes the run fail, whatever its timings. */
  check(name: string, ok: boolean, detail: string): void {
    this.checks.push({ name, ok, detail });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
  }

  get failedChecks(): Check[] {
    return this.checks.filter((check) => !check.ok);
  }

  get misses(): Figure[] {
    return this.figures.filter((figure) => figure.verdict === 'MISS');
  }

  finish(): void {
    this.machine.loadAfter = loadavg();
  }

  /** The whole report as a table: figure, value, target, verdict, spread. */
  table(): string {
    const rows = this.figures.map((figure) => [
      figure.name,
      `${format(figure.value)} ${figure.unit}`.trim(),
      figure.target ?? '',
      figure.verdict ?? '',
      figure.runs && figure.runs.length > 1
        ? `${figure.runs.length} runs, ${format(Math.min(...figure.runs))}–${format(Math.max(...figure.runs))}`
        : '',
    ]);
    const header = ['figure', 'value', 'target', 'verdict', 'spread'];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd();
    const load = (values?: number[]) => values?.map((value) => value.toFixed(2)).join(' ') ?? '?';
    return [
      `Machine: ${this.machine.cores} cores (${this.machine.cpu}), ${this.machine.memoryGb} GB, ${this.machine.os}, Node ${this.machine.node}`,
      `Load average (1/5/15 min): ${load(this.machine.loadBefore)} before, ${load(this.machine.loadAfter)} after`,
      '',
      line(header),
      line(widths.map((width) => '-'.repeat(width))),
      ...rows.map(line),
    ].join('\n');
  }

  toJSON() {
    return { machine: this.machine, figures: this.figures, checks: this.checks };
  }

  private add(figure: Figure): void {
    const verdict = verdictFor(figure.value, figure.target);
    this.figures.push({ ...figure, value: Number(figure.value.toFixed(3)), ...(verdict ? { verdict } : {}) });
    const spread = figure.runs && figure.runs.length > 1 ? ` [${figure.runs.map(format).join(', ')}]` : '';
    console.log(
      `${figure.name.padEnd(40)} ${format(figure.value).padStart(10)} ${figure.unit}${figure.target ? `   (target ${figure.target})` : ''}${verdict ? ` ${verdict}` : ''}${spread}`,
    );
  }
}
