//! Connection settings read as libpq reads them: the URL, the `PG*` variables, the password
//! file; the TLS they ask for; a failed connection's cause in words.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Result, bail};
use postgres::{Client, Config, NoTls};

use super::{ident, tls};
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
pub(super) enum Tls {
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
pub(super) struct Settings {
    pub(super) config: Config,
    pub(super) tls: Tls,
    /// The root certificate(s) a server's certificate is checked against.
    pub(super) root: Option<PathBuf>,
    pub(super) schema: String,
    pub(super) shown: String,
}

pub(super) fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Settings {
    pub(super) fn of(url: &str) -> Result<Settings> {
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
        if schema.len() > MAX_NAME {
            let named = crate::text::shown(&schema, 80);
            bail!(
                "{}",
                say(|w| fill(
                    w.er_pg_schema_long,
                    &[&shown, &named, &schema.len(), &MAX_NAME]
                ))
            );
        }
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
    pub(super) fn connect(&self, lock_wait: Duration) -> Result<Client> {
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
        client
            .batch_execute(&format!(
                "SET search_path TO {0}; LISTEN {0}; {1}",
                ident(&self.schema),
                lock_timeout(lock_wait)
            ))
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}",
                    say(|w| fill(w.er_pg_schema_set, &[&self.shown, &self.schema, &cause(&e)]))
                )
            })?;
        Ok(client)
    }
}

/// Why a connection failed, in the reader's words: no server there, no
/// answer in time, or what the server said (a wrong password, an unknown
/// database), else the client's own text.
pub(super) fn cause(e: &postgres::Error) -> String {
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

/// A percent-decoded URL value.
pub(super) fn decode(v: &str) -> String {
    percent_encoding::percent_decode_str(v)
        .decode_utf8_lossy()
        .into_owned()
}

/// The first schema of a `-c search_path=…` in the connection's options.
pub(super) fn search_path(options: &str) -> Option<String> {
    let at = options.find("search_path=")?;
    let value = options[at + "search_path=".len()..]
        .split([' ', ','])
        .next()?
        .trim_matches('"');
    // `$user` is the role that connects, as PostgreSQL reads it.
    (!value.is_empty() && value != "$user").then(|| value.to_string())
}

/// The longest name PostgreSQL keeps whole (`NAMEDATALEN - 1` bytes): longer
/// ones it cuts, so that two councils' schemas could become one.
const MAX_NAME: usize = 63;

/// The password for these settings in a libpq password file
/// (`host:port:database:user:password`, `*` for any, `\` escaping), which
/// libpq ignores unless only its owner may read it. A Unix socket is `localhost`.
pub(super) fn password_in(file: &Path, config: &Config) -> Option<String> {
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
pub(super) fn pgpass_fields(line: &str) -> Vec<String> {
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
pub(super) fn lock_timeout(wait: Duration) -> String {
    format!("SET lock_timeout = '{}ms'", wait.as_millis().max(1))
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
