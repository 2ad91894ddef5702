// Number and table formatting for the report: pure, so it is tested directly.

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const milliseconds = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export function formatInteger(value: number): string {
  return integer.format(value);
}

export function formatMs(value: number): string {
  return milliseconds.format(value);
}

/** project ÷ baseline; NaN when there is nothing to divide by. */
export function ratio(project: number, baseline: number): number {
  return baseline > 0 ? project / baseline : Number.NaN;
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "—";
}

/** CPU seconds per second as a share of one core: "38 %". */
export function formatCpuShare(share: number | null): string {
  return share === null ? "n/a" : `${Math.round(share * 100)} %`;
}

export function formatMebibytes(bytes: number | null): string {
  return bytes === null ? "n/a" : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}
