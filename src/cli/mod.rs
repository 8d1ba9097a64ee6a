//! The command line: arguments (clap) and what each subcommand prints; exit 0 ok, 1 refused, 2 usage.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::i18n::{Lang, Words, fill};
use crate::model::{Council, Rule};
use crate::session::{self, DecideError, Session};
use crate::{load, signoff};

mod args;
mod decide;
mod export;
mod forms;
mod help;
mod meeting;
mod setup;
mod show;
mod signing;

pub use args::{ActingArg, Cli, Command, Format, RoundAction, SessionAction, SessionArg};
pub use help::{command, parse};

pub use export::ExportFormat;

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
    // A command (not the screen) ends with its process: the state it read
    // goes back to the system whole rather than freed piece by piece.
    if !matches!(cli.command, None | Some(Command::Open { .. })) {
        Session::leave_state_at_exit();
    }
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
            // The screen signs off too: it keeps the digest of what it read.
            let c = load_council_signing(&folder)?;
            let opts = crate::tui::Options {
                session: session.resolve(&folder),
                folder,
                member,
                key,
                lang,
                follow,
            };
            crate::tui::run(c.into_inner(), opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Init { folder, from }) => match from {
            Some(last) => setup::new_year(&folder, &last),
            None => forms::init(&folder),
        },
        Some(Command::Framework {
            action,
            council,
            file,
            id,
            name,
            replace,
            output,
        }) => match action {
            args::FrameworkAction::Import => {
                setup::framework_import(&council, file.as_deref(), &id, name.as_deref(), replace)
            }
            args::FrameworkAction::Export => {
                setup::framework_export(&council, &id, output.as_deref())
            }
        },
        Some(Command::Roster {
            action: args::RosterAction::Import,
            council,
            file,
        }) => setup::roster_import(&council, &file),
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
            pdf,
            session,
        }) => export::export(&council_folder(council)?, format, output, pdf, &session),
        Some(
            cmd @ (Command::Agenda { .. }
            | Command::Attend { .. }
            | Command::Vote { .. }
            | Command::Approval { .. }
            | Command::Confirm { .. }
            | Command::Pending { .. }),
        ) => meeting::run(cmd),
        Some(
            cmd @ (Command::Decide { .. }
            | Command::Undo { .. }
            | Command::Redo { .. }
            | Command::Round { .. }
            | Command::Notices { .. }),
        ) => decide::run(cmd),
        Some(
            cmd @ (Command::Keygen { .. }
            | Command::Signoff { .. }
            | Command::Sign { .. }
            | Command::Verify { .. }
            | Command::Reopen { .. }),
        ) => signing::run(cmd, lang),
        Some(
            cmd @ (Command::Check { .. }
            | Command::Rank { .. }
            | Command::Progress { .. }
            | Command::Compare { .. }
            | Command::Session { .. }
            | Command::Log { .. }),
        ) => show::run(cmd, lang),
    }
}

/// A reading command's council folder, council and session state (nothing written).
pub(crate) fn read_council(
    council: Option<PathBuf>,
    session: &SessionArg,
) -> Result<(PathBuf, Held, session::State), Failure> {
    let folder = council_folder(council)?;
    let c = load_council(&folder)?;
    let (state, _) = existing_session(&c, &folder, &session.reading(&folder)?)?;
    Ok((folder, c, state))
}

/// A writing command's council folder, council and session (created at need).
/// The recorder of a command that acts for `member`: their own key, or (with
/// `--by`) the chair's or the secretary's; none for a member without a key
/// acting alone (what must be signed is then refused by the rules).
pub(crate) fn recorder_for(
    c: &Council,
    member: &str,
    a: &ActingArg,
    act: crate::appraisal::Act,
) -> Result<Option<session::acting::Recorder>, Failure> {
    use crate::appraisal::Refusal;
    let who = a.by.as_deref().filter(|b| *b != member).unwrap_or(member);
    let Some(m) = c.member(who) else {
        return Err(refused(Refusal::UnknownMember(who.into()).into()));
    };
    let path = crate::keys::key_path(a.key.as_deref(), who)?;
    if m.pubkey.is_none() {
        if a.key.is_none() {
            if who == member {
                return Ok(None);
            }
            return Err(refused(
                Refusal::SignedOnly {
                    member: who.into(),
                    act,
                }
                .into(),
            ));
        }
        let sk = crate::keys::load_secret(&path)?;
        let pubkey = crate::keys::public_of(&sk)?.to_base64();
        return Err(refused(
            Refusal::NoPubkey {
                member: who.into(),
                pubkey,
            }
            .into(),
        ));
    }
    if !path.exists() {
        return Err(refused(Refusal::KeyNeeded(who.into()).into()));
    }
    let sk = crate::keys::load_secret(&path)?;
    session::acting::Recorder::new(c, who, sk)
        .map(Some)
        .map_err(|r| refused(r.into()))
}

/// Opens the council's session for writing with the command's recorder set.
pub(crate) fn acting_council(
    council: Option<PathBuf>,
    session: &SessionArg,
    member: &str,
    a: &ActingArg,
    act: crate::appraisal::Act,
) -> Result<(PathBuf, Held, Session), Failure> {
    let folder = council_folder(council)?;
    let c = load_council(&folder)?;
    let recorder = recorder_for(&c, member, a, act)?;
    let s = open_session_as(&c, &folder, &session.resolve(&folder), true, recorder)?;
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
    open_session_as(c, folder, path, create, None)
}

/// [`open_session`] with the command's recorder set from the start (what the
/// open itself records, finishing an interrupted step, is signed by it).
pub fn open_session_as(
    c: &Council,
    folder: &Path,
    path: &Path,
    create: bool,
    recorder: Option<session::acting::Recorder>,
) -> Result<Session, Failure> {
    let mut s = Session::open(path, create)?;
    s.set_recorder(recorder);
    report_inputs(&s.reconcile(c)?);
    let state = s.fresh(c)?;
    refuse_open_round_explanations(c, state)?;
    report_orphans(state);
    if let Some(done) = signoff::settle(folder, c, &mut s)? {
        warn(&done.to_string());
    }
    for round in crate::export::notice::settle(folder, s.round()?)? {
        let dir = crate::export::notice::folder_of(folder, round);
        warn(&fill(
            words().cli_notices_finished,
            &[&round, &dir.display()],
        ));
    }
    Ok(s)
}

fn report_inputs(changes: &[String]) {
    if !changes.is_empty() {
        warn(words().cli_inputs_changed);
        for ch in changes {
            warn(&format!("  {ch}"));
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
        warn(&fill(
            w.cli_orphan,
            &[&o.event, &o.unit, &o.code, &o.value, &why],
        ));
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
        warn(&broken.to_string());
    }
    report_inputs(&s.inputs_changed(c)?);
    let events = s.events()?;
    if s.chain_broken().is_none()
        && let Some(b) = s.acts_broken(c, &events)?
    {
        warn(&b.said(path));
    }
    let state = session::State::of(c, &events);
    refuse_open_round_explanations(c, &state)?;
    report_orphans(&state);
    Ok((state, events))
}

/// Prints to standard output, cleaned: a folder's or a file's name may hold
/// escape sequences, which never reach the terminal.
pub(crate) fn print(s: &str) {
    let s = crate::text::clean(s, crate::text::Lines::Many);
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error of ours.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// Prints a line to standard error, cleaned as [`print`] does.
pub(crate) fn warn(s: &str) {
    eprintln!("{}", crate::text::clean(s, crate::text::Lines::Many));
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
pub fn load_council(folder: &Path) -> Result<Held, Failure> {
    load::load(folder)
        .map(Held::new)
        .map_err(|d| listed(folder, &d, words().cli_nothing_loaded))
}

/// As [`load_council`], the council keeping the digest of the input files it
/// was loaded from, so that a sign-off can tell they did not change without
/// parsing them again (`load::load_hashed`).
pub fn load_council_signing(folder: &Path) -> Result<Held, Failure> {
    load::load_hashed(folder)
        .map(Held::new)
        .map_err(|d| listed(folder, &d, words().cli_nothing_loaded))
}

/// A council a command holds until the process ends: its memory goes back
/// with the process, not piece by piece (at 10,000 units freeing it would
/// cost a tenth of its load).
pub struct Held(std::mem::ManuallyDrop<Council>);

impl Held {
    pub fn new(c: Council) -> Held {
        Held(std::mem::ManuallyDrop::new(c))
    }

    /// The council, to keep for longer than the command (the screen).
    pub fn into_inner(self) -> Council {
        std::mem::ManuallyDrop::into_inner(self.0)
    }
}

impl std::ops::Deref for Held {
    type Target = Council;

    fn deref(&self) -> &Council {
        &self.0
    }
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
