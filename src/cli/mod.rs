//! The command line: arguments (clap) and what each subcommand prints; exit 0 ok, 1 refused, 2 usage.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::appraisal::Change;
use crate::i18n::{Lang, Words, fill};
use crate::model::{Council, Rule};
use crate::session::{self, DecideError, Kind, Session};
use crate::{keys, load, report, signoff};

mod export;
mod forms;
mod meeting;

pub use export::ExportFormat;

#[derive(Parser, Debug)]
#[command(
    name = "thamdinh",
    version,
    about = "Appraise the public administration reform index (Chỉ số CCHC) of a council's units",
    long_about = "thamdinh loads every unit's self-assessment from a council folder, scores and ranks them \
exactly, and lets the appraisal council decide points leaf by leaf.\n\nWith no command it opens the \
council's screen; with no folder it uses data/demo when run from the repository."
)]
pub struct Cli {
    /// Language of labels and messages (default: Vietnamese, or English when LANG starts with "en").
    #[arg(long, value_enum, global = true)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the council's shared screen (the default when no command is given).
    Open {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// The member on whose behalf decisions are recorded (default: the chair).
        #[arg(long)]
        member: Option<String>,
        /// The signing key used for a sign-off from the screen.
        #[arg(long, value_name = "PATH")]
        key: Option<PathBuf>,
        /// Only follow the session, for a projector: shows where the agenda is, changes nothing.
        #[arg(long)]
        follow: bool,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Check a council folder: every file against the format; exit 1 listing each problem as path:line:column.
    Check {
        /// The council folder (holds council.toml, frameworks/, assessments/; default: data/demo, when run from the repository).
        council: Option<PathBuf>,
    },
    /// Print the ranking of every group: rank, unit, points, max, index, band.
    Rank {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// table: aligned for reading; csv: one line per unit, as the signed result holds it.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Record the council's decision on one leaf of one unit (points, not applicable, or applicable again).
    Decide {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// The member on whose behalf the decision is recorded (an id from council.toml).
        #[arg(long)]
        member: String,
        /// The unit's id.
        #[arg(long, required_unless_present = "from", conflicts_with = "from")]
        unit: Option<String>,
        /// The leaf's code, e.g. 1.1.1.
        #[arg(long, required_unless_present = "from", conflicts_with = "from")]
        code: Option<String>,
        /// Ask the unit to explain the leaf (the request's text), with or without a decision.
        #[arg(long, value_name = "TEXT", conflicts_with = "from")]
        ask: Option<String>,
        /// Many decisions from a spreadsheet (CSV or xlsx; columns unit, code, points or na, comment, ask), all or none.
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Appraised points, within the leaf's rule (a level, a value in the range, ...).
        #[arg(long, allow_negative_numbers = true, conflicts_with_all = ["na", "numerator"])]
        points: Option<String>,
        /// Corrected figures of a ratio leaf (with --denominator): the points follow from its bands.
        #[arg(long, requires = "denominator", conflicts_with = "na")]
        numerator: Option<u64>,
        /// With --numerator: the denominator of the corrected figures.
        #[arg(long, requires = "numerator")]
        denominator: Option<u64>,
        /// Rule the leaf not applicable (only where the framework allows it).
        #[arg(long, conflicts_with = "applicable")]
        na: bool,
        /// Rule the leaf applicable again (with --points, or the unit's own points).
        #[arg(long)]
        applicable: bool,
        /// Why: required when the appraised value differs from the unit's own.
        #[arg(long, default_value = "")]
        comment: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Undo the member's last decision (recorded as a new event).
    Undo {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Redo the member's last undone decision (recorded as a new event).
    Redo {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Where the round's work stands: per member with fields, per field and per unit, decided, to do, requests, explanations.
    Progress {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Close the current appraisal round and open the next (the chair or the secretary); it cannot be undone.
    Round {
        /// What to do: `close`.
        #[arg(value_enum)]
        action: RoundAction,
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// The meeting's agenda: print it, set it from a file, or move the meeting on (the chair or the secretary).
    Agenda {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: Option<String>,
        /// A file of the items to discuss, one per line: a unit id, or a unit id and a leaf code.
        #[arg(long, value_name = "FILE", requires = "member")]
        from: Option<PathBuf>,
        /// Move the meeting on to the next item.
        #[arg(long, requires = "member", conflicts_with = "from")]
        next: bool,
        /// Move the meeting to item N (from 1).
        #[arg(long, value_name = "N", requires = "member", conflicts_with_all = ["from", "next"])]
        at: Option<usize>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Record a member present at the meeting, absent, or absent with a written approval.
    Attend {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        /// The member is absent.
        #[arg(long)]
        absent: bool,
        /// The member is absent and approves the result in writing: the document's reference.
        #[arg(long, value_name = "REF")]
        written: Option<String>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Record a voting member's approval of, or objection to, the result as it stands.
    Vote {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        /// Approve the result.
        #[arg(long, conflicts_with = "object", required_unless_present = "object")]
        approve: bool,
        /// Object to the result.
        #[arg(long)]
        object: bool,
        /// What the member says with the vote.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Who is present, who voted what, and whether the result is approved and by how many.
    Approval {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Confirm a decision waiting for a second member (with confirm = true in council.toml).
    Confirm {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        #[arg(long)]
        unit: String,
        #[arg(long)]
        code: String,
        #[command(flatten)]
        session: SessionArg,
    },
    /// The decisions waiting for confirmation: leaf, proposed and counted value, who and why.
    Pending {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Print the session's audit log: every event, who, when, the value before and after, the comment.
    Log {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Check the log's hash chain instead of printing it: names the first event that does not fit.
        #[arg(long)]
        verify: bool,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Make a member's signing key pair (minisign format); prints the public key for council.toml.
    Keygen {
        #[arg(long)]
        member: String,
        /// Where to write the secret key (default: ~/.config/thamdinh/keys/<member>.key).
        #[arg(long, value_name = "PATH")]
        key: Option<PathBuf>,
        /// Leave the secret key without a password (for unattended use).
        #[arg(long)]
        no_password: bool,
    },
    /// Sign off the appraisal: write <council>/signed/<date>-<n>/ signed by the member, and lock the session.
    Signoff {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        /// The member's secret key (default: ~/.config/thamdinh/keys/<member>.key; a `minisign -G` key works too).
        #[arg(long, value_name = "PATH")]
        key: Option<PathBuf>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Add a member's signature to a signed folder.
    Sign {
        /// The signed folder (<council>/signed/<date>-<n>).
        folder: PathBuf,
        #[arg(long)]
        member: String,
        #[arg(long, value_name = "PATH")]
        key: Option<PathBuf>,
    },
    /// Check a signed folder: every file against MANIFEST, files added or missing, every signature, the log's hash chain, and the figures re-derived from the council's inputs.
    Verify {
        folder: PathBuf,
        /// A public key to check with instead of council.toml's: `KEY` for every signature, or `MEMBER=KEY`.
        #[arg(long, value_name = "KEY")]
        pubkey: Vec<String>,
        /// A file of trusted keys: a council.toml kept apart, or lines `MEMBER KEY`.
        #[arg(long, value_name = "PATH")]
        trusted: Option<PathBuf>,
        /// The council folder whose keys, inputs and other signed folders the folder is checked against (default: the one that holds it).
        #[arg(long, value_name = "DIR")]
        council: Option<PathBuf>,
    },
    /// Start a new council folder: a commented council.toml, an example framework, empty assessments/ and surveys/.
    Init {
        /// The folder to create (it must be new or empty).
        folder: PathBuf,
    },
    /// Write the self-assessment form (xlsx) a unit fills, pre-filled with its assessment where there is one.
    Form {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// The unit whose form is written (-o names the .xlsx file).
        #[arg(long, required_unless_present = "all", conflicts_with = "all")]
        unit: Option<String>,
        /// Write one form per roster unit (-o names a folder; each form is <unit-id>.xlsx).
        #[arg(long)]
        all: bool,
        /// The form to write (with --unit), or the folder for the forms (with --all).
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: PathBuf,
        /// Replace forms that already exist at the output.
        #[arg(long)]
        force: bool,
    },
    /// Import filled self-assessment forms into assessments/ (a form with any problem writes nothing), then check the folder.
    Import {
        /// The council folder.
        council: PathBuf,
        /// Filled forms (.xlsx, or .ods).
        #[arg(required = true, value_name = "FORM")]
        files: Vec<PathBuf>,
        /// Replace a unit's existing assessment (the old file is kept as <name>.bak).
        #[arg(long)]
        replace: bool,
    },
    /// Import survey results (columns unit, code, points) from .xlsx or .csv into surveys/<name>.toml.
    ImportSurvey {
        /// The council folder.
        council: PathBuf,
        /// The results (.xlsx, .ods or .csv with a header row).
        file: PathBuf,
        /// The survey's name, e.g. "Khảo sát sự hài lòng (SIPAS) 2025"; the file is named after it.
        #[arg(long)]
        name: String,
        /// Replace a survey file of the same name (the old file is kept as <name>.bak).
        #[arg(long)]
        replace: bool,
    },
    /// Write the council's current result: the workbook (xlsx), the minutes of the meeting (html), the per-leaf CSV.
    Export {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// One format only (default: all three, as ket-qua.xlsx, bien-ban.html and ket-qua.csv).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// With --format: the file to write (`-` for standard output); without: the folder
        /// for all three. Default: <council>/export/.
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Copy a whole session between a SQLite file and a PostgreSQL server, checked before done.
    Session {
        /// What to do: `copy`.
        #[arg(value_enum)]
        action: SessionAction,
        /// The session copied: a file or a postgres:// URL.
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
        /// Where it goes: a file or a postgres:// URL holding no events yet.
        #[arg(long, value_name = "PATH")]
        to: PathBuf,
    },
    /// Reopen a signed-off session so that decisions can be made again (recorded with the reason).
    Reopen {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        #[arg(long)]
        member: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        session: SessionArg,
    },
}

/// Where the session lives.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SessionArg {
    /// The session: a SQLite file (default: <council>/.thamdinh/session.db)
    /// or a PostgreSQL URL (postgres://role@host/database).
    #[arg(long = "session", value_name = "PATH", env = "THAMDINH_SESSION")]
    pub path: Option<PathBuf>,
}

impl SessionArg {
    pub fn resolve(&self, council: &Path) -> PathBuf {
        self.path
            .clone()
            .unwrap_or_else(|| session::default_path(council))
    }

    /// The session a reading command reads: a `--session` given must exist
    /// (a typo would otherwise read as "no decisions").
    pub fn reading(&self, council: &Path) -> Result<PathBuf, Failure> {
        match &self.path {
            Some(p) if !session::exists(p) && session::lone_wal(p).is_none() => {
                Err(Failure::Refused(fill(
                    words().cli_no_such_session,
                    &[&crate::text::line(&p.display().to_string())],
                )))
            }
            _ => Ok(self.resolve(council)),
        }
    }
}

/// What `session` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SessionAction {
    /// Copy the session to another store.
    Copy,
}

/// What `round` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RoundAction {
    /// End the current round and open the next.
    Close,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
}

/// The language a command line asks for before it is parsed: `--lang X` or
/// `--lang=X`, else `LANG`.
fn asked_lang(args: &[std::ffi::OsString]) -> Lang {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().to_string())
        .collect();
    let given = args.iter().enumerate().find_map(|(i, a)| match a.as_str() {
        "--lang" => args.get(i + 1).cloned(),
        _ => a.strip_prefix("--lang=").map(str::to_string),
    });
    match given.as_deref() {
        Some("en") => Lang::En,
        Some("vi") => Lang::Vi,
        _ => Lang::from_env(),
    }
}

/// The clap command with its help, headings and flags in a language: the
/// texts come from the language's help table (`command.argument`, else
/// `*.argument`).
pub fn command(lang: Lang) -> clap::Command {
    use clap::{Arg, ArgAction, CommandFactory};
    let table = lang.help();
    let w = lang.words();
    let find = |key: &str| {
        table
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .unwrap_or("")
    };
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
        w.cli_h_usage
    );
    let dress = |c: clap::Command, name: &str| {
        let ids: Vec<(String, bool)> = c
            .get_arguments()
            .map(|a| (a.get_id().to_string(), a.is_positional()))
            .collect();
        let mut c = c
            .help_template(template.clone())
            .disable_help_flag(true)
            .subcommand_help_heading(w.cli_h_commands)
            .arg(
                Arg::new("help")
                    .short('h')
                    .long("help")
                    .action(ArgAction::Help)
                    .help(find("*.help"))
                    .help_heading(w.cli_h_options),
            );
        for (id, positional) in ids {
            let own = if name.is_empty() {
                format!(".{id}")
            } else {
                format!("{name}.{id}")
            };
            let text = match find(&own) {
                "" => find(&format!("*.{id}")),
                t => t,
            };
            let heading = if positional {
                w.cli_h_arguments
            } else {
                w.cli_h_options
            };
            c = c.mut_arg(id, |a| {
                // The values a flag takes and the placeholders of its value, in
                // the language's words; clap's own "[possible values]" and
                // "[default]" notes are not shown.
                let takes_value = a.get_num_args().is_some_and(|n| n.takes_values())
                    || a.get_action().takes_values();
                let values: Vec<String> = if takes_value {
                    a.get_possible_values()
                        .iter()
                        .map(|v| v.get_name().to_string())
                        .collect()
                } else {
                    Vec::new()
                };
                let text = if values.is_empty() {
                    text.to_string()
                } else {
                    let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                    format!("{text} [{} {}]", w.cli_h_values, values.join(", "))
                };
                let names: Vec<clap::builder::Str> = a
                    .get_value_names()
                    .map(|n| {
                        n.iter()
                            .map(|n| match find(&format!("value.{n}")) {
                                "" => n.clone(),
                                t => t.into(),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let a = a
                    .help(text)
                    .help_heading(heading)
                    .hide_possible_values(!values.is_empty())
                    .hide_default_value(takes_value);
                if names.is_empty() {
                    a
                } else {
                    a.value_names(names)
                }
            });
        }
        let usage = c
            .clone()
            .render_usage()
            .to_string()
            .replacen("Usage: ", "", 1)
            .replace("[OPTIONS]", find("value.[OPTIONS]"))
            .replace("[COMMAND]", find("value.[COMMAND]"));
        if name.is_empty() {
            c.override_usage(usage)
        } else {
            c.override_usage(format!("thamdinh {usage}"))
        }
    };
    let mut cmd = dress(Cli::command(), "")
        .about(find(""))
        .long_about(find(".long"))
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(find("*.version"))
                .help_heading(w.cli_h_options),
        );
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |s| dress(s, &name).about(find(&name)));
    }
    cmd
}

/// Parses the command line, with its help and its usage errors in the
/// language it asks for; prints them itself and returns the exit code (0 for
/// help, 2 for a usage error) when there is nothing to run.
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, ExitCode> {
    use clap::FromArgMatches;
    let lang = asked_lang(&args);
    let matches = command(lang).try_get_matches_from(&args);
    let error = match matches.map(|m| Cli::from_arg_matches(&m)) {
        Ok(Ok(cli)) => return Ok(cli),
        Ok(Err(e)) | Err(e) => e,
    };
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return Err(ExitCode::SUCCESS);
    }
    if lang == Lang::En {
        eprint!("{}", crate::text::para(&error.render().to_string()));
        return Err(ExitCode::from(2));
    }
    eprintln!(
        "thamdinh: {}",
        crate::text::para(&usage_error(lang.words(), &error))
    );
    if let Some(usage) = error.get(clap::error::ContextKind::Usage) {
        eprintln!(
            "\n{}",
            usage
                .to_string()
                .replacen("Usage:", lang.words().cli_h_usage, 1)
        );
    }
    eprintln!("\n{}", lang.words().cli_e_more);
    Err(ExitCode::from(2))
}

/// A usage error in the words of the run's language.
fn usage_error(w: &Words, e: &clap::Error) -> String {
    use clap::error::{ContextKind, ErrorKind};
    let get = |k: ContextKind| e.get(k).map(|v| v.to_string()).unwrap_or_default();
    match e.kind() {
        ErrorKind::UnknownArgument => {
            fill(w.cli_e_unknown_argument, &[&get(ContextKind::InvalidArg)])
        }
        ErrorKind::InvalidSubcommand => fill(
            w.cli_e_unknown_command,
            &[&get(ContextKind::InvalidSubcommand)],
        ),
        ErrorKind::InvalidValue => {
            let valid: Vec<String> = get(ContextKind::ValidValue)
                .split(", ")
                .map(|v| format!("`{v}`"))
                .collect();
            fill(
                w.cli_e_invalid_value,
                &[
                    &get(ContextKind::InvalidValue),
                    &get(ContextKind::InvalidArg),
                    &valid.join(", "),
                ],
            )
        }
        ErrorKind::MissingRequiredArgument => {
            fill(w.cli_e_missing, &[&get(ContextKind::InvalidArg)])
        }
        ErrorKind::ArgumentConflict => fill(
            w.cli_e_conflict,
            &[&get(ContextKind::InvalidArg), &get(ContextKind::PriorArg)],
        ),
        _ => fill(
            w.cli_e_other,
            &[&e.render()
                .to_string()
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ")],
        ),
    }
}

/// This run's language (set once from `--lang` or `LANG`).
pub(crate) fn lang() -> Lang {
    crate::i18n::current()
}

/// The words of this run's language.
pub(crate) fn words() -> &'static Words {
    lang().words()
}

/// Runs the command line; returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            // What the user typed comes back cleaned of control characters and escapes.
            eprintln!("thamdinh: {}", crate::text::para(&msg));
            ExitCode::from(2)
        }
        Err(Failure::Refused(msg)) => {
            let msg = crate::text::para(&msg);
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "{msg}");
            if !msg.ends_with('\n') {
                let _ = writeln!(err);
            }
            ExitCode::from(1)
        }
    }
}

/// Why a command did not succeed.
pub enum Failure {
    /// Exit 2: the command line itself is wrong.
    Usage(String),
    /// Exit 1: the data or the request was refused.
    Refused(String),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Refused(format!("thamdinh: {e:#}"))
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Failure> {
    let lang = cli.lang.unwrap_or_else(Lang::from_env);
    crate::i18n::set_current(lang);
    let w = words();
    match cli.command {
        None => dispatch(Cli {
            lang: Some(lang),
            command: Some(Command::Open {
                council: None,
                member: None,
                key: None,
                follow: false,
                session: SessionArg::default(),
            }),
        }),
        Some(Command::Open {
            council,
            member,
            key,
            follow,
            session,
        }) => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let opts = crate::tui::Options {
                session: session.resolve(&folder),
                folder,
                member,
                key,
                lang,
                follow,
            };
            crate::tui::run(c, opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check { council }) => check(&council_folder(council)?),
        Some(Command::Rank {
            council,
            format,
            session,
        }) => {
            let (_, c, state) = read_council(council, &session)?;
            let standings = state.appraisal.standings(&c);
            let rows = report::rows(&c, &standings);
            match format {
                Format::Csv => print(&report::csv(&rows)),
                Format::Table => print(&report::table(&c, &rows, &lang.table())),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Decide {
            council,
            member,
            unit,
            code,
            points,
            numerator,
            denominator,
            na,
            applicable,
            comment,
            ask,
            from,
            session,
        }) => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            if let Some(file) = from {
                return decide_from(&c, &folder, &member, &file, &session);
            }
            let (unit, code) = (unit.unwrap_or_default(), code.unwrap_or_default());
            let points = match points {
                Some(p) => Some(crate::Points::parse(&p).map_err(|_| {
                    Failure::Refused(format!(
                        "thamdinh: {}",
                        fill(
                            w.bad_points,
                            &[&format!("--points {}", crate::text::line(&p))]
                        )
                    ))
                })?),
                None => None,
            };
            let change = match (points, numerator.zip(denominator), na, applicable) {
                (_, _, true, _) => Some(Change::Na),
                (p, _, _, true) => Some(Change::Applicable(p)),
                (_, Some((n, d)), _, _) => Some(Change::Ratio(n, d)),
                (Some(p), _, _, _) => Some(Change::Points(p)),
                _ if ask.is_some() => None,
                _ => return Err(Failure::Usage(w.cli_say_what.into())),
            };
            let mut s = open_session(&c, &folder, &session.resolve(&folder), true)?;
            let asks: Vec<session::Ask> = change
                .into_iter()
                .map(|change| session::Ask {
                    unit: unit.clone(),
                    code: code.clone(),
                    change,
                    comment: comment.clone(),
                    seen: None,
                })
                .collect();
            let requests: Vec<session::Requested> = ask
                .into_iter()
                .map(|text| session::Requested {
                    unit: unit.clone(),
                    code: code.clone(),
                    text,
                })
                .collect();
            let (decided, asked) =
                s.decide_batch(&c, &member, &asks, &requests)
                    .map_err(|e| match e {
                        session::BatchError::Refused(mut r) => {
                            refused_on(DecideError::Refused(r.swap_remove(0).1), &c, &unit, &code)
                        }
                        session::BatchError::Store(e) => refused(DecideError::Store(e)),
                    })?;
            for e in decided.iter().chain(&asked) {
                print(&fill(w.cli_recorded, &[&e.id, &describe(&c, e)]));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Undo {
            council,
            member,
            session,
        }) => undo_redo(council, &member, &session, true),
        Some(Command::Redo {
            council,
            member,
            session,
        }) => undo_redo(council, &member, &session, false),
        Some(Command::Keygen {
            member,
            key,
            no_password,
        }) => {
            let path = match key {
                Some(k) => k,
                None => keys::secret_key_path(&member)?,
            };
            let password = if no_password {
                None
            } else {
                let p = keys::password(w.cli_key_password)?;
                if std::env::var_os("THAMDINH_PASSWORD").is_none()
                    && std::io::IsTerminal::is_terminal(&std::io::stdin())
                {
                    let again = keys::password(w.cli_key_again)?;
                    if again != p {
                        return Err(Failure::Refused(w.cli_key_differ.into()));
                    }
                }
                if p.is_empty() {
                    return Err(Failure::Refused(w.cli_key_empty.into()));
                }
                Some(p)
            };
            let pubkey = keys::generate(&member, &path, password)?;
            print(&fill(
                w.cli_key_made,
                &[
                    &path.display(),
                    &path.with_extension("pub").display(),
                    &pubkey,
                ],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Signoff {
            council,
            member,
            key,
            session,
        }) => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let sk = keys::load_secret(&key_path(key, &member)?)?;
            signoff::check_key(&c, &member, &sk)?;
            let mut s = open_session(&c, &folder, &session.resolve(&folder), true)?;
            let state = s.state(&c)?;
            let flagged = flagged_summary(&c, &state);
            let dir = signoff::signoff(&folder, &c, &mut s, &member, &sk).map_err(refused)?;
            if !flagged.is_empty() {
                eprintln!("{}", fill(w.cli_signed_with, &[&flagged]));
            }
            print(&fill(w.cli_signed_off, &[&member, &dir.display()]));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Sign {
            folder,
            member,
            key,
        }) => {
            let sk = keys::load_secret(&key_path(key, &member)?)?;
            let out = signoff::sign(&folder, &member, &sk)?;
            print(&fill(w.cli_signed_by, &[&member, &out.display()]));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Verify {
            folder,
            pubkey,
            trusted,
            council,
        }) => {
            let mut keys: Vec<(Option<String>, String)> = pubkey
                .into_iter()
                .map(|k| match k.split_once('=') {
                    Some((m, key)) if !m.starts_with("RW") => {
                        (Some(m.to_string()), key.to_string())
                    }
                    _ => (None, k),
                })
                .collect();
            if let Some(t) = trusted {
                keys.extend(signoff::trusted_keys(&t)?);
            }
            let v = signoff::verify(&folder, &keys, council.as_deref())?;
            let mut out = String::new();
            for (m, comment) in &v.signers {
                out += &fill(w.cli_good_signature, &[m, comment]);
            }
            for c in &v.checked {
                out += c.get(lang);
            }
            if let Some(s) = &v.superseded {
                out += s.get(lang);
            }
            if v.problems.is_empty() {
                out += &fill(w.cli_verify_ok, &[&v.signers.len()]);
                print(&out);
                Ok(ExitCode::SUCCESS)
            } else {
                print(&out);
                let problems: Vec<&str> = v.problems.iter().map(|p| p.get(lang)).collect();
                Err(Failure::Refused(format!(
                    "{}\n{}",
                    problems.join("\n"),
                    fill(w.cli_does_not_verify, &[&folder.display()])
                )))
            }
        }
        Some(Command::Reopen {
            council,
            member,
            reason,
            session,
        }) => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let path = session.resolve(&folder);
            if !session::exists(&path) {
                return Err(refused(DecideError::Refused(
                    crate::appraisal::Refusal::NotLocked,
                )));
            }
            let mut s = open_session(&c, &folder, &path, false)?;
            let e = s.reopen(&c, &member, &reason).map_err(refused)?;
            print(&fill(w.cli_reopened, &[&e.id, &member, &e.comment]));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Init { folder }) => forms::init(&folder),
        Some(Command::Form {
            council,
            unit,
            all: _,
            output,
            force,
        }) => forms::form(council_folder(council)?, unit, &output, force),
        Some(Command::Import {
            council,
            files,
            replace,
        }) => forms::import(&council, &files, replace),
        Some(Command::ImportSurvey {
            council,
            file,
            name,
            replace,
        }) => forms::import_survey(&council, &file, &name, replace),
        Some(Command::Export {
            council,
            format,
            output,
            session,
        }) => export::export(&council_folder(council)?, format, output, &session),
        Some(Command::Progress { council, session }) => {
            let (_, c, state) = read_council(council, &session)?;
            let p = crate::progress::of(&c, &state);
            print(&crate::progress::table(
                &p,
                &crate::progress::Labels::of(w, false),
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Session {
            action: SessionAction::Copy,
            from,
            to,
        }) => {
            let done = session::copy::copy(&from, &to)?;
            let (id, hash) = done.head.map_or((0, String::new()), |h| (h.id, h.hash));
            let shown = |p: &Path| match session::postgres::url(p) {
                Some(url) => session::postgres::shown(url),
                None => p.display().to_string(),
            };
            print(&fill(
                w.cli_copied,
                &[&done.events, &shown(&from), &shown(&to), &id, &hash],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Round {
            action: RoundAction::Close,
            council,
            member,
            session,
        }) => {
            let (folder, c, mut s) = write_council(council, &session)?;
            let e = s.close_round(&c, &member).map_err(refused)?;
            print(&fill(w.cli_round_closed, &[&(e.round - 1), &e.round]));
            // The notices of the round just closed, from the state it left.
            let state = s.replay(&c)?;
            let written = crate::export::notice::write(&folder, &c, &state, e.round - 1)?;
            let dir = folder
                .join("notices")
                .join(format!("round-{}", e.round - 1));
            print(&fill(
                w.cli_notices_written,
                &[&(written.len() / 2), &dir.display()],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some(
            cmd @ (Command::Agenda { .. }
            | Command::Attend { .. }
            | Command::Vote { .. }
            | Command::Approval { .. }
            | Command::Confirm { .. }
            | Command::Pending { .. }),
        ) => meeting::run(cmd),
        Some(Command::Log {
            council,
            format,
            verify,
            session,
        }) => {
            let folder = council_folder(council)?;
            if verify {
                return verify_log(&folder, &session.reading(&folder)?);
            }
            let c = load_council(&folder)?;
            let (_, events) = existing_session(&c, &folder, &session.reading(&folder)?)?;
            match format {
                Format::Csv => print(&report::log_csv(&events)),
                Format::Table => print(&log_table(&c, &events)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn undo_redo(
    council: Option<PathBuf>,
    member: &str,
    session: &SessionArg,
    undo: bool,
) -> Result<ExitCode, Failure> {
    let folder = council_folder(council)?;
    let c = load_council(&folder)?;
    let path = session.resolve(&folder);
    let w = words();
    if !session::exists(&path) {
        let what = if undo {
            w.cli_undo_word
        } else {
            w.cli_redo_word
        };
        return Err(Failure::Refused(fill(
            w.cli_nothing_yet,
            &[&what, &path.display()],
        )));
    }
    let mut s = open_session(&c, &folder, &path, false)?;
    let e = if undo {
        s.undo(&c, member)
    } else {
        s.redo(&c, member)
    }
    .map_err(refused)?;
    print(&fill(w.cli_recorded, &[&e.id, &describe(&c, &e)]));
    Ok(ExitCode::SUCCESS)
}

fn key_path(given: Option<PathBuf>, member: &str) -> Result<PathBuf, Failure> {
    match given {
        Some(k) => Ok(k),
        None => Ok(keys::secret_key_path(member)?),
    }
}

/// What is still flagged when signing: leaves without evidence that nobody decided, units not submitted.
pub fn flagged_summary(c: &Council, state: &session::State) -> String {
    let mut no_evidence = 0;
    for (u, a) in c.assessments.iter().enumerate() {
        for (l, claim) in a.claims.iter().enumerate() {
            if claim.flags.no_evidence && !state.appraisal.decisions.contains_key(&(u, l)) {
                no_evidence += 1;
            }
        }
    }
    let missing: Vec<&str> = (0..c.units.len())
        .filter(|&u| !c.submitted(u))
        .map(|u| c.units[u].id.as_str())
        .collect();
    let w = words();
    let mut parts = Vec::new();
    if no_evidence > 0 {
        parts.push(fill(w.cli_flag_no_evidence, &[&no_evidence]));
    }
    if !missing.is_empty() {
        parts.push(fill(w.cli_flag_not_submitted, &[&missing.join(", ")]));
    }
    parts.join("; ")
}

/// A reading command's council folder, council and session state (nothing written).
pub(crate) fn read_council(
    council: Option<PathBuf>,
    session: &SessionArg,
) -> Result<(PathBuf, Council, session::State), Failure> {
    let folder = council_folder(council)?;
    let c = load_council(&folder)?;
    let (state, _) = existing_session(&c, &folder, &session.reading(&folder)?)?;
    Ok((folder, c, state))
}

/// A writing command's council folder, council and session (created at need).
pub(crate) fn write_council(
    council: Option<PathBuf>,
    session: &SessionArg,
) -> Result<(PathBuf, Council, Session), Failure> {
    let folder = council_folder(council)?;
    let c = load_council(&folder)?;
    let s = open_session(&c, &folder, &session.resolve(&folder), true)?;
    Ok((folder, c, s))
}

pub(crate) fn refused(e: DecideError) -> Failure {
    refused_with(e, None)
}

/// A refused decision on a leaf, saying what its rule allows.
pub(crate) fn refused_on(e: DecideError, c: &Council, unit: &str, code: &str) -> Failure {
    let leaf = c
        .unit_index(unit)
        .and_then(|u| c.framework_of(u).leaf(code))
        .map(|(_, l)| (&l.rule, l.max));
    refused_with(e, leaf)
}

pub(crate) fn refused_with(e: DecideError, rule: Option<(&Rule, crate::Points)>) -> Failure {
    let w = words();
    let lang = lang();
    match e {
        DecideError::Refused(r) => Failure::Refused(fill(
            w.cli_refused,
            &[&crate::i18n::refusal_on(lang, &r, rule)],
        )),
        DecideError::Store(e) => Failure::Refused(fill(w.cli_store_failed, &[&format!("{e:#}")])),
    }
}

/// Opens (or creates) the session, then reports what changed in the inputs and
/// which decisions no longer apply, on standard error; returns it.
/// For commands that write: a sign-off interrupted between its event and its
/// folder is finished (or undone) first, and said.
pub fn open_session(
    c: &Council,
    folder: &Path,
    path: &Path,
    create: bool,
) -> Result<Session, Failure> {
    let mut s = Session::open(path, create)?;
    report_inputs(&s.reconcile(c)?);
    let state = s.fresh(c)?;
    refuse_open_round_explanations(c, state)?;
    report_orphans(state);
    if let Some(done) = signoff::settle(folder, c, &mut s)? {
        eprintln!("{done}");
    }
    Ok(s)
}

/// Explanations of a round the session never closed are refused, each at its `round`.
fn refuse_open_round_explanations(c: &Council, state: &session::State) -> Result<(), Failure> {
    let found = crate::load::explanation::of_open_rounds(c, state.round());
    if found.is_empty() {
        return Ok(());
    }
    let lang = lang();
    let lines: Vec<String> = found.iter().map(|d| d.render(lang)).collect();
    Err(Failure::Refused(lines.join("\n")))
}

fn report_inputs(changes: &[String]) {
    if !changes.is_empty() {
        eprintln!("{}", words().cli_inputs_changed);
        for ch in changes {
            eprintln!("  {ch}");
        }
    }
}

fn report_orphans(state: &session::State) {
    let w = words();
    for o in &state.orphans {
        let why = match o.why {
            session::Unfit::Unit => w.cli_orphan_unit,
            session::Unfit::Leaf => w.cli_orphan_leaf,
            session::Unfit::Value => w.cli_orphan_value,
        };
        eprintln!(
            "{}",
            fill(w.cli_orphan, &[&o.event, &o.unit, &o.code, &o.value, &why])
        );
    }
}

/// The session's state and events when one exists, else nothing decided. A
/// `-wal` left without its session is a session moved or deleted while open:
/// refused, never read as "no decisions".
pub(crate) fn existing_session(
    c: &Council,
    folder: &Path,
    path: &Path,
) -> Result<(session::State, Vec<session::Event>), Failure> {
    if !session::exists(path) {
        if let Some(wal) = session::lone_wal(path) {
            return Err(Failure::Refused(fill(
                words().cli_lone_wal,
                &[&wal.display(), &path.display()],
            )));
        }
        refuse_open_round_explanations(c, &session::State::default())?;
        return Ok(Default::default());
    }
    // A reading command writes nothing: it works on a read-only or full disk.
    let mut s = Session::open_reading(path)?;
    signoff::anchor(folder, &mut s)?;
    if let Some(broken) = s.chain_broken() {
        eprintln!("{broken}");
    }
    report_inputs(&s.inputs_changed(c)?);
    let events = s.events()?;
    let state = session::State::of(c, &events);
    refuse_open_round_explanations(c, &state)?;
    report_orphans(&state);
    Ok((state, events))
}

/// `decide --from`: every row of a spreadsheet recorded in one transaction,
/// or none, every refused row named by its place with its reason.
fn decide_from(
    c: &Council,
    folder: &Path,
    member: &str,
    file: &Path,
    session: &SessionArg,
) -> Result<ExitCode, Failure> {
    let w = words();
    let lang = lang();
    let rows = crate::forms::batch::read(file).map_err(|problems| {
        let lines: Vec<String> = problems.iter().map(|p| p.render(lang)).collect();
        Failure::Refused(format!("{}\n{}", lines.join("\n"), w.cli_batch_nothing))
    })?;
    let mut s = open_session(c, folder, &session.resolve(folder), true)?;
    let state = s.state(c)?;
    let mut asks = Vec::new();
    let mut requests = Vec::new();
    // Each ask and request, by position, back to its row.
    let mut ask_rows = Vec::new();
    let mut request_rows = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(change) = &r.change {
            let now_na = c.unit_index(&r.unit).is_some_and(|u| {
                c.framework_of(u)
                    .leaf(&r.code)
                    .is_some_and(|(l, _)| state.appraisal.value(c, u, l).na)
            });
            asks.push(session::Ask {
                unit: r.unit.clone(),
                code: r.code.clone(),
                change: crate::forms::batch::resolve(change, now_na),
                comment: r.comment.clone(),
                seen: None,
            });
            ask_rows.push(i);
        }
        if let Some(text) = &r.ask {
            requests.push(session::Requested {
                unit: r.unit.clone(),
                code: r.code.clone(),
                text: text.clone(),
            });
            request_rows.push(i);
        }
    }
    match s.decide_batch(c, member, &asks, &requests) {
        Ok((decided, asked)) => {
            print(&fill(
                w.cli_batch_recorded,
                &[
                    &decided.len(),
                    &asked.len(),
                    &crate::text::line(&file.display().to_string()),
                ],
            ));
            Ok(ExitCode::SUCCESS)
        }
        Err(session::BatchError::Refused(refusals)) => {
            let shown = crate::text::line(&file.display().to_string());
            let mut lines = Vec::new();
            for (k, why) in refusals {
                let row = if k < asks.len() {
                    ask_rows[k]
                } else {
                    request_rows[k - asks.len()]
                };
                let r = &rows[row];
                let rule = c
                    .unit_index(&r.unit)
                    .and_then(|u| c.framework_of(u).leaf(&r.code))
                    .map(|(_, l)| (&l.rule, l.max));
                lines.push(format!(
                    "{shown}:{}: {} {}: {}",
                    r.at,
                    crate::text::line(&r.unit),
                    crate::text::line(&r.code),
                    crate::i18n::refusal_on(lang, &why, rule)
                ));
            }
            Err(Failure::Refused(format!(
                "{}\n{}",
                lines.join("\n"),
                w.cli_batch_nothing
            )))
        }
        Err(session::BatchError::Store(e)) => Err(refused(DecideError::Store(e))),
    }
}

/// `log --verify`: the whole chain checked, and against the signed folders' heads.
fn verify_log(folder: &Path, path: &Path) -> Result<ExitCode, Failure> {
    let w = words();
    if !session::exists(path) && session::lone_wal(path).is_none() {
        print(&fill(w.cli_chain_no_session, &[&path.display()]));
        return Ok(ExitCode::SUCCESS);
    }
    let mut s = Session::open_reading(path)?;
    signoff::anchor(folder, &mut s)?;
    match s.verify_chain() {
        None => print(&fill(w.cli_chain_unchained, &[&path.display()])),
        Some(Ok(head)) => {
            let (n, hash) = head.map_or((0, String::new()), |h| (h.id, h.hash));
            print(&fill(w.cli_chain_whole, &[&path.display(), &n, &hash]));
        }
        Some(Err(b)) => return Err(Failure::Refused(b.said(path))),
    }
    Ok(ExitCode::SUCCESS)
}

/// One event in words: `xa-a 1.1.1: 1 → 0.5 by an ("Kế hoạch ban hành chậm")`.
pub fn describe(c: &Council, e: &session::Event) -> String {
    let w = words();
    let show = |v: &Option<String>| -> String {
        match v {
            None => w.self_word.into(),
            Some(v) => crate::appraisal::Decided::decode(v).map_or(v.clone(), |d| {
                if d == crate::appraisal::Decided::Na {
                    return w.na_short.into();
                }
                match (&e.unit, &e.code) {
                    (Some(u), Some(code)) => c
                        .unit_index(u)
                        .and_then(|u| c.framework_of(u).leaf(code).map(|(_, l)| d.show(l)))
                        .unwrap_or(v.clone()),
                    _ => v.clone(),
                }
            }),
        }
    };
    let kind = match e.kind() {
        Kind::Decide => w.kind_decide,
        Kind::Undo => w.kind_undo,
        Kind::Redo => w.kind_redo,
        Kind::Signoff => w.cli_kind_signoff,
        Kind::Reopen => w.cli_kind_reopen,
        Kind::Inputs => w.cli_kind_inputs,
        Kind::Confirm => w.kind_confirm,
        _ => e.kind.as_str(),
    };
    let said = |c: &str| {
        if c.is_empty() {
            String::new()
        } else {
            format!(" (\"{}\")", c.replace('\n', " "))
        }
    };
    match (&e.unit, &e.code) {
        (Some(u), Some(code)) if e.kind() == Kind::Ask => fill(
            w.cli_event_ask,
            &[u, code, &e.member, &e.comment.replace('\n', " ")],
        ),
        _ if e.kind() == Kind::Round => fill(w.cli_event_round, &[&e.comment, &e.round, &e.member]),
        _ if e.kind() == Kind::Attend => {
            let how = match e.after.as_deref() {
                Some("present") => w.ap_present.to_string(),
                Some("written") => fill(w.ap_written, &[&e.comment]),
                _ => w.ap_absent.to_string(),
            };
            fill(w.cli_event_attend, &[&e.member, &how])
        }
        _ if e.kind() == Kind::Vote => {
            let how = if e.after.as_deref() == Some("approve") {
                w.ap_approve
            } else {
                w.ap_object
            };
            fill(w.cli_event_vote, &[&e.member, &how]) + &said(&e.comment)
        }
        _ if e.kind() == Kind::Agenda => {
            fill(w.cli_event_agenda, &[&e.comment.lines().count(), &e.member])
        }
        _ if e.kind() == Kind::AgendaAt => {
            let item = crate::session::meeting::Item {
                unit: e.unit.clone().unwrap_or_default(),
                code: e.code.clone(),
            };
            fill(
                w.cli_event_agenda_at,
                &[&e.after.as_deref().unwrap_or("?"), &item.line(), &e.member],
            )
        }
        (Some(u), Some(code)) => {
            let mut s = fill(
                w.cli_event_leaf,
                &[&kind, u, code, &show(&e.before), &show(&e.after), &e.member],
            );
            if !e.comment.is_empty() {
                s += &format!(" (\"{}\")", e.comment.replace('\n', " "));
            }
            s
        }
        _ => fill(
            w.cli_event_other,
            &[
                &kind,
                &if e.member.is_empty() { "-" } else { &e.member },
                &e.comment.replace('\n', "; "),
            ],
        ),
    }
}

fn log_table(c: &Council, events: &[session::Event]) -> String {
    if events.is_empty() {
        return words().cli_no_decisions.into();
    }
    let zone = session::time::shown_zone();
    events
        .iter()
        .map(|e| {
            format!(
                "#{} {} {} {}\n",
                e.id,
                session::time::local_second(&e.at, &zone),
                fill(words().cli_round_mark, &[&e.round]),
                describe(c, e)
            )
        })
        .collect()
}

pub(crate) fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error of ours.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// The folder given, or `data/demo` when run from the repository.
pub fn council_folder(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    if let Some(p) = given {
        return Ok(p);
    }
    let here = Path::new("data/demo");
    if here.join("council.toml").is_file() {
        return Ok(here.to_path_buf());
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    if built.join("council.toml").is_file() {
        return Ok(built);
    }
    Err(Failure::Usage(words().cli_no_folder.into()))
}

/// Loads a council, turning its problems into a refusal that lists each of them.
pub fn load_council(folder: &Path) -> Result<Council, Failure> {
    load::load(folder).map_err(|d| listed(folder, &d, words().cli_nothing_loaded))
}

/// A refusal that lists every problem, then `<folder>: N problem(s) <tail>`.
pub(crate) fn listed(folder: &Path, d: &crate::Diagnostics, tail: &str) -> Failure {
    let n = d.len();
    let w = words();
    let end = if n == 1 {
        fill(w.cli_problem_one, &[&folder.display(), &tail])
    } else {
        fill(w.cli_problems, &[&folder.display(), &n, &tail])
    };
    Failure::Refused(format!("{}{end}", d.render(lang())))
}

/// `thamdinh check`: the summary when the folder loads, else every problem.
fn check(folder: &Path) -> Result<ExitCode, Failure> {
    let c = load_council(folder)?;
    print(&check_summary(folder, &c));
    Ok(ExitCode::SUCCESS)
}

/// What `check` prints when the folder loads.
pub fn check_summary(folder: &Path, c: &Council) -> String {
    let w = words();
    let lang = lang();
    let mut s = fill(w.cli_check_head, &[&folder.display(), &c.name, &c.year]);
    for f in &c.frameworks {
        let criteria: usize = f.fields.iter().map(|x| x.criteria.len()).sum();
        let kinds = ["levels", "range", "ratio", "deduction", "survey"]
            .iter()
            .filter_map(|k| {
                let of_kind: Vec<_> = f.leaves.iter().filter(|l| l.rule.kind() == *k).collect();
                let first = of_kind.first()?;
                Some(format!(
                    "{} {}",
                    of_kind.len(),
                    crate::i18n::rule_kind(lang, &first.rule)
                ))
            })
            .collect::<Vec<_>>()
            .join(", ");
        s += &fill(
            w.cli_check_framework,
            &[
                &f.id,
                &f.fields.len(),
                &criteria,
                &f.leaves.len(),
                &kinds,
                &f.full_max().short(),
            ],
        );
    }
    for (g, group) in c.groups.iter().enumerate() {
        let units: Vec<usize> = c.units_of_group(g).collect();
        let missing = units.iter().filter(|&&u| !c.submitted(u)).count();
        s += &fill(
            w.cli_check_group,
            &[&group.id, &group.name, &units.len(), &missing],
        );
    }
    let mut no_evidence = 0;
    let mut not_assessed = 0;
    let mut no_survey = 0;
    let mut na = 0;
    for (u, a) in c.assessments.iter().enumerate() {
        if a.file.is_none() {
            continue;
        }
        let fw = c.framework_of(u);
        for (claim, leaf) in a.claims.iter().zip(&fw.leaves) {
            no_evidence += claim.flags.no_evidence as usize;
            not_assessed += claim.flags.not_assessed as usize;
            no_survey += (claim.flags.no_survey && leaf.rule == Rule::Survey) as usize;
            na += claim.na as usize;
        }
    }
    s += &fill(
        w.cli_check_flags,
        &[
            &c.surveys.len(),
            &no_evidence,
            &not_assessed,
            &no_survey,
            &na,
        ],
    );
    s += w.cli_check_ok;
    s
}
