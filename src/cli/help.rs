//! Parsing the command line, and its help and usage errors in the user's language.

use std::process::ExitCode;

use super::args::Cli;
use crate::i18n::{Lang, Words, fill};

/// The language a command line asks for before it is parsed: `--lang X` or
/// `--lang=X`, else `LANG`.
pub(super) fn asked_lang(args: &[std::ffi::OsString]) -> Lang {
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
    dressed(lang, true)
}

/// [`command`] when `shown`; else only what parsing a command line depends
/// on (the help and version flags, no `help` command), without the texts and
/// usage lines a command line that parses never shows (rendering the usages
/// is most of the work).
fn dressed(lang: Lang, shown: bool) -> clap::Command {
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
        if !shown {
            return c;
        }
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
    let parsed = |shown| match dressed(lang, shown)
        .try_get_matches_from(&args)
        .map(|m| Cli::from_arg_matches(&m))
    {
        Ok(Ok(cli)) => Ok(cli),
        Ok(Err(e)) | Err(e) => Err(e),
    };
    // The help's texts and usage lines only where they are shown: the same
    // command line parsed again by the whole command gives the same help or
    // error, in the language's words.
    let error = match parsed(false).or_else(|_| parsed(true)) {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
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
pub(super) fn usage_error(w: &Words, e: &clap::Error) -> String {
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
