//! The SQL, written once with `?` placeholders; PostgreSQL gets `$1, $2, ...`.

/// Which database a query is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The query with this database's placeholders and its null-safe
    /// "differs from" for `{distinct}`. The SQL here has no `?`
    /// inside string literals, so every `?` is a placeholder; it is built
    /// from the constants below and placeholders only, never from data,
    /// which is why it may be marked safe.
    pub(crate) fn sql(self, template: &str) -> sqlx::AssertSqlSafe<String> {
        sqlx::AssertSqlSafe(self.text(template))
    }

    /// Null-safe "differs from", written `{distinct}` in the SQL here.
    fn distinct(self) -> &'static str {
        match self {
            Dialect::Sqlite => "IS NOT",
            Dialect::Postgres => "IS DISTINCT FROM",
        }
    }

    /// An aggregate joining `column`'s text over all rows, a line each: many
    /// rows come back as one value, and each row fetched one by one costs
    /// far more than reading it.
    pub(crate) fn lines_of(self, column: &str) -> String {
        match self {
            Dialect::Sqlite => format!("group_concat({column}, char(10))"),
            Dialect::Postgres => format!("string_agg({column}, chr(10))"),
        }
    }

    /// An aggregate giving `columns` of all rows as one JSON array of
    /// arrays (NULL when there are no rows), for the same reason.
    pub(crate) fn json_rows_of(self, columns: &str) -> String {
        match self {
            Dialect::Sqlite => format!("json_group_array(json_array({columns}))"),
            Dialect::Postgres => format!("CAST(json_agg(json_build_array({columns})) AS TEXT)"),
        }
    }

    /// `aggregate` over `columns` of the rows of `table` that belong to
    /// `cases` case ids (one placeholder each). PostgreSQL looks up
    /// each case through the index (`OFFSET 0` keeps the lookup per case):
    /// with `case_id IN (...)` it may scan the whole table while a
    /// fast-growing table's statistics are old.
    pub(crate) fn of_cases(
        self,
        aggregate: &str,
        columns: &str,
        table: &str,
        cases: usize,
    ) -> String {
        match self {
            Dialect::Sqlite => format!(
                "SELECT {aggregate} AS result FROM {table} WHERE case_id IN ({})",
                vec!["?"; cases].join(", ")
            ),
            Dialect::Postgres => format!(
                "SELECT {aggregate} AS result FROM (VALUES {}) AS wanted (id) \
                 CROSS JOIN LATERAL (SELECT {columns} FROM {table} \
                 WHERE case_id = wanted.id OFFSET 0) AS found",
                vec!["(?)"; cases].join(", ")
            ),
        }
    }

    /// Starts a transaction that writes. SQLite must take the write lock at
    /// once: a transaction that reads first and upgrades later fails with
    /// "database is locked" when another connection wrote in between, without
    /// waiting for the busy timeout.
    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }

    fn text(self, template: &str) -> String {
        let template = template.replace("{distinct}", self.distinct());
        match self {
            Dialect::Sqlite => template,
            Dialect::Postgres => {
                let mut out = String::with_capacity(template.len() + 16);
                let mut n = 0;
                for c in template.chars() {
                    if c == '?' {
                        n += 1;
                        out.push('$');
                        out.push_str(&n.to_string());
                    } else {
                        out.push(c);
                    }
                }
                out
            }
        }
    }
}

/// Statement sizes on SQLite: a statement for n rows is written for the
/// first size at or above n, and the last row repeated to fill it. Each
/// other size is another SQL text, and SQLite compiles a text it has not
/// cached anew: for a few hundred rows of a dozen columns that took about
/// 5% of the writer's time when every batch brought sizes of its own.
const SQLITE_SIZES: [usize; 14] = [1, 2, 4, 8, 16, 32, 64, 128, 192, 256, 384, 512, 768, 1000];

/// Rows per statement that writes or looks up events, cases or clocks: a
/// batch of 1,000 events takes a few statements, each a round trip to the
/// database, and 1,000 clocks of 13 columns stay well under both databases'
/// limits on parameters (32,766 and 65,535).
pub(crate) const ROWS_PER_STATEMENT: usize = 1000;

impl Dialect {
    /// How many rows a statement for `rows` rows is written with: on SQLite
    /// one of a few sizes (see `SQLITE_SIZES`), so its compiled form is
    /// cached; on PostgreSQL `rows`, since a repeated row there is an error
    /// in an upsert and a second result in a lookup.
    ///
    /// Only for statements where a repeated row changes nothing: inserts
    /// that skip or update a row already there (the repeat finds the row it
    /// just wrote, the same), deletes, and lookups with `IN`.
    pub(crate) fn rows_for(self, rows: usize) -> usize {
        match self {
            Dialect::Sqlite => SQLITE_SIZES
                .iter()
                .copied()
                .find(|&size| size >= rows)
                .unwrap_or(rows),
            Dialect::Postgres => rows,
        }
    }
}

/// `items`, with the last repeated to make `rows` in all (see
/// `Dialect::rows_for`).
pub(crate) fn padded<T>(items: &[T], rows: usize) -> impl Iterator<Item = &T> {
    let repeats = rows.saturating_sub(items.len());
    items
        .iter()
        .chain(items.last().into_iter().cycle().take(repeats))
}

/// `(?, ?, ?), (?, ?, ?)`: placeholders for `rows` rows of `columns` values.
pub(crate) fn value_rows(rows: usize, columns: usize) -> String {
    let row = format!("({})", vec!["?"; columns].join(", "));
    vec![row; rows].join(", ")
}

pub(crate) const INSERT_CATALOG: &str = "INSERT INTO catalog_versions \
    (catalog_id, valid_from, toml, parsed, stored_at, stored_by) VALUES (?, ?, ?, ?, ?, ?)";

pub(crate) const SELECT_CATALOGS: &str = "SELECT catalog_id, valid_from, toml, stored_at, stored_by \
    FROM catalog_versions WHERE catalog_id = ? ORDER BY valid_from";

pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (at, actor, via, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)";

pub(crate) const SELECT_AUDIT: &str = "SELECT seq, at, actor, via, action, subject, detail \
    FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?";

pub(crate) const EVENT_COLUMNS: usize = 6;

pub(crate) const INSERT_EVENTS: &str =
    "INSERT INTO events (event_id, case_id, kind, at, body, stored_at) VALUES ";

pub(crate) const SELECT_CASE_EVENTS: &str =
    "SELECT body FROM events WHERE case_id = ? ORDER BY at, event_id";

pub(crate) const CASE_COLUMNS: usize = 7;

pub(crate) const INSERT_CASES: &str = "INSERT INTO cases \
    (case_id, case_type, municipality, team, received_at, catalog_valid_from, updated_at) VALUES ";

/// A case row is rewritten only when something in it changed: most new
/// events leave the case as it was. `{distinct}` is the dialect's null-safe
/// "differs" (`IS NOT` or `IS DISTINCT FROM`).
pub(crate) const UPSERT_CASES_TAIL: &str = "ON CONFLICT (case_id) DO UPDATE SET \
    case_type = excluded.case_type, municipality = excluded.municipality, team = excluded.team, \
    received_at = excluded.received_at, catalog_valid_from = excluded.catalog_valid_from, \
    updated_at = excluded.updated_at \
    WHERE (cases.case_type, cases.municipality, cases.team, cases.received_at, cases.catalog_valid_from) \
    {distinct} (excluded.case_type, excluded.municipality, excluded.team, excluded.received_at, \
    excluded.catalog_valid_from)";

/// What an upsert of a clock sets, except its deadline and team; `notified`
/// stays, so the scheduler still knows which state it has told the team about.
macro_rules! clock_update {
    () => {
        "ON CONFLICT (case_id, norm_id) DO UPDATE SET \
         kind = excluded.kind, state = excluded.state, case_type = excluded.case_type, \
         channel = excluded.channel, municipality = excluded.municipality, \
         start_at = excluded.start_at, stop_at = excluded.stop_at, \
         at_risk_from = excluded.at_risk_from, message = excluded.message"
    };
}

/// Only a clock that differs from the stored one is rewritten: the store
/// sends changed clocks only, but a statement may repeat its last row (see
/// `Dialect::rows_for`).
macro_rules! clock_changed {
    () => {
        " WHERE (clocks.kind, clocks.state, clocks.case_type, clocks.channel, clocks.municipality, \
         clocks.start_at, clocks.stop_at, clocks.at_risk_from, clocks.message, clocks.deadline, \
         clocks.team) {distinct} (excluded.kind, excluded.state, excluded.case_type, \
         excluded.channel, excluded.municipality, excluded.start_at, excluded.stop_at, \
         excluded.at_risk_from, excluded.message, excluded.deadline, excluded.team)"
    };
}

/// A clock row replaced in place, whole.
pub(crate) const UPSERT_CLOCKS_TAIL: &str = concat!(
    clock_update!(),
    ", deadline = excluded.deadline, team = excluded.team",
    clock_changed!()
);

/// The same for a clock whose deadline and team stay as stored: a column
/// that is set is rewritten in every index that holds it, also when its
/// value stays the same, and `clocks_due` and `clocks_team_open` are keyed
/// on these two.
pub(crate) const UPSERT_CLOCKS_IN_PLACE_TAIL: &str = concat!(clock_update!(), clock_changed!());

pub(crate) const CLOCK_COLUMNS: usize = 13;

/// A clock's columns, in the order they are written and read. A macro so
/// that the statements below can be made with `concat!`.
macro_rules! clock_fields {
    () => {
        "case_id, norm_id, kind, state, case_type, channel, municipality, team, \
         start_at, stop_at, deadline, at_risk_from, message"
    };
}

pub(crate) const CLOCK_FIELDS: &str = clock_fields!();

pub(crate) const INSERT_CLOCKS: &str =
    concat!("INSERT INTO clocks (", clock_fields!(), ") VALUES ");

pub(crate) const SELECT_CLOCKS: &str = concat!("SELECT ", clock_fields!(), " FROM clocks");

/// A clock without a stop that still asks for work: one that runs, waits or
/// is at risk, or a term or notice that was missed and is still owed. A met
/// clock without a stop (a tussenbericht no longer needed) and a missed
/// limit (a call answered late) ask for nothing more.
pub(crate) const WORK_TO_DO: &str = "(state IN ('lopend', 'gepauzeerd', 'dreigt_te_verlopen') \
    OR (state = 'niet_gehaald' AND kind IN ('deadline', 'tussenbericht')))";

pub(crate) const INSERT_TOKEN: &str =
    "INSERT INTO api_tokens (name, hash, scopes, created_at) VALUES (?, ?, ?, ?)";

pub(crate) const SELECT_TOKEN: &str =
    "SELECT name, scopes FROM api_tokens WHERE hash = ? AND revoked_at IS NULL";

/// Clocks whose deadline passed while they ran are missed. These and the
/// next statement name `deadline IS NOT NULL AND stop_at IS NULL` (true of
/// every running clock) so that they read the index of open clocks.
pub(crate) const MARK_MISSED: &str = "UPDATE clocks SET state = 'niet_gehaald' \
    WHERE state IN ('lopend', 'dreigt_te_verlopen') AND kind IN ('deadline', 'tussenbericht') \
    AND deadline IS NOT NULL AND stop_at IS NULL AND deadline < ?";

/// Running clocks past their at-risk moment are at risk.
pub(crate) const MARK_AT_RISK: &str = "UPDATE clocks SET state = 'dreigt_te_verlopen' \
    WHERE state = 'lopend' AND kind IN ('deadline', 'tussenbericht') \
    AND deadline IS NOT NULL AND stop_at IS NULL AND at_risk_from <= ?";

/// One notification per clock that reached a state worth telling, at most
/// once: a tussenbericht clock at risk means the notice is owed.
pub(crate) const QUEUE_NOTIFICATIONS: &str = "INSERT INTO outbox \
    (dedupe_key, created_at, kind, case_id, norm_id, team, deadline) \
    SELECT case_id || '|' || norm_id || '|' || state, ?, \
    CASE WHEN kind = 'tussenbericht' AND state = 'dreigt_te_verlopen' THEN 'tussenbericht_verschuldigd' ELSE state END, \
    case_id, norm_id, team, deadline FROM clocks \
    WHERE state IN ('dreigt_te_verlopen', 'niet_gehaald') AND kind IN ('deadline', 'tussenbericht') \
    AND (notified IS NULL OR notified <> state) \
    ON CONFLICT (dedupe_key) DO NOTHING";

/// After `QUEUE_NOTIFICATIONS`: those clocks are done until their state
/// changes. Only clocks whose notification is there: on PostgreSQL a clock
/// judged at risk by a commit between the two statements must wait for the
/// next pass, not be marked without its notification.
pub(crate) const MARK_NOTIFIED: &str = "UPDATE clocks SET notified = state \
    WHERE state IN ('dreigt_te_verlopen', 'niet_gehaald') AND kind IN ('deadline', 'tussenbericht') \
    AND (notified IS NULL OR notified <> state) \
    AND EXISTS (SELECT 1 FROM outbox o \
    WHERE o.dedupe_key = clocks.case_id || '|' || clocks.norm_id || '|' || clocks.state)";

/// The columns `store::outbox_item!` reads.
pub(crate) const OUTBOX_COLUMNS: &str =
    "id, created_at, kind, case_id, norm_id, team, deadline, sent_at";

pub(crate) const SELECT_OUTBOX: &str = "SELECT id, created_at, kind, case_id, norm_id, team, deadline, sent_at \
    FROM outbox WHERE id > ? ORDER BY id LIMIT ?";

pub(crate) const SELECT_OUTBOX_OF_TEAM: &str = "SELECT id, created_at, kind, case_id, norm_id, team, deadline, sent_at \
    FROM outbox WHERE id > ? AND team = ? ORDER BY id LIMIT ?";

pub(crate) const SELECT_CASE: &str = "SELECT case_id, case_type, municipality, team, received_at, \
    catalog_valid_from FROM cases WHERE case_id = ?";

/// Cases a report over a window may count: received before its end, with a
/// clock that starts or falls due in or after the window, or has no deadline
/// yet. Paged by case id.
pub(crate) const SELECT_REPORT_CASES: &str = "SELECT DISTINCT c.case_id FROM clocks c \
     JOIN cases k ON k.case_id = c.case_id \
     WHERE k.received_at <= ? AND c.case_id > ? \
     AND (c.deadline >= ? OR c.start_at >= ? OR c.deadline IS NULL) \
     ORDER BY c.case_id LIMIT ?";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_gets_numbered_placeholders() {
        assert_eq!(
            Dialect::Postgres.text("SELECT a FROM t WHERE b = ? AND c IN (?, ?)"),
            "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"
        );
        assert_eq!(value_rows(2, 3), "(?, ?, ?), (?, ?, ?)");
    }

    #[test]
    fn sqlite_statements_come_in_a_few_sizes() {
        for rows in 1..=ROWS_PER_STATEMENT {
            let size = Dialect::Sqlite.rows_for(rows);
            assert!(
                size >= rows && SQLITE_SIZES.contains(&size),
                "{rows} -> {size}"
            );
            assert_eq!(Dialect::Postgres.rows_for(rows), rows);
        }
        // A full chunk of the store is not padded.
        assert_eq!(
            Dialect::Sqlite.rows_for(ROWS_PER_STATEMENT),
            ROWS_PER_STATEMENT
        );
        assert_eq!(Dialect::Sqlite.rows_for(129), 192);
    }

    #[test]
    fn padding_repeats_the_last_row() {
        let rows: Vec<i32> = padded(&[1, 2, 3], 5).copied().collect();
        assert_eq!(rows, [1, 2, 3, 3, 3]);
        let rows: Vec<i32> = padded(&[1, 2, 3], 3).copied().collect();
        assert_eq!(rows, [1, 2, 3]);
        assert_eq!(padded::<i32>(&[], 4).count(), 0);
    }
}
