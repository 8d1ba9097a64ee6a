//! A throwaway PostgreSQL server for the tests: `initdb` and `pg_ctl` in a
//! temporary folder, listening on a Unix socket only, stopped when the test
//! process ends. Each test gets a database of its own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Server {
    pub dir: PathBuf,
    pub socket: PathBuf,
    data: PathBuf,
    bin: PathBuf,
    /// The operating-system user the server runs as (initdb refuses root),
    /// which is also its superuser's name.
    pub user: String,
    /// The port: the socket's name, and with TLS the port on 127.0.0.1.
    pub port: u16,
    /// `-c` settings of its own (TLS).
    options: String,
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// PostgreSQL's programs: on the PATH, else Debian's folder.
fn bin() -> Option<PathBuf> {
    let on_path = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|p| !p.is_empty())
        .map(|p| std::fs::canonicalize(&p).unwrap_or_else(|_| PathBuf::from(p)));
    if let Some(p) = on_path {
        return p.parent().map(Path::to_path_buf);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|b| b.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A server of the caller's own, for a test that stops and starts it;
/// `None` as for [`server`].
pub fn own_server() -> Option<Server> {
    let from = template(server()?);
    bin().map(|b| Server::start_new(b, None, Some(&from)))
}

/// A server of the caller's own that also listens on 127.0.0.1, where it
/// accepts TLS connections only, with this certificate and key (PEM).
pub fn own_tls_server(cert: &str, key: &str) -> Option<Server> {
    let from = template(server()?);
    bin().map(|b| Server::start_new(b, Some((cert, key)), Some(&from)))
}

/// The throwaway server, started on first use; `None` (said once) when
/// PostgreSQL is not installed, which fails in CI, where `.ci/run` installs it.
pub fn server() -> Option<&'static Server> {
    SERVER
        .get_or_init(|| {
            let Some(bin) = bin() else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "PostgreSQL is missing; .ci/run installs it (apt-get install postgresql)"
                );
                eprintln!(
                    "PostgreSQL is not installed: the checks on a PostgreSQL session are skipped (apt-get install postgresql to run them)"
                );
                return None;
            };
            Some(Server::start_new(bin, None, None))
        })
        .as_ref()
}

/// A server's data folder copied whole; `cp -a` keeps the owner and the
/// modes the server checks.
fn copy_data(from: &Path, to: &Path) {
    let o = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "copying {}: {}",
        from.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The folder beside the shared server's data holding a copy of it as
/// `initdb` left it: a server of a test's own starts from a copy of that
/// copy rather than running `initdb` again (a second and more of CPU each).
fn template(shared: &Server) -> PathBuf {
    shared.dir.join("template")
}

impl Server {
    /// A new server: its data a copy of `from`, else made by `initdb` (and
    /// copied to [`template`] for the servers after it).
    fn start_new(bin: PathBuf, tls: Option<(&str, &str)>, from: Option<&Path>) -> Server {
        let dir = tempfile::Builder::new()
            .prefix("thamdinh-pg-")
            .tempdir()
            .unwrap()
            .keep();
        let user = if is_root() {
            let postgres = Command::new("id").arg("postgres").output();
            if postgres.is_ok_and(|o| o.status.success()) {
                "postgres".to_string()
            } else {
                "nobody".to_string()
            }
        } else {
            std::env::var("USER").unwrap_or_else(|_| "postgres".into())
        };
        let socket = dir.join("socket");
        let data = dir.join("data");
        std::fs::create_dir_all(&socket).unwrap();
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", &user])
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success(), "chown of {}", dir.display());
        }
        let port = match tls {
            None => 5432,
            Some(_) => std::net::TcpListener::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port(),
        };
        let mut s = Server {
            dir,
            socket,
            data,
            bin,
            user,
            port,
            options: String::new(),
        };
        match from {
            Some(from) => copy_data(from, &s.data),
            None => {
                // A throwaway server: no need to wait for initdb's files to
                // reach the disk (the server itself runs with fsync on).
                let o = s
                    .as_user("initdb")
                    .args([
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--no-locale",
                        "--no-sync",
                        "-D",
                    ])
                    .arg(&s.data)
                    .output()
                    .unwrap();
                assert!(
                    o.status.success(),
                    "initdb: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                copy_data(&s.data, &template(&s));
            }
        }
        // The role `pw` must give its password; every other role is trusted;
        // over the network, only an encrypted connection is let in.
        std::fs::write(
            s.data.join("pg_hba.conf"),
            "local all pw scram-sha-256\nlocal all all trust\nhostssl all all 127.0.0.1/32 trust\n",
        )
        .unwrap();
        if let Some((cert, key)) = tls {
            let (c, k) = (s.data.join("server.crt"), s.data.join("server.key"));
            std::fs::write(&c, cert).unwrap();
            std::fs::write(&k, key).unwrap();
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&k, std::fs::Permissions::from_mode(0o600)).unwrap();
            if is_root() {
                let ok = Command::new("chown").arg(&s.user).arg(&c).arg(&k).status();
                assert!(ok.unwrap().success());
            }
            s.options = format!(
                "-c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={} -c ssl_key_file={}",
                c.display(),
                k.display()
            );
        }
        // Stopped (and its folder removed) when this test process ends.
        let watch = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop}; rm -rf '{dir}'",
            pid = std::process::id(),
            stop = s.command_line(
                "pg_ctl",
                &format!("-D '{}' stop -m immediate", s.data.display())
            ),
            dir = s.dir.display(),
        );
        let watching = Command::new("setsid")
            .args(["-f", "sh", "-c", &watch])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(watching.success(), "the server's watch did not start");
        s.start();
        s
    }

    /// A PostgreSQL program run as the server's user.
    fn as_user(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", &self.user, "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn command_line(&self, program: &str, args: &str) -> String {
        let exe = self.bin.join(program);
        if is_root() {
            format!(
                "runuser -u {} -- '{}' {args} >/dev/null 2>&1",
                self.user,
                exe.display()
            )
        } else {
            format!("'{}' {args} >/dev/null 2>&1", exe.display())
        }
    }

    /// Starts the server (again), waiting until it accepts connections.
    pub fn start(&self) {
        let o = self
            .as_user("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-w", "-l"])
            .arg(self.dir.join("log"))
            .arg("-o")
            .arg(format!(
                "-c listen_addresses='' -k {} -p {} -c fsync=on {}",
                self.socket.display(),
                self.port,
                self.options
            ))
            .arg("start")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "pg_ctl start: {}{}",
            String::from_utf8_lossy(&o.stdout),
            std::fs::read_to_string(self.dir.join("log")).unwrap_or_default()
        );
    }

    /// Stops the server at once (as a crash or a pulled cable would).
    pub fn stop(&self) {
        let o = self
            .as_user("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-w", "-m", "immediate", "stop"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    /// The URL of a database on this server, as a given role.
    pub fn url_as(&self, role: &str, db: &str) -> String {
        format!(
            "postgres:///{db}?host={}&port={}&user={role}&sslmode=disable",
            self.socket.display(),
            self.port
        )
    }

    /// The URL of a database as the server's superuser.
    pub fn url(&self, db: &str) -> String {
        self.url_as(&self.user, db)
    }

    /// Runs SQL as the superuser on a database; returns the first column of each row.
    pub fn sql(&self, db: &str, sql: &str) -> Vec<String> {
        self.sql_as(&self.user, db, sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Runs SQL as a role on a database: the first column of each row, or the server's refusal.
    pub fn sql_as(&self, role: &str, db: &str, sql: &str) -> Result<Vec<String>, String> {
        let mut c = postgres::Client::connect(
            &format!(
                "host={} port={} user={role} dbname={db}",
                self.socket.display(),
                self.port
            ),
            postgres::NoTls,
        )
        .map_err(|e| e.to_string())?;
        let rows = c.simple_query(sql).map_err(|e| match e.as_db_error() {
            Some(d) => d.message().to_string(),
            None => e.to_string(),
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|m| match m {
                postgres::SimpleQueryMessage::Row(r) => Some(r.get(0).unwrap_or("").to_string()),
                _ => None,
            })
            .collect())
    }

    /// A new empty database; its URL.
    pub fn database(&self) -> String {
        self.url(&self.new_database())
    }

    /// A new empty database; its name.
    pub fn new_database(&self) -> String {
        let name = format!("t{}", NEXT.fetch_add(1, Ordering::SeqCst));
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
        name
    }
}
