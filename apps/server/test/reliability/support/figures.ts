/** Prints a measured figure on its own line, for docs/reliability.md (`grep '^figures'`). */
export function reportFigures(label: string, figures: Record<string, unknown>): void {
  process.stdout.write(`figures ${label}: ${JSON.stringify(figures)}\n`);
}
