//! Closing from the screen: the round and its notices, the sign-off and its password, the export, a cited file opened.

use std::path::Path;

use super::Screen;
use crate::i18n::fill;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{Confirm, Confirming, Flow, Layer, Password};

impl Screen {
    /// Closing: the round, the sign-off, the export, opening evidence, what the system's viewer said; `None` for an action that is not one of them.
    pub(super) fn on_closing(&mut self, action: &Action) -> Option<Flow> {
        match action.clone() {
            Action::OpenEvidence => return Some(self.open_evidence()),
            Action::Export => self.export(),
            Action::CloseRound if self.refused_on_broken_log() => {}
            Action::CloseRound => return Some(self.confirm_close_round()),
            Action::SignOff if self.refused_on_broken_log() => {}
            Action::SignOff => match self.link.locked_by() {
                Some((by, at)) => {
                    let text = fill(self.words().already_signed, &[&by, &self.time(at)]);
                    self.error(text);
                }
                None => {
                    // Not approved, or decisions waiting: said before the password is asked.
                    if let Err(r) = crate::session::may_sign(&self.council, self.link.state()) {
                        self.error(self.refusal(&r));
                        return Some(Flow::Stay);
                    }
                    return Some(Flow::Push(Layer::Confirm(Confirm::new(
                        Confirming::SignOff {
                            flagged: self.flagged(),
                        },
                    ))));
                }
            },
            Action::Opened(Ok(path)) => self.info(path.display().to_string()),
            Action::Opened(Err(e)) => self.error(e),
            _ => return None,
        }
        Some(Flow::Stay)
    }

    pub(super) fn open_evidence(&mut self) -> Flow {
        let Some(l) = self.selected_leaf() else {
            return Flow::Stay;
        };
        let claim = &self.council.assessments[self.unit].claims[l];
        match claim
            .evidence
            .iter()
            .find(|e| e.file_exists)
            .and_then(|e| e.file())
        {
            Some(f) => Flow::Do(Effect::OpenFile(self.folder.join(f))),
            None => {
                self.error(self.words().no_evidence_file);
                Flow::Stay
            }
        }
    }

    /// Writes the workbook, the minutes and the CSV of the current state into
    /// `<council>/export/` and says where.
    pub(super) fn export(&mut self) {
        let dir = self.folder.join("export");
        let w = self.words();
        let state = self.link.state();
        let snap = crate::export::Snapshot::at(&self.council, state, self.link.last_at());
        match crate::export::write_all(&dir, &snap) {
            Ok(paths) => {
                let names: Vec<String> = paths
                    .iter()
                    .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
                    .collect();
                self.info(fill(w.exported, &[&dir.display(), &names.join(", ")]));
            }
            Err(e) => self.error(fill(w.export_failed, &[&format!("{e:#}")])),
        }
    }

    /// What is still flagged, for the sign-off confirmation: units not submitted
    /// first, then units with flagged leaves the council has not decided.
    pub fn flagged(&self) -> Vec<String> {
        crate::work::unsettled(&self.council, self.link.state()).lines(&self.council, self.words())
    }

    /// Starts the sign-off: asks for the key's password when it has one.
    pub fn begin_signoff(&mut self) -> Flow {
        // The key unlocked when the screen opened signs, when it is the member's.
        if let Some(sk) = self
            .link
            .recorder()
            .filter(|r| r.member() == self.member)
            .map(|r| r.key().clone())
        {
            self.sign_off(&sk);
            return Flow::Close;
        }
        let path = match crate::keys::key_path(self.key.as_deref(), &self.member) {
            Ok(p) => p,
            Err(e) => {
                self.error(format!("{e:#}"));
                return Flow::Close;
            }
        };
        match crate::keys::needs_password(&path) {
            Ok(true) => Flow::Swap(Layer::Password(Password::new(path))),
            Ok(false) => {
                if let Err(e) = self.sign_with(&path, None) {
                    self.error(e);
                }
                Flow::Close
            }
            Err(e) => {
                self.error(format!("{e:#}"));
                Flow::Close
            }
        }
    }

    /// Signs with the key at `path`; an error about the password goes back to the prompt.
    pub fn sign_with(&mut self, path: &Path, password: Option<&str>) -> Result<(), String> {
        let sk = match crate::keys::open_secret(path, password) {
            Ok(sk) => sk,
            Err(e) if password.is_some() => return Err(format!("{e:#}")),
            Err(e) => {
                self.error(format!("{e:#}"));
                return Ok(());
            }
        };
        self.sign_off(&sk);
        Ok(())
    }

    /// Signs off with a loaded key; reports in the status line.
    pub fn sign_off(&mut self, sk: &minisign::SecretKey) {
        let (folder, member) = (self.folder.clone(), self.member.clone());
        match self.link.sign_off(&folder, &self.council, &member, sk) {
            Ok(dir) => self.info(fill(self.words().signed_off, &[&dir.display()])),
            Err(e) => self.error(self.decide_error(&e)),
        }
        tracing::info!(status = ?self.status, "sign-off from the screen");
    }

    /// Opens the confirmation of closing the round, listing the units that get
    /// a notice; refused at once for a member who may not close it.
    pub(super) fn confirm_close_round(&mut self) -> Flow {
        if let Err(r) = crate::appraisal::may_close_round(&self.council, &self.member) {
            self.error(self.refusal(&r));
            return Flow::Stay;
        }
        if self.link.locked_by().is_some() {
            self.error(self.refusal(&crate::appraisal::Refusal::Locked));
            return Flow::Stay;
        }
        let round = self.link.state().round();
        let units = (0..self.council.units.len())
            .filter(|&u| {
                !crate::export::notice::lines(&self.council, self.link.state(), u, round).is_empty()
            })
            .map(|u| self.council.units[u].name.clone())
            .collect();
        Flow::Push(Layer::Confirm(Confirm::new(Confirming::CloseRound {
            round,
            units,
        })))
    }

    /// Closes the round and writes its notices.
    pub fn close_round(&mut self) {
        let member = self.member.clone();
        match self.link.close_round(&self.council, &self.folder, &member) {
            Ok(closed) => match closed.notices {
                Ok(files) => {
                    let text = fill(
                        self.words().round_closed,
                        &[
                            &closed.round,
                            &closed.event.round,
                            &(files.len() / crate::export::notice::FILES_PER_UNIT),
                            &closed.dir.display(),
                        ],
                    );
                    self.info(text);
                }
                Err(err) => self.error(format!("{err:#}")),
            },
            Err(e) => self.error(self.decide_error(&e)),
        }
    }
}
