//! The command line's arguments: clap's definitions of every command and option.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use super::export::ExportFormat;
use super::{Failure, words};
use crate::i18n::{Lang, fill};
use crate::session;

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
        acting: ActingArg,
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
        acting: ActingArg,
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
        acting: ActingArg,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Each unit beside last year's (across mergers, splits and renames) and its self-assessment gap.
    Compare {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// Last year's signed folder (default: `previous` in council.toml).
        #[arg(long, value_name = "DIR")]
        previous: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
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
        /// The day the units' explanations are due (YYYY-MM-DD; default: explanation_days in council.toml after today).
        #[arg(long, value_name = "Y-M-D")]
        deadline: Option<String>,
        #[command(flatten)]
        acting: ActingArg,
        #[command(flatten)]
        session: SessionArg,
    },
    /// Write a closed round's notices again, the same bytes as when it was closed.
    Notices {
        /// The council folder (default: data/demo, when run from the repository).
        council: Option<PathBuf>,
        /// The closed round.
        #[arg(long)]
        round: i64,
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
        acting: ActingArg,
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
        acting: ActingArg,
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
        acting: ActingArg,
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
        acting: ActingArg,
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
        /// Last year's council folder: its members, groups, roster and frameworks, moved on a year.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
    /// A framework from a spreadsheet into frameworks/<id>.toml (import), or a framework as a spreadsheet (export).
    Framework {
        #[arg(value_enum)]
        action: FrameworkAction,
        /// The council folder.
        council: PathBuf,
        /// The spreadsheet to read (import: .xlsx or .ods).
        file: Option<PathBuf>,
        /// The framework's id (import: the id it takes; export: the framework to write).
        #[arg(long)]
        id: String,
        /// The framework's name (import; default: the text above the header row).
        #[arg(long)]
        name: Option<String>,
        /// Replace frameworks/<id>.toml where it exists (the old file is kept as .bak).
        #[arg(long)]
        replace: bool,
        /// The workbook to write (export).
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// The roster from a spreadsheet (columns Mã đơn vị, Tên đơn vị, Nhóm; Tên ngắn, Sáp nhập từ) into council.toml, keeping its other lines.
    Roster {
        #[arg(value_enum)]
        action: RosterAction,
        /// The council folder.
        council: PathBuf,
        /// The list of units (.xlsx, .ods or .csv).
        file: PathBuf,
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
        /// One format only (default: all of them).
        #[arg(long, value_enum)]
        format: Option<ExportFormat>,
        /// Also print the Word papers to PDF with LibreOffice.
        #[arg(long)]
        pdf: bool,
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
        acting: ActingArg,
        #[command(flatten)]
        session: SessionArg,
    },
}

/// Who records: the member's own key, or the chair's or the secretary's on their behalf.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct ActingArg {
    /// The chair or the secretary recording for the member, with their own key.
    #[arg(long, value_name = "ID")]
    pub by: Option<String>,
    /// The recorder's secret key (default: ~/.config/thamdinh/keys/<recorder>.key).
    #[arg(long, value_name = "PATH")]
    pub key: Option<PathBuf>,
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

/// What `framework` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FrameworkAction {
    /// Read a framework from a spreadsheet.
    Import,
    /// Write a framework as a spreadsheet.
    Export,
}

/// What `roster` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RosterAction {
    /// Read the units from a spreadsheet.
    Import,
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
