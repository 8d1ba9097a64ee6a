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
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use postgres::{Client, Config, NoTls};

use super::store::{Log, Write};
use super::{APP, Event, SCHEMA_VERSION, chain, utc_now};
use crate::i18n::{fill, say};

/// Whether a session place is a PostgreSQL URL (else a SQLite file).
pub fn url(place: &Path) -> Option<&str> {
    let s = place.to_str()?;
    (s.starts_with("postgres://") || s.starts_with("postgresql://")).then_some(s)
}

/// A URL as it may be shown: without its password.
pub fn shown(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((who, host)) => format!("{}@{host}", who.split(':').next().unwrap_or(who)),
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.starts_with("password="))
                .collect();
            if kept.is_empty() {
                path.to_string()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// The TLS a URL asks for (libpq's `sslmode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tls {
    /// Never.
    Disable,
    /// When the server offers it (`allow`, `prefer`), unverified; plain otherwise.
    Prefer,
    /// Always, the server's certificate unverified (unless a root
    /// certificate is at hand, as libpq does), `require`.
    Require,
    /// Always, the certificate signed by the root certificate (`verify-ca`).
    VerifyCa,
    /// And issued for the host connected to (`verify-full`).
    VerifyFull,
}

/// Connection settings read as libpq reads them: the URL, then the `PG*`
/// variables for what it leaves out, the password from `PGPASSWORD` or the
/// password file (`PGPASSFILE`, else `~/.pgpass`).
struct Settings {
    config: Config,
    tls: Tls,
    /// The root certificate(s) a server's certificate is checked against.
    root: Option<PathBuf>,
    schema: String,
    shown: String,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Settings {
    fn of(url: &str) -> Result<Settings> {
        let shown = shown(url);
        let refused = |text: String| anyhow::anyhow!("{text}");
        // Parameters libpq knows and the client does not: read here.
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let mut sslmode = env("PGSSLMODE");
        let mut passfile = env("PGPASSFILE");
        let mut rootcert = env("PGSSLROOTCERT");
        let mut rest = Vec::new();
        for p in query.split('&').filter(|p| !p.is_empty()) {
            match p.split_once('=') {
                Some(("sslmode", v)) => sslmode = Some(decode(v)),
                Some(("passfile", v)) => passfile = Some(decode(v)),
                Some(("sslrootcert", v)) => rootcert = Some(decode(v)),
                _ => rest.push(p),
            }
        }
        let url = if rest.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", rest.join("&"))
        };
        let mut config: Config = url.parse().map_err(|e| {
            tracing::warn!("{shown}: {e:#}");
            refused(say(|w| fill(w.er_pg_url, &[&shown])))
        })?;
        let tls = match sslmode.as_deref().unwrap_or("prefer") {
            "disable" => Tls::Disable,
            "allow" | "prefer" => Tls::Prefer,
            "require" => Tls::Require,
            "verify-ca" => Tls::VerifyCa,
            "verify-full" => Tls::VerifyFull,
            other => return Err(refused(say(|w| fill(w.er_pg_sslmode, &[&shown, &other])))),
        };
        if config.get_hosts().is_empty() {
            match env("PGHOST") {
                Some(h) if h.starts_with('/') => config.host_path(h),
                Some(h) => config.host(&h),
                None if Path::new("/var/run/postgresql").is_dir() => {
                    config.host_path("/var/run/postgresql")
                }
                None => config.host("localhost"),
            };
        }
        if config.get_ports().is_empty()
            && let Some(p) = env("PGPORT").and_then(|p| p.parse().ok())
        {
            config.port(p);
        }
        if config.get_user().is_none() {
            let user = env("PGUSER")
                .or_else(|| env("USER"))
                .or_else(|| env("LOGNAME"))
                .ok_or_else(|| refused(say(|w| fill(w.er_pg_no_user, &[&shown]))))?;
            config.user(&user);
        }
        let user = config.get_user().unwrap_or_default().to_string();
        if config.get_dbname().is_none() {
            config.dbname(&env("PGDATABASE").unwrap_or_else(|| user.clone()));
        }
        if config.get_options().is_none()
            && let Some(o) = env("PGOPTIONS")
        {
            config.options(&o);
        }
        if config.get_connect_timeout().is_none() {
            let secs = env("PGCONNECT_TIMEOUT")
                .and_then(|s| s.parse().ok())
                .unwrap_or(5);
            config.connect_timeout(Duration::from_secs(secs));
        }
        if config.get_application_name().is_none() {
            config.application_name("thamdinh");
        }
        if config.get_password().is_none() {
            let password = env("PGPASSWORD").or_else(|| {
                let file = passfile
                    .map(PathBuf::from)
                    .or_else(|| env("HOME").map(|h| Path::new(&h).join(".pgpass")))?;
                password_in(&file, &config)
            });
            if let Some(p) = password {
                config.password(p);
            }
        }
        let schema = config
            .get_options()
            .and_then(search_path)
            .unwrap_or_else(|| user.clone());
        // libpq's default root certificate, when none is named.
        let root = rootcert.map(PathBuf::from).or_else(|| {
            let home = env("HOME")?;
            Some(Path::new(&home).join(".postgresql/root.crt")).filter(|p| p.exists())
        });
        Ok(Settings {
            config,
            tls,
            root,
            schema,
            shown,
        })
    }

    /// A new connection in the council's schema, listening on its channel,
    /// waiting at most `lock_wait` for another writer's lock.
    fn connect(&self, lock_wait: Duration) -> Result<Client> {
        let client = match self.tls {
            Tls::Disable => self.config.connect(NoTls),
            mode => {
                let mut config = self.config.clone();
                config.ssl_mode(match mode {
                    Tls::Prefer => postgres::config::SslMode::Prefer,
                    _ => postgres::config::SslMode::Require,
                });
                let tls = tls::connector(mode, self.root.as_deref()).map_err(|e| {
                    anyhow::anyhow!("{}", say(|w| fill(w.er_pg_tls, &[&self.shown, &e])))
                })?;
                config.connect(tls)
            }
        };
        let mut client = client.map_err(|e| {
            tracing::warn!("{}: {e:#}", self.shown);
            anyhow::anyhow!(
                "{}",
                say(|w| fill(w.er_pg_unreachable, &[&self.shown, &cause(&e)]))
            )
        })?;
        client.batch_execute(&format!(
            "SET search_path TO {0}; LISTEN {0}; {1}",
            ident(&self.schema),
            lock_timeout(lock_wait)
        ))?;
        Ok(client)
    }
}

/// Why a connection failed, in the reader's words: no server there, no
/// answer in time, or what the server said (a wrong password, an unknown
/// database), else the client's own text.
fn cause(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return say(|w| fill(w.pg_cause_server, &[&db.message()]));
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            return match io.kind() {
                NotFound | ConnectionRefused | AddrNotAvailable | HostUnreachable
                | NetworkUnreachable => say(|w| w.pg_cause_no_answer.to_string()),
                TimedOut => say(|w| w.pg_cause_timeout.to_string()),
                _ => io.to_string(),
            };
        }
        source = s.source();
    }
    format!("{e:#}")
}

/// TLS as libpq's `sslmode` asks for it, through rustls.
mod tls {
    use std::path::Path;
    use std::sync::Arc;

    use rustls::client::WebPkiServerVerifier;
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

    use super::Tls;

    /// The connector for a mode: `Prefer` and `Require` (without a root
    /// certificate) encrypt without checking who answers, as libpq does;
    /// `VerifyCa` checks the certificate's signature by the root, `VerifyFull`
    /// its host name too.
    pub(super) fn connector(
        mode: Tls,
        root: Option<&Path>,
    ) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mode = match (mode, root) {
            (Tls::Require, Some(_)) => Tls::VerifyCa,
            (mode, _) => mode,
        };
        let verifier: Arc<dyn ServerCertVerifier> = match mode {
            Tls::VerifyCa | Tls::VerifyFull => {
                let Some(root) = root else {
                    return Err(format!(
                        "sslmode={} needs a root certificate (sslrootcert=… or ~/.postgresql/root.crt)",
                        if mode == Tls::VerifyCa {
                            "verify-ca"
                        } else {
                            "verify-full"
                        }
                    ));
                };
                let mut roots = RootCertStore::empty();
                let certs = CertificateDer::pem_file_iter(root)
                    .map_err(|e| format!("{}: {e}", root.display()))?;
                for cert in certs {
                    let cert = cert.map_err(|e| format!("{}: {e}", root.display()))?;
                    roots
                        .add(cert)
                        .map_err(|e| format!("{}: {e}", root.display()))?;
                }
                let webpki =
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| format!("{}: {e}", root.display()))?;
                if mode == Tls::VerifyFull {
                    webpki
                } else {
                    Arc::new(Lenient {
                        provider: provider.clone(),
                        chain: Some(webpki),
                    })
                }
            }
            _ => Arc::new(Lenient {
                provider: provider.clone(),
                chain: None,
            }),
        };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
    }

    /// A certificate checked against the root (whatever host it names,
    /// `verify-ca`), or not at all (libpq's `prefer`, `require`); the
    /// handshake's signatures are checked either way.
    #[derive(Debug)]
    struct Lenient {
        provider: Arc<CryptoProvider>,
        chain: Option<Arc<WebPkiServerVerifier>>,
    }

    impl ServerCertVerifier for Lenient {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, Error> {
            let Some(chain) = &self.chain else {
                return Ok(ServerCertVerified::assertion());
            };
            match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
                Err(Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
                | Err(Error::InvalidCertificate(
                    rustls::CertificateError::NotValidForNameContext { .. },
                )) => Ok(ServerCertVerified::assertion()),
                other => other,
            }
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            let algorithms = &self.provider.signature_verification_algorithms;
            verify_tls12_signature(message, cert, dss, algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, Error> {
            let algorithms = &self.provider.signature_verification_algorithms;
            verify_tls13_signature(message, cert, dss, algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    }
}

/// A percent-decoded URL value.
fn decode(v: &str) -> String {
    percent_encoding::percent_decode_str(v)
        .decode_utf8_lossy()
        .into_owned()
}

/// The first schema of a `-c search_path=…` in the connection's options.
fn search_path(options: &str) -> Option<String> {
    let at = options.find("search_path=")?;
    let value = options[at + "search_path=".len()..]
        .split([' ', ','])
        .next()?
        .trim_matches('"');
    (!value.is_empty()).then(|| value.to_string())
}

/// The password for these settings in a libpq password file
/// (`host:port:database:user:password`, `*` for any, `\` escaping), which
/// libpq ignores unless only its owner may read it. A Unix socket is `localhost`.
fn password_in(file: &Path, config: &Config) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(
                "{}: readable by others, not used (as libpq does)",
                file.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let wanted = [
        host.as_str(),
        port.as_str(),
        config.get_dbname().unwrap_or_default(),
        config.get_user().unwrap_or_default(),
    ];
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|line| {
            let fields = pgpass_fields(line);
            if fields.len() < 5 {
                return None;
            }
            let fits = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f == "*" || f == w);
            fits.then(|| fields[4].clone())
        })
}

/// The fields of one password-file line: `:` separates, `\` escapes.
fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => field.extend(chars.next()),
            ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    fields.push(field);
    fields
}

/// The statement that bounds a wait for a lock.
fn lock_timeout(wait: Duration) -> String {
    format!("SET lock_timeout = '{}ms'", wait.as_millis().max(1))
}

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
             hash TEXT NOT NULL
         );
         CREATE INDEX event_leaf ON event(unit, code);
         CREATE INDEX event_kind ON event(kind);
         CREATE INDEX event_round ON event(round);
         CREATE TABLE input (unit TEXT PRIMARY KEY, leaves TEXT NOT NULL);
         INSERT INTO head VALUES (true, 0);
         INSERT INTO meta VALUES ('app', {app}), ('schema', '{SCHEMA_VERSION}'), ('created', {now});",
        app = literal(APP),
        now = literal(&utc_now()),
    ))?;
    tx.commit()
        .with_context(|| say(|w| fill(w.er_creating_session, &[url])))?;
    Ok(())
}

const SELECT_EVENT: &str = "SELECT id, at, member, kind, unit, code, before, after, comment, target, hash, round FROM event";

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

    fn append(&self, e: &mut Event) -> Result<()> {
        let Some((locked, last)) = self.ids.get() else {
            bail!("an event is appended only inside a write");
        };
        e.id = last + 1;
        self.ids.set(Some((locked, e.id)));
        let previous = self.head_before(e.id)?.map(|h| h.hash).unwrap_or_default();
        e.hash = chain::link(&previous, &chain::record(e));
        self.query(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[&e.id, &e.at, &e.member, &e.kind, &e.unit, &e.code, &e.before, &e.after, &e.comment, &e.target, &e.round, &e.hash],
        )?;
        Ok(())
    }

    fn put(&self, e: &Event) -> Result<()> {
        self.query(
            "INSERT INTO event(id, at, member, kind, unit, code, before, after, comment, target, round, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            &[&e.id, &e.at, &e.member, &e.kind, &e.unit, &e.code, &e.before, &e.after, &e.comment, &e.target, &e.round, &e.hash],
        )?;
        if let Some((locked, last)) = self.ids.get() {
            self.ids.set(Some((locked, last.max(e.id))));
        }
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_url_has_no_password() {
        assert_eq!(
            shown("postgres://an:bí-mật@db.local:5433/cchc?sslmode=require&password=x"),
            "postgres://an@db.local:5433/cchc?sslmode=require"
        );
        assert_eq!(
            shown("postgresql:///cchc?host=/tmp"),
            "postgresql:///cchc?host=/tmp"
        );
    }

    #[test]
    fn password_file_lines_split_as_libpq_splits_them() {
        assert_eq!(
            pgpass_fields(r"db\:1:5432:*:an:p\:w\\d:x"),
            vec!["db:1", "5432", "*", "an", r"p:w\d:x"]
        );
    }

    #[test]
    fn the_schema_is_the_first_of_the_search_path_in_the_options() {
        assert_eq!(
            search_path("-c search_path=hanoi,public").as_deref(),
            Some("hanoi")
        );
        assert_eq!(search_path("-csearch_path=\"HN\"").as_deref(), Some("HN"));
        assert_eq!(search_path("-c statement_timeout=5s"), None);
    }
}
