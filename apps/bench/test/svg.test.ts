import { describe, expect, it } from "vitest";
import type { Comparison } from "../src/report/compare.ts";
import { axisMaximum, escapeXml, renderRatioChart } from "../src/report/svg.ts";

const comparisons: Comparison[] = [
  {
    target: "project",
    scenario: "rest list",
    operation: "list",
    throughputRatio: 0.82,
    p99Ratio: 1.1,
  },
  {
    target: "project",
    scenario: "trpc <batch>",
    operation: "batch",
    throughputRatio: 0.5,
    p99Ratio: 2.7,
  },
];

describe("ratio chart", () => {
  it("draws two bars per comparison, labelled with their ratios", () => {
    const svg = renderRatioChart(comparisons);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<rect x="230"/g)).toHaveLength(4);
    expect(svg).toContain(">0.82×<");
    expect(svg).toContain(">2.70×<");
    expect(svg).toContain("project · trpc &#60;batch&#62;");
  });

  it("scales the axis to the largest ratio, at least 2×", () => {
    expect(axisMaximum(comparisons)).toBe(3);
    expect(axisMaximum(comparisons.slice(0, 1))).toBe(2);
  });

  it("says so when there is nothing to compare", () => {
    expect(renderRatioChart([])).toContain("only the baseline was measured");
  });

  it("escapes XML specials", () => {
    expect(escapeXml(`a<b>&"c'`)).toBe("a&#60;b&#62;&#38;&#34;c&#39;");
  });
});
