//! The SQLite and PostgreSQL migrations describe the same schema: same tables, same columns in
//! the same order, same number of constraints per table.

use std::collections::BTreeMap;

type Shape = BTreeMap<String, (Vec<String>, usize)>;

/// Tables → (column names in order, count of CHECK / UNIQUE / REFERENCES / PRIMARY KEY clauses).
fn shape(sql: &str) -> Shape {
    let mut out = Shape::new();
    let text: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    for chunk in text.split("CREATE TABLE ").skip(1) {
        let name = chunk.split_whitespace().next().unwrap_or("").to_owned();
        let body = chunk.split_once('(').map(|(_, b)| b).unwrap_or("");
        // The table body ends at the line that is just ");".
        let body = body.split("\n);").next().unwrap_or("");
        let mut columns = Vec::new();
        let mut constraints = 0;
        for line in body.lines() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let upper = line.to_ascii_uppercase();
            constraints += ["CHECK", "UNIQUE", "REFERENCES", "PRIMARY KEY"]
                .iter()
                .filter(|k| upper.contains(*k))
                .count();
            let first = line.split_whitespace().next().unwrap_or("");
            if !["CHECK", "UNIQUE", "PRIMARY", "FOREIGN", "CONSTRAINT"]
                .contains(&first.to_ascii_uppercase().as_str())
            {
                columns.push(first.to_owned());
            }
        }
        out.insert(name, (columns, constraints));
    }
    out
}

fn read_all(dir: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&path)
        .expect("migrations folder")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("migration"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sqlite_and_postgres_migrations_define_the_same_schema() {
    let lite = shape(&read_all("sqlite"));
    let pg = shape(&read_all("postgres"));
    assert!(
        lite.len() >= 12,
        "expected the foundation tables, found {:?}",
        lite.keys()
    );
    assert_eq!(
        lite.keys().collect::<Vec<_>>(),
        pg.keys().collect::<Vec<_>>(),
        "table names differ"
    );
    for (table, (cols, cons)) in &lite {
        let (pcols, pcons) = &pg[table];
        assert_eq!(cols, pcols, "columns of {table} differ");
        assert_eq!(cons, pcons, "constraints of {table} differ");
    }
    let names = |dir: &str| -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dir);
        let mut v: Vec<String> = std::fs::read_dir(path)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        names("sqlite"),
        names("postgres"),
        "migration files must pair up by name"
    );
}

#[tokio::test]
async fn live_schemas_match_when_postgres_is_available() {
    let lite_db = crate::support::sqlite();
    let lite = orderly::App::open(&lite_db.url).await.expect("sqlite");
    let Some(pg_db) = crate::support::postgres().await else {
        eprintln!("ORDERLY_TEST_PG_URL is not set: live schema comparison skipped");
        return;
    };
    let pg = orderly::App::open(&pg_db.url).await.expect("postgres");
    let lite_cols: Vec<(String, String)> = match lite.db() {
        orderly::db::Db::Sqlite { pool, .. } => sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY m.name, p.name",
        )
        .fetch_all(pool)
        .await
        .expect("sqlite columns"),
        _ => unreachable!(),
    };
    let pg_cols: Vec<(String, String)> = match pg.db() {
        orderly::db::Db::Postgres { pool, .. } => sqlx::query_as(
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await
        .expect("postgres columns"),
        _ => unreachable!(),
    };
    let mut lite_cols = lite_cols;
    let mut pg_cols = pg_cols;
    lite_cols.sort();
    pg_cols.sort();
    assert_eq!(lite_cols, pg_cols);
}
