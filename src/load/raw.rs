//! The files' shapes exactly as written: strict serde structs, unknown keys refused.

use serde::Deserialize;
use toml::Spanned;

/// A number as written; its literal text is re-read exactly through its span.
pub type Num = Spanned<f64>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Council {
    pub name: Spanned<String>,
    pub authority: String,
    pub year: Spanned<i64>,
    /// The share of voting members approvals must exceed (default 0.5).
    pub approval: Option<Num>,
    /// Two-person confirmation of decisions (default false).
    pub confirm: Option<Spanned<bool>>,
    /// Last year's signed folder, relative to the council folder.
    pub previous: Option<Spanned<String>>,
    /// Days a unit has to explain a closed round's result, from the close.
    pub explanation_days: Option<Spanned<i64>>,
    #[serde(default)]
    pub member: Vec<Member>,
    #[serde(default)]
    pub group: Vec<Group>,
    #[serde(default)]
    pub unit: Vec<Unit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: Spanned<String>,
    pub name: String,
    pub role: String,
    pub chair: Option<Spanned<bool>>,
    pub secretary: Option<Spanned<bool>>,
    pub pubkey: Option<Spanned<String>>,
    /// The member's PostgreSQL login role, bound to them by the server.
    pub db_role: Option<Spanned<String>>,
    #[serde(default)]
    pub conflicts: Vec<Spanned<String>>,
    /// Field codes this member appraises before the meeting: a list, or a
    /// table of lists by framework id (read in `council::assigned`).
    pub fields: Option<Spanned<toml::Value>>,
    /// A member of the assisting team who does not vote (default: votes).
    pub voting: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: Spanned<String>,
    pub name: String,
    pub framework: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub id: Spanned<String>,
    pub name: String,
    pub short: Option<Spanned<String>>,
    pub group: Spanned<String>,
    /// Last year's unit ids this unit continues (a merger; one id: a rename).
    #[serde(default)]
    pub formerly: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: Spanned<String>,
    pub name: String,
    pub year: i64,
    pub step: Option<Num>,
    pub max_index: Option<Num>,
    #[serde(default)]
    pub band: Vec<Band>,
    #[serde(default)]
    pub field: Vec<Field>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub name: Spanned<String>,
    pub min: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub code: Spanned<String>,
    pub name: String,
    pub max: Option<Num>,
    #[serde(default)]
    pub criterion: Vec<Node>,
}

/// A criterion or a sub-criterion: either it has `sub`, or it carries the leaf keys.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub code: Spanned<String>,
    pub name: String,
    pub sub: Option<Spanned<Vec<Node>>>,
    pub max: Option<Num>,
    pub kind: Option<Spanned<String>>,
    pub levels: Option<Spanned<Vec<Level>>>,
    pub bands: Option<Spanned<Vec<RatioBand>>>,
    pub min: Option<Num>,
    pub guide: Option<String>,
    pub evidence: Option<String>,
    pub na: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub points: Num,
    pub label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatioBand {
    pub min: Num,
    pub points: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    pub unit: Spanned<String>,
    pub framework: Spanned<String>,
    pub submitted: Spanned<toml::value::Datetime>,
    pub signed_by: Option<String>,
    #[serde(default)]
    pub item: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub code: Spanned<String>,
    pub points: Option<Num>,
    pub numerator: Option<Spanned<i64>>,
    pub denominator: Option<Spanned<i64>>,
    pub na: Option<Spanned<bool>>,
    pub note: Option<Spanned<String>>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(rename = "ref")]
    pub reference: Spanned<String>,
    pub title: Option<String>,
    pub file: Option<Spanned<String>>,
    pub url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Survey {
    pub name: String,
    #[serde(default)]
    pub result: Vec<SurveyResult>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyResult {
    pub unit: Spanned<String>,
    pub code: Spanned<String>,
    pub points: Num,
}

/// An explanation file (`explanations/*.toml`): a unit's answers to one round.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    pub unit: Spanned<String>,
    pub round: Spanned<i64>,
    pub submitted: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    pub item: Vec<ExplanationItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplanationItem {
    pub code: Spanned<String>,
    pub text: Spanned<String>,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}
