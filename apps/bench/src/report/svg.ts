// A horizontal bar chart of the project ÷ baseline ratios, as plain SVG: one row
// per compared scenario, a bar for req/s and one for p99, a line at 1× (parity).
import type { Comparison } from "./compare.ts";

const WIDTH = 760;
const LABEL_WIDTH = 230;
const ROW_HEIGHT = 34;
const BAR_HEIGHT = 12;
const TOP = 56;
const PLOT_WIDTH = WIDTH - LABEL_WIDTH - 70;
const COLORS = { throughput: "#2b6cb0", p99: "#dd6b20" } as const;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The axis runs to the next half unit above the largest ratio, and at least to 2×. */
export function axisMaximum(comparisons: readonly Comparison[]): number {
  const values = comparisons
    .flatMap((c) => [c.throughputRatio, c.p99Ratio])
    .filter(Number.isFinite);
  return Math.max(2, Math.ceil(Math.max(0, ...values) * 2) / 2);
}

function bar(y: number, value: number, scale: number, color: string): string {
  const width = Number.isFinite(value) ? Math.max(1, value * scale) : 0;
  const label = Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
  return (
    `<rect x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT}" fill="${color}"/>` +
    `<text x="${(LABEL_WIDTH + width + 4).toFixed(1)}" y="${y + BAR_HEIGHT - 2}" font-size="11">${label}</text>`
  );
}

function row(comparison: Comparison, index: number, scale: number): string {
  const y = TOP + index * ROW_HEIGHT;
  const name = escapeXml(`${comparison.target} · ${comparison.scenario}`);
  return (
    `<text x="${LABEL_WIDTH - 8}" y="${y + BAR_HEIGHT + 4}" font-size="12" text-anchor="end">${name}</text>` +
    bar(y, comparison.throughputRatio, scale, COLORS.throughput) +
    bar(y + BAR_HEIGHT + 2, comparison.p99Ratio, scale, COLORS.p99)
  );
}

function frame(height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="12" y="22" font-size="15" font-weight="bold">Project ÷ baseline</text>` +
    `<rect x="12" y="32" width="10" height="10" fill="${COLORS.throughput}"/><text x="26" y="41" font-size="11">requests/s (higher is better)</text>` +
    `<rect x="210" y="32" width="10" height="10" fill="${COLORS.p99}"/><text x="224" y="41" font-size="11">p99 latency (lower is better)</text>` +
    `${body}</svg>\n`
  );
}

export function renderRatioChart(comparisons: readonly Comparison[]): string {
  if (comparisons.length === 0) {
    return frame(
      90,
      `<text x="12" y="72" font-size="12">No project results in this run: only the baseline was measured.</text>`,
    );
  }
  const maximum = axisMaximum(comparisons);
  const scale = PLOT_WIDTH / maximum;
  const bottom = TOP + comparisons.length * ROW_HEIGHT;
  const parityX = (LABEL_WIDTH + scale).toFixed(1);
  const parity =
    `<line x1="${parityX}" y1="${TOP - 6}" x2="${parityX}" y2="${bottom}" stroke="#444" stroke-dasharray="4 3"/>` +
    `<text x="${parityX}" y="${bottom + 14}" font-size="11" text-anchor="middle">1× (baseline)</text>`;
  return frame(
    bottom + 24,
    comparisons.map((comparison, index) => row(comparison, index, scale)).join("") + parity,
  );
}
