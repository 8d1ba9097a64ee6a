//! Everything the keyboard (and the loop) can ask of the screen, and what the screen asks of the loop.

use std::path::PathBuf;

use ratatui::crossterm::event::KeyEvent;
use serde::Deserialize;

/// One request to the screen. The bindable ones are named in the key map's
/// TOML by their snake_case names (`next_look`, `accept_proven`, …).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusNext,
    FocusPrev,
    Open,
    Fold,
    NextLook,
    PrevLook,
    /// Accept the unit's own value for the leaf and move on.
    Accept,
    /// Accept, behind a confirmation, every leaf of the unit that is proven.
    AcceptProven,
    StepUp,
    StepDown,
    TypePoints,
    PickLevel,
    ToggleNa,
    Comment,
    Undo,
    Redo,
    Member,
    NextGroup,
    PrevGroup,
    OpenEvidence,
    Presenter,
    Search,
    Across,
    Overview,
    /// Order the ranking by the self-assessment gap (largest first), or by rank again.
    SortGap,
    Language,
    SignOff,
    Export,
    /// Ask the unit to explain the selected leaf (a request in the current round).
    Ask,
    /// Close the current round and open the next, behind a confirmation.
    CloseRound,
    /// Show (or leave) the member's work queue.
    Queue,
    /// Show (or leave) the round's progress.
    Progress,
    /// Move the meeting on to the agenda's next item (the chair or the secretary).
    AgendaNext,
    /// Put the selected unit (or leaf, from the tree) on the agenda, or take it off.
    AgendaMark,
    /// Open the attendance and vote of the meeting (every member, present or
    /// absent, written approvals, votes).
    Votes,
    /// Show (or leave) the decisions waiting for a second member's confirmation.
    Pending,
    /// Open the agenda, to order its items.
    Agenda,
    /// In the attendance dialog: the selected member is present.
    Present,
    /// The selected member is absent.
    Absent,
    /// The selected member, absent, approves in writing (a document's reference is asked).
    Written,
    /// The selected member approves the result as it stands.
    Approve,
    /// The selected member objects to the result as it stands.
    Object,
    /// In the agenda: move the selected item up or down, or take it off.
    MoveUp,
    MoveDown,
    Remove,
    /// Scroll the leaf's detail pane.
    DetailUp,
    DetailDown,
    Save,
    Cancel,
    NextField,
    Choose,
    Close,
    Yes,
    No,
    /// A key typed into a text field (the points, the reason, a search, a password).
    #[serde(skip)]
    Input(KeyEvent),
    /// Text pasted into a text field.
    #[serde(skip)]
    Paste(String),
    /// The loop's timer: look whether another process wrote to the session.
    #[serde(skip)]
    Tick,
    /// The terminal's size (columns, rows).
    #[serde(skip)]
    Resize(u16, u16),
    /// The system's viewer was started on a file, or could not be.
    #[serde(skip)]
    Opened(Result<PathBuf, String>),
}

/// What only the loop can do, asked by `update`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Open a file with the system's viewer.
    OpenFile(PathBuf),
}
