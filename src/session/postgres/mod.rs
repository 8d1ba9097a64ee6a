//! The session in PostgreSQL: a council's schema, its lock, LISTEN/NOTIFY, and libpq's settings.
//!
//! A council's session is one schema (by default named after the role that
//! connects, as PostgreSQL's own `"$user"` search path does; `options=-c
//! search_path=<schema>` in the URL names another), marked as thamdinh's by
//! its comment. Its tables are SQLite's (`meta`, `event`, `input`) plus
//! `head`, one row holding the last event id: a write locks that row for its
//! whole transaction, as `BEGIN IMMEDIATE` does in SQLite, and takes its ids
//! from it. Every commit notifies the schema's channel; screens listen.
//! A lost connection is not reopened inside a write (the write fails and is
//! not acknowledged); the next read or write opens a new one.

use std::cell::{Cell, RefCell, RefMut};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use postgres::Client;

use super::store::{Log, Previous, Write};
use super::{APP, Event, SCHEMA_VERSION, chain, utc_now};
use crate::i18n::{fill, say};

mod settings;
use settings::{Settings, Tls, lock_timeout};
pub use settings::{shown, url};
mod tls;

/// How long a write waits for another writer's lock unless told otherwise.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// A quoted SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A quoted SQL string.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// How long after a failed attempt the next reconnection is tried.
const RETRY: Duration = Duration::from_secs(1);

/// A council's session on a PostgreSQL server.
pub(crate) struct Pg {
    settings: Settings,
    client: RefCell<Option<Client>>,
    /// Why the last attempt to reach the server failed, while it cannot be reached.
    lost: RefCell<Option<String>>,
    last_try: Cell<Option<Instant>>,
    /// A write is open: a lost connection is not replaced under it.
    writing: Cell<bool>,
    lock_wait: Cell<Duration>,
    /// In a write: the head row's last id as locked, and the last id given since.
    ids: Cell<Option<(i64, i64)>>,
    /// Statements prepared on this connection, by their text.
    prepared: RefCell<HashMap<String, postgres::Statement>>,
}

impl Pg {
    /// Connects and checks the schema: refused when the database holds
    /// something else or the schema is newer; created (when `create`) in a
    /// database that holds nothing else.
    pub(crate) fn open(url: &str, create: bool) -> Result<Pg> {
        let settings = Settings::of(url)?;
        let mut client = settings.connect(LOCK_WAIT)?;
        check_or_create(&mut client, &settings, create)?;
        Ok(Pg {
            settings,
            client: RefCell::new(Some(client)),
            lost: RefCell::new(None),
            last_try: Cell::new(None),
            writing: Cell::new(false),
            lock_wait: Cell::new(LOCK_WAIT),
            ids: Cell::new(None),
            prepared: RefCell::new(HashMap::new()),
        })
    }

    /// The URL, without its password.
    pub(crate) fn shown(&self) -> &str {
        &self.settings.shown
    }

    /// Why the server cannot be reached now, if it cannot, in a sentence.
    pub(crate) fn lost(&self) -> Option<String> {
        self.lost.borrow().as_ref()?;
        Some(say(|w| fill(w.er_pg_lost, &[&self.settings.shown])))
    }

    /// How long a write waits for another writer's lock before it is refused.
    pub(crate) fn set_lock_wait(&self, wait: Duration) -> Result<()> {
        self.lock_wait.set(wait);
        self.client()?.batch_execute(&lock_timeout(wait))?;
        Ok(())
    }

    /// The connection, opened again when it was lost (not inside a write,
    /// and at most once a second).
    fn client(&self) -> Result<RefMut<'_, Client>> {
        let mut slot = self.client.borrow_mut();
        if slot.as_ref().is_none_or(Client::is_closed) {
            let said =
                || anyhow::anyhow!("{}", say(|w| fill(w.er_pg_lost, &[&self.settings.shown])));
            if self.writing.get() {
                *slot = None;
                *self.lost.borrow_mut() = Some("lost during a write".into());
                let during = say(|w| w.er_pg_lost_in_write.to_string());
                return Err(said().context(during));
            }
            if let Some(t) = self.last_try.get()
                && t.elapsed() < RETRY
                && self.lost.borrow().is_some()
            {
                return Err(said());
            }
            self.last_try.set(Some(Instant::now()));
            match self.settings.connect(self.lock_wait.get()) {
                Ok(c) => {
                    *slot = Some(c);
                    *self.lost.borrow_mut() = None;
                    self.prepared.borrow_mut().clear();
                }
                Err(e) => {
                    tracing::warn!("{}: {e:#}", self.settings.shown);
                    *self.lost.borrow_mut() = Some(format!("{e:#}"));
                    *slot = None;
                    return Err(said());
                }
            }
        }
        Ok(RefMut::map(slot, |c| match c {
            Some(c) => c,
            None => unreachable!("opened just above"),
        }))
    }

    /// Runs a query on the connection; a lost connection is noted and said.
    fn query(
        &self,
        sql: &str,
        args: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>> {
        let mut c = self.client()?;
        let known = self.prepared.borrow().get(sql).cloned();
        let statement = match known {
            Some(st) => st,
            None => {
                let st = c.prepare(sql).map_err(|e| self.failed(&c, e))?;
                self.prepared
                    .borrow_mut()
                    .insert(sql.to_string(), st.clone());
                st
            }
        };
        c.query(&statement, args).map_err(|e| self.failed(&c, e))
    }

    fn execute(&self, sql: &str) -> Result<()> {
        let mut c = self.client()?;
        c.batch_execute(sql).map_err(|e| self.failed(&c, e))
    }

    /// An error of the server, kept as it is (its code tells a busy lock);
    /// or the connection lost under a call, noted and said as such.
    fn failed(&self, c: &Client, e: postgres::Error) -> anyhow::Error {
        let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
        if e.is_closed() || c.is_closed() || io {
            tracing::warn!("{}: {e}", self.settings.shown);
            *self.lost.borrow_mut() = Some(e.to_string());
            return anyhow::anyhow!("{}", say(|w| fill(w.er_pg_lost, &[&self.settings.shown])));
        }
        e.into()
    }

    /// Whether another connection committed since the last look (a
    /// notification came); a connection found again counts as a change.
    pub(crate) fn changed(&self) -> bool {
        let was_lost = self.lost.borrow().is_some();
        let Ok(mut c) = self.client() else {
            return false;
        };
        let mut changed = was_lost;
        {
            // A short wait lets the client read the socket (a plain look only
            // sees what an earlier call happened to read).
            let mut n = c.notifications();
            let mut pending = n.timeout_iter(Duration::from_millis(1));
            while let Ok(Some(_)) =
                postgres::fallible_iterator::FallibleIterator::next(&mut pending)
            {
                changed = true;
            }
        }
        if c.is_closed() {
            *self.lost.borrow_mut() = Some(say(|w| w.er_pg_closed.to_string()));
        }
        changed
    }
}

/// Checks the council's schema on a new connection; creates it when asked
/// and the database holds nothing else. Nothing is changed when refused.
fn check_or_create(client: &mut Client, s: &Settings, create: bool) -> Result<()> {
    let url = &s.shown;
    let marked: Option<Option<String>> = client
        .query_opt(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1",
            &[&s.schema],
        )?
        .map(|r| r.get(0));
    match marked {
        Some(Some(mark)) if mark == APP => check_schema(client, s),
        Some(_) => bail!(
            "{}",
            say(|w| fill(w.er_pg_foreign_schema, &[url, &s.schema]))
        ),
        None if !create => bail!("{}", say(|w| fill(w.er_no_session_at, &[url]))),
        None => create_schema(client, s),
    }
}

fn check_schema(client: &mut Client, s: &Settings) -> Result<()> {
    let url = &s.shown;
    let found = client.query(
        "SELECT key, value FROM meta WHERE key IN ('app', 'schema')",
        &[],
    );
    let rows = found.map_err(|e| {
        anyhow::anyhow!(
            "{}",
            say(|w| fill(
                w.er_pg_foreign_schema,
                &[url, &format!("{} ({e})", s.schema)]
            ))
        )
    })?;
    let get = |k: &str| {
        rows.iter()
            .find(|r| r.get::<_, String>(0) == k)
            .map(|r| r.get::<_, String>(1))
    };
    if get("app").as_deref() != Some(APP) {
        bail!(
            "{}",
            say(|w| fill(w.er_pg_foreign_schema, &[url, &s.schema]))
        );
    }
    let version: i64 = get("schema").and_then(|v| v.parse().ok()).unwrap_or(0);
    if version > SCHEMA_VERSION {
        bail!(
            "{}",
            say(|w| fill(w.er_was_written_by_newer, &[url, &version, &SCHEMA_VERSION]))
        );
    }
    if version < SCHEMA_VERSION {
        upgrade(client, s)?;
    }
    Ok(())
}

/// The server's own guard of who writes an event: the members' login roles
/// (`db_role` in council.toml, kept in `member_role` by the schema's owner),
/// and a trigger that refuses an event row whose signer — its recorder, else
/// its member — is not the connected role's member. A role bound to no member
/// writes nothing but the program's own events (the inputs seen), unless it
/// owns the schema (the secretariat's account); while no role is bound,
/// nothing is refused.
fn role_guard(schema: &str) -> String {
    let sc = ident(schema);
    format!(
        "CREATE TABLE {sc}.member_role (role TEXT PRIMARY KEY, member TEXT NOT NULL);
         CREATE FUNCTION {sc}.event_role() RETURNS trigger LANGUAGE plpgsql AS $guard$
         DECLARE
             bound TEXT;
             signer TEXT := coalesce(NEW.recorder, NEW.member);
         BEGIN
             IF NOT EXISTS (SELECT 1 FROM {sc}.member_role) THEN
                 RETURN NEW;
             END IF;
             SELECT member INTO bound FROM {sc}.member_role WHERE role = session_user;
             IF bound IS NULL THEN
                 IF signer = '' OR EXISTS (
                     SELECT 1 FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner
                      WHERE n.nspname = {lit} AND r.rolname = session_user) THEN
                     RETURN NEW;
                 END IF;
                 RAISE EXCEPTION 'the login role % is no member''s (db_role in council.toml): it records for nobody, not for %', session_user, signer
                     USING ERRCODE = '42501';
             END IF;
             IF signer <> '' AND signer <> bound THEN
                 RAISE EXCEPTION 'the login role % is %''s: it records for them only, not for %', session_user, bound, signer
                     USING ERRCODE = '42501';
             END IF;
             RETURN NEW;
         END
         $guard$;
         CREATE TRIGGER event_role BEFORE INSERT OR UPDATE ON {sc}.event
             FOR EACH ROW EXECUTE FUNCTION {sc}.event_role();",
        lit = literal(schema),
    )
}

/// Binds the members' login roles as council.toml names them, when the
/// connected role owns the schema and they differ from those bound: the
/// bindings replaced, and each role that exists given what a member's
/// commands need (reading and writing the session's rows, reading the
/// bindings, never changing them). Run inside a write.
fn bind_roles(pg: &Pg, council: &crate::model::Council) -> Result<()> {
    let schema = &pg.settings.schema;
    let owner = pg.query(
        "SELECT r.rolname = current_user FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE n.nspname = $1",
        &[schema],
    )?;
    if !owner.first().is_some_and(|r| r.get::<_, bool>(0)) {
        return Ok(());
    }
    let mut wanted: Vec<(String, String)> = council
        .members
        .iter()
        .filter_map(|m| m.db_role.clone().map(|r| (r, m.id.clone())))
        .collect();
    wanted.sort();
    let bound: Vec<(String, String)> = pg
        .query(
            "SELECT role, member FROM member_role ORDER BY role, member",
            &[],
        )?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    if bound == wanted {
        return Ok(());
    }
    pg.execute("DELETE FROM member_role")?;
    let sc = ident(schema);
    for (role, member) in &wanted {
        pg.query(
            "INSERT INTO member_role(role, member) VALUES ($1, $2)",
            &[role, member],
        )?;
        let exists = pg.query("SELECT 1 FROM pg_roles WHERE rolname = $1", &[role])?;
        if !exists.is_empty() {
            let r = ident(role);
            pg.execute(&format!(
                "GRANT USAGE ON SCHEMA {sc} TO {r};
                 GRANT SELECT, INSERT, UPDATE ON {sc}.event, {sc}.meta, {sc}.head, {sc}.input TO {r};
                 GRANT DELETE ON {sc}.input TO {r};
                 GRANT SELECT ON {sc}.member_role TO {r};"
            ))?;
        }
    }
    Ok(())
}

/// Upgrades the council's schema once, in one transaction under the
/// council's lock: 2 → 3, each event gains its recorder and signature, and
/// the events recorded from now on are checked under the rules of who acts.
fn upgrade(client: &mut Client, s: &Settings) -> Result<()> {
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('thamdinh:' || $1::text))",
        &[&s.schema],
    )?;
    let version: i64 = tx
        .query_opt("SELECT value FROM meta WHERE key = 'schema'", &[])?
        .and_then(|r| r.get::<_, String>(0).parse().ok())
        .unwrap_or(0);
    if version < 3 {
        tx.batch_execute(&format!(
            "SET LOCAL search_path TO {sc};
             ALTER TABLE event ADD COLUMN IF NOT EXISTS recorder TEXT;
             ALTER TABLE event ADD COLUMN IF NOT EXISTS sig TEXT;
             {roles}
             INSERT INTO meta VALUES ('{from}', (SELECT (coalesce(max(id), 0) + 1)::text FROM event))
                 ON CONFLICT (key) DO NOTHING;
             UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema';",
            from = super::store::SIGNED_FROM,
            sc = ident(&s.schema),
            roles = role_guard(&s.schema),
        ))?;
    }
    tx.commit().with_context(|| {
        say(|w| {
            fill(
                w.er_upgrading_session,
                &[&s.shown, &version, &SCHEMA_VERSION],
            )
        })
    })?;
    Ok(())
}

/// Creates the council's schema in one transaction, under an advisory lock
/// so that two first decisions at once make it once.
fn create_schema(client: &mut Client, s: &Settings) -> Result<()> {
    let url = &s.shown;
    let mut tx = client.transaction()?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtext('thamdinh:' || $1::text))",
        &[&s.schema],
    )?;
    let there: bool = tx
        .query_one(
            "SELECT count(*) > 0 FROM pg_namespace WHERE nspname = $1",
            &[&s.schema],
        )?
        .get(0);
    if there {
        drop(tx);
        return check_or_create(client, s, false);
    }
    let other: Option<(String, String)> = tx
        .query_opt(
            "SELECT n.nspname::text, c.relname::text FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                AND n.nspname NOT LIKE 'pg\\_%'
                AND coalesce(obj_description(n.oid, 'pg_namespace'), '') <> $1
              ORDER BY 1, 2 LIMIT 1",
            &[&APP],
        )?
        .map(|r| (r.get(0), r.get(1)));
    if let Some((schema, table)) = other {
        bail!(
            "{}",
            say(|w| fill(
                w.er_pg_foreign_database,
                &[url, &format!("{schema}.{table}")]
            ))
        );
    }
    let sc = ident(&s.schema);
    tx.batch_execute(&format!(
        "CREATE SCHEMA {sc};
         COMMENT ON SCHEMA {sc} IS {app};
         SET LOCAL search_path TO {sc};
         CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE head (one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one), last_id BIGINT NOT NULL);
         CREATE TABLE event (
             id BIGINT PRIMARY KEY,
             at TEXT NOT NULL,
             member TEXT NOT NULL,
             kind TEXT NOT NULL,
             unit TEXT,
             code TEXT,
             before TEXT,
             after TEXT,
             comment TEXT NOT NULL DEFAULT '',
             target BIGINT REFERENCES event(id),
             round BIGINT NOT NULL DEFAULT 1,
             hash TEXT NOT NULL,
             recorder TEXT,
             sig TEXT
         );
         CREATE INDEX event_leaf ON event(unit, code);
         CREATE INDEX event_kind ON event(kind);
         CREATE INDEX event_round ON event(round);
         CREATE TABLE input (unit TEXT PRIMARY KEY, leaves TEXT NOT NULL);
         {roles}
         INSERT INTO head VALUES (true, 0);
         INSERT INTO meta VALUES ('app', {app}), ('schema', '{SCHEMA_VERSION}'), ('created', {now}), ('{signed_from}', '1');",
        signed_from = super::store::SIGNED_FROM,
        app = literal(APP),
        now = literal(&utc_now()),
        roles = role_guard(&s.schema),
    ))?;
    tx.commit()
        .with_context(|| say(|w| fill(w.er_creating_session, &[url])))?;
    Ok(())
}

const SELECT_EVENT: &str = "SELECT id, at, member, kind, unit, code, before, after, comment, target, hash, round, recorder, sig FROM event";

fn event_of(r: &postgres::Row) -> Event {
    let empty = |v: Option<String>| v.filter(|v| !v.is_empty());
    Event {
        id: r.get(0),
        at: r.get(1),
        member: r.get(2),
        kind: r.get(3),
        unit: empty(r.get(4)),
        code: empty(r.get(5)),
        before: empty(r.get(6)),
        after: empty(r.get(7)),
        comment: r.get(8),
        target: r.get(9),
        hash: r.get(10),
        round: r.get(11),
        recorder: empty(r.get(12)),
        sig: empty(r.get(13)),
    }
}

impl Log for Pg {
    fn raw(&self, after: i64, limit: i64) -> Result<Vec<Event>> {
        // Read in pages of the primary key: a bounded LIMIT keeps the plan
        // on its index whatever the table's statistics say (a table never
        // analysed would otherwise be scanned whole and sorted at every open).
        const PAGE: i64 = 2_000;
        let mut out: Vec<Event> = Vec::new();
        loop {
            let from = out.last().map_or(after, |e| e.id);
            let want = (limit - out.len() as i64).min(PAGE);
            if want <= 0 {
                break;
            }
            let rows = self.query(
                &format!("{SELECT_EVENT} WHERE id > $1 ORDER BY id LIMIT $2"),
                &[&from, &want],
            )?;
            let got = rows.len() as i64;
            out.extend(rows.iter().map(event_of));
            if got < want {
                break;
            }
        }
        Ok(out)
    }

    fn head_before(&self, id: i64) -> Result<Option<chain::Head>> {
        let rows = self.query(
            "SELECT id, hash FROM event WHERE id < $1 ORDER BY id DESC LIMIT 1",
            &[&id],
        )?;
        Ok(rows.first().map(|r| chain::Head {
            id: r.get(0),
            hash: r.get(1),
        }))
    }

    fn event(&self, id: i64) -> Result<Event> {
        let rows = self.query(&format!("{SELECT_EVENT} WHERE id = $1"), &[&id])?;
        rows.first()
            .map(event_of)
            .ok_or_else(|| anyhow::anyhow!("event {id}: not in the log"))
    }

    fn current_of(&self, unit: &str, code: &str) -> Result<Option<Event>> {
        let rows = self.query(
            &format!(
                "{SELECT_EVENT} WHERE unit = $1 AND code = $2 AND kind IN ('decide','undo','redo') ORDER BY id DESC LIMIT 1"
            ),
            &[&unit, &code],
        )?;
        Ok(rows.first().map(event_of))
    }

    fn leaf(&self, unit: &str, code: &str) -> Result<Vec<Event>> {
        let rows = self.query(
            &format!(
                "{SELECT_EVENT} WHERE unit = $1 AND code = $2 AND kind IN ('decide','undo','redo') ORDER BY id"
            ),
            &[&unit, &code],
        )?;
        Ok(rows.iter().map(event_of).collect())
    }

    fn comment_before(&self, target: &Event) -> Result<String> {
        let rows = self.query(
            "SELECT comment FROM event WHERE unit = $1 AND code = $2 AND kind IN ('decide','undo','redo') AND id < $3 ORDER BY id DESC LIMIT 1",
            &[&target.unit, &target.code, &target.id],
        )?;
        Ok(rows.first().map(|r| r.get(0)).unwrap_or_default())
    }

    fn round(&self) -> Result<i64> {
        let rows = self.query("SELECT coalesce(max(round), 1)::bigint FROM event", &[])?;
        Ok(rows.first().map(|r| r.get(0)).unwrap_or(1))
    }

    fn append(&self, e: &mut Event, seal: &dyn Fn(&mut Event) -> Result<()>) -> Result<()> {
        let Some((locked, last)) = self.ids.get() else {
            bail!("an event is appended only inside a write");
        };
        e.id = last + 1;
        self.ids.set(Some((locked, e.id)));
        let previous = self.previous()?;
        e.hash = chain::link(&previous.follow().0, &chain::record(e));
        seal(e)?;
        self.query(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash, recorder, sig) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            &[&e.id, &e.at, &e.member, &e.kind, &e.unit, &e.code, &e.before, &e.after, &e.comment, &e.target, &e.round, &e.hash, &e.recorder, &e.sig],
        )?;
        self.keep_head(e, &previous)
    }

    fn put(&self, e: &Event) -> Result<()> {
        self.query(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash, recorder, sig) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            &[&e.id, &e.at, &e.member, &e.kind, &e.unit, &e.code, &e.before, &e.after, &e.comment, &e.target, &e.round, &e.hash, &e.recorder, &e.sig],
        )?;
        if let Some((locked, last)) = self.ids.get() {
            self.ids.set(Some((locked, last.max(e.id))));
        }
        self.keep_head(e, &Previous::Kept(chain::Head::default()))
    }

    fn inputs(&self) -> Result<HashMap<String, String>> {
        let rows = self.query("SELECT unit, leaves FROM input", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    fn meta(&self, key: &str) -> Result<Option<String>> {
        let rows = self.query("SELECT value FROM meta WHERE key = $1", &[&key])?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.query(
            "INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&key, &value],
        )?;
        Ok(())
    }

    fn bind_roles(&self, council: &crate::model::Council) -> Result<()> {
        bind_roles(self, council)
    }

    fn see_inputs(&self, now: &[(String, String)], fingerprint: &str) -> Result<()> {
        self.query("DELETE FROM input", &[])?;
        for (unit, leaves) in now {
            self.query(
                "INSERT INTO input(unit, leaves) VALUES ($1, $2)",
                &[unit, leaves],
            )?;
        }
        self.query(
            "INSERT INTO meta(key, value) VALUES ('inputs', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&fingerprint],
        )?;
        Ok(())
    }
}

/// A write: a transaction holding the council's head row, rolled back when
/// dropped uncommitted; its commit notifies the other screens.
pub(crate) struct PgWrite<'c> {
    pg: &'c Pg,
    open: bool,
}

impl<'c> PgWrite<'c> {
    pub(crate) fn begin(pg: &'c Pg) -> Result<PgWrite<'c>> {
        pg.execute("BEGIN")?;
        pg.writing.set(true);
        let w = PgWrite { pg, open: true };
        let rows = pg.query("SELECT last_id FROM head FOR UPDATE", &[])?;
        let last: i64 = rows
            .first()
            .map(|r| r.get(0))
            .ok_or_else(|| anyhow::anyhow!("the session's head row is missing"))?;
        pg.ids.set(Some((last, last)));
        Ok(w)
    }
}

impl Write for PgWrite<'_> {
    fn log(&self) -> &dyn Log {
        self.pg
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        if let Some((locked, last)) = self.pg.ids.take()
            && last > locked
        {
            self.pg.query("UPDATE head SET last_id = $1", &[&last])?;
        }
        let channel = ident(&self.pg.settings.schema);
        let done = self.pg.execute(&format!("NOTIFY {channel}; COMMIT"));
        self.open = false;
        self.pg.writing.set(false);
        done
    }
}

impl Drop for PgWrite<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.pg.execute("ROLLBACK");
            self.pg.writing.set(false);
            self.pg.ids.set(None);
        }
    }
}

/// Whether an error is PostgreSQL's "another writer holds the council's lock" (after the wait).
pub fn is_busy(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<postgres::Error>())
        .any(|e| e.code() == Some(&postgres::error::SqlState::LOCK_NOT_AVAILABLE))
}
