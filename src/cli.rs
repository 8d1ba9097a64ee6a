//! The command line: arguments (clap) and what each subcommand prints; exit 0 ok, 1 refused, 2 usage.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::model::{Council, Rule};
use crate::{load, report, score};

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
    /// Language of labels and messages.
    #[arg(long, value_enum, global = true, default_value = "vi")]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a council folder: every file against the format; exit 1 listing each problem as path:line:column.
    Check {
        /// The council folder (holds council.toml, frameworks/, assessments/).
        council: Option<PathBuf>,
    },
    /// Print the ranking of every group: rank, unit, points, max, index, band.
    Rank {
        council: Option<PathBuf>,
        /// table: aligned for reading; csv: one line per unit, as the signed result holds it.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
}

/// Runs the command line; returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(code) => code,
        Err(Failure::Usage(msg)) => {
            eprintln!("thamdinh: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Refused(msg)) => {
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
    let lang = cli.lang;
    match cli.command {
        None => dispatch(Cli {
            lang,
            command: Some(Command::Rank {
                council: None,
                format: Format::Table,
            }),
        }),
        Some(Command::Check { council }) => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            print(&check_summary(&folder, &c));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Rank { council, format }) => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let standings = score::self_standings(&c);
            let rows = report::rows(&c, &standings);
            match format {
                Format::Csv => print(&report::csv(&rows)),
                Format::Table => print(&report::table(&c, &rows, &lang.table())),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(s: &str) {
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
    Err(Failure::Usage(
        "no council folder given, and no data/demo here; give the folder that holds council.toml"
            .into(),
    ))
}

/// Loads a council, turning its problems into a refusal that lists each of them.
pub fn load_council(folder: &Path) -> Result<Council, Failure> {
    load::load(folder).map_err(|d| {
        let n = d.len();
        let mut msg = d.to_string();
        msg.push_str(&format!(
            "{}: {n} problem{} found; nothing was loaded\n",
            folder.display(),
            if n == 1 { "" } else { "s" }
        ));
        Failure::Refused(msg)
    })
}

/// What `check` prints when the folder loads.
pub fn check_summary(folder: &Path, c: &Council) -> String {
    let mut s = format!("{}: {} ({})\n", folder.display(), c.name, c.year);
    for f in &c.frameworks {
        let criteria: usize = f.fields.iter().map(|x| x.criteria.len()).sum();
        let kinds = ["levels", "range", "ratio", "deduction", "survey"]
            .iter()
            .filter_map(|k| {
                let n = f.leaves.iter().filter(|l| l.rule.kind() == *k).count();
                (n > 0).then(|| format!("{n} {k}"))
            })
            .collect::<Vec<_>>()
            .join(", ");
        s += &format!(
            "  framework {}: {} fields, {criteria} criteria, {} leaves ({kinds}), max {}\n",
            f.id,
            f.fields.len(),
            f.leaves.len(),
            f.full_max().short()
        );
    }
    for (g, group) in c.groups.iter().enumerate() {
        let units: Vec<usize> = c.units_of_group(g).collect();
        let missing = units.iter().filter(|&&u| !c.submitted(u)).count();
        s += &format!(
            "  group {} ({}): {} units, {} not submitted\n",
            group.id,
            group.name,
            units.len(),
            missing
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
    s += &format!(
        "  {} survey file(s); flagged: {no_evidence} leaves scored without evidence, {not_assessed} not self-assessed, {no_survey} survey results missing; {na} not applicable\n",
        c.surveys.len()
    );
    s += "ok: everything loads\n";
    s
}
