//! What a layer may ask of the main screen: one handle per concern, so that no
//! layer knows the screen. The screen answers every handle (in `screen/`); a
//! layer is given only the one it needs.

use std::path::Path;

use super::Flow;
use crate::appraisal::Decided;
use crate::i18n::Words;
use crate::model::Member;
use crate::points::Points;

/// Words and the status line: what every layer that says something asks.
pub trait Say {
    fn words(&self) -> &'static Words;
    /// Shows a line of information in the status bar.
    fn tell(&mut self, text: &str);
}

/// Deciding a leaf: the decision box and the pick lists.
pub trait Deciding: Say {
    /// The unit shown and its selected leaf, when a leaf is selected.
    fn selected(&self) -> Option<(usize, usize)>;
    /// The unit's own points on a leaf of the unit shown (0 when it ruled it not applicable).
    fn own_points(&self, leaf: usize) -> Points;
    /// The next allowed value up or down from `from`.
    fn step(&self, leaf: usize, from: &Decided, up: bool) -> Decided;
    /// Whether the leaf may be ruled not applicable; the refusal in words.
    fn may_rule_na(&self, unit: usize, leaf: usize) -> Result<(), String>;
    /// The last event the screen has seen on the leaf (a decision since is stale).
    fn seen(&self, unit: usize, leaf: usize) -> i64;
    /// Records a decision; the refusal in words.
    fn record(
        &mut self,
        unit: usize,
        leaf: usize,
        value: &Decided,
        reason: &str,
        seen: i64,
    ) -> Result<(), String>;
    /// Accepts these leaves of the unit as claimed, all or none.
    fn accept_all(&mut self, unit: usize, leaves: &[usize]);
    /// Asks the unit to explain a leaf; the refusal in words.
    fn ask(&mut self, unit: usize, leaf: usize, text: &str) -> Result<(), String>;
    /// The council's members, in council.toml's order.
    fn members(&self) -> &[Member];
    /// Records from now on for this member (by id).
    fn record_as(&mut self, member: &str);
}

/// The meeting: attendance and votes, the agenda's order and its current item.
pub trait Meeting: Say {
    fn members(&self) -> &[Member];
    fn agenda_len(&self) -> usize;
    /// Records a member present or absent (with a written approval's reference).
    fn attend(&mut self, member: &str, present: bool, written: Option<&str>) -> Result<(), String>;
    fn vote(&mut self, member: &str, approve: bool);
    fn move_agenda_item(&mut self, from: usize, to: usize) -> bool;
    fn remove_agenda_item(&mut self, at: usize);
    /// Makes an item the current one; whether it could.
    fn agenda_go(&mut self, at: usize) -> bool;
}

/// Closing: the sign-off and its password, the round.
pub trait Closing: Say {
    /// After the confirmation: the password's prompt, or the sign-off itself.
    fn begin_signoff(&mut self) -> Flow;
    /// Signs off with the key at `path`; why not, in words.
    fn sign_with(&mut self, path: &Path, password: Option<&str>) -> Result<(), String>;
    /// Closes the round and writes its notices.
    fn close_round(&mut self);
}

/// Finding a unit or a leaf by name or code.
pub trait Finding {
    fn search_hits(&self, query: &str) -> Vec<Hit>;
    fn go_to(&mut self, hit: Hit);
}

/// A confirmation acts on decisions (accepting many) or on closing.
pub trait Confirms: Deciding + Closing {}
impl<T: Deciding + Closing> Confirms for T {}

/// A one-line prompt asks a unit to explain (deciding) or records a written approval (meeting).
pub trait Prompts: Deciding + Meeting {}
impl<T: Deciding + Meeting> Prompts for T {}

/// A search result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    Unit(usize),
    /// A leaf of the shown unit's framework.
    Leaf(usize),
}
