/** Statements beyond this many distinct SQL texts run unnamed (unprepared), so memory stays bounded. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Names each distinct SQL text once (`s1`, `s2`, …) for `PrismaPg`'s
 * `statementNameGenerator`: node-postgres then prepares a statement once per
 * connection and only binds it afterwards, so PostgreSQL parses and plans each
 * query shape once instead of on every call. The names are process-wide and never
 * reused for another text, which named statements require.
 */
export function statementNamer(): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined) return known;
    // node-postgres treats an empty name as an unnamed statement.
    if (names.size >= MAX_NAMED_STATEMENTS) return "";
    const name = `s${names.size + 1}`;
    names.set(sql, name);
    return name;
  };
}
