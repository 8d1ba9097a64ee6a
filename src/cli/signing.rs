//! The commands of signing: `keygen`, `signoff`, `sign`, `verify`, `reopen`.

use std::process::ExitCode;

use super::args::Command;
use super::{Failure, council_folder, load_council, open_session, print, refused, words};
use crate::i18n::{Lang, fill};
use crate::model::Council;
use crate::session::{self, DecideError};
use crate::{keys, signoff};

pub(super) fn run(cmd: Command, lang: Lang) -> Result<ExitCode, Failure> {
    let w = words();
    match cmd {
        Command::Keygen {
            member,
            key,
            no_password,
        } => {
            let path = keys::key_path(key.as_deref(), &member)?;
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
        Command::Signoff {
            council,
            member,
            key,
            session,
        } => {
            let folder = council_folder(council)?;
            let c = super::load_council_signing(&folder)?;
            let sk = keys::load_secret(&keys::key_path(key.as_deref(), &member)?)?;
            signoff::check_key(&c, &member, &sk)?;
            let mut s = open_session(&c, &folder, &session.resolve(&folder), true)?;
            let state = s.state(&c)?;
            let flagged = flagged_summary(&c, &state);
            let dir = signoff::signoff(&folder, &c, &mut s, &member, &sk).map_err(refused)?;
            if !flagged.is_empty() {
                super::warn(&fill(w.cli_signed_with, &[&flagged]));
            }
            print(&fill(w.cli_signed_off, &[&member, &dir.display()]));
            Ok(ExitCode::SUCCESS)
        }
        Command::Sign {
            folder,
            member,
            key,
        } => {
            let sk = keys::load_secret(&keys::key_path(key.as_deref(), &member)?)?;
            let out = signoff::sign(&folder, &member, &sk)?;
            print(&fill(w.cli_signed_by, &[&member, &out.display()]));
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            folder,
            pubkey,
            trusted,
            council,
        } => {
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
        Command::Reopen {
            council,
            member,
            reason,
            acting,
            session,
        } => {
            let folder = council_folder(council)?;
            let c = load_council(&folder)?;
            let recorder =
                super::recorder_for(&c, &member, &acting, crate::appraisal::Act::Reopen)?;
            let path = session.resolve(&folder);
            if !session::exists(&path) {
                return Err(refused(DecideError::Refused(
                    crate::appraisal::Refusal::NotLocked,
                )));
            }
            let mut s = super::open_session_as(&c, &folder, &path, false, recorder)?;
            let e = s.reopen(&c, &member, &reason).map_err(refused)?;
            print(&fill(w.cli_reopened, &[&e.id, &member, &e.comment]));
            Ok(ExitCode::SUCCESS)
        }
        _ => unreachable!("only these commands are dispatched here"),
    }
}

/// What is still flagged when signing: leaves without evidence that nobody decided, units not submitted.
pub fn flagged_summary(c: &Council, state: &session::State) -> String {
    crate::work::unsettled(c, state)
        .lines(c, words())
        .join("; ")
}
