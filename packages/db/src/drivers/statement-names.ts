/** Statements beyond this many distinct SQL texts run unnamed (unprepared), so memory stays bounded. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * Leads a statement whose best plan depends on its values (a search term: rare
 * terms want the trigram index, frequent ones the sort index). PostgreSQL plans a
 * named statement for its values five times, then may keep one generic plan for
 * any value, which read every row of a large user for a rare term; an unnamed
 * statement is planned for its values on every call.
 */
export const PLAN_EACH_CALL = "/* plan each call */ ";

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
    if (sql.startsWith(PLAN_EACH_CALL)) return "";
    // node-postgres treats an empty name as an unnamed statement.
    if (names.size >= MAX_NAMED_STATEMENTS) return "";
    const name = `s${names.size + 1}`;
    names.set(sql, name);
    return name;
  };
}
