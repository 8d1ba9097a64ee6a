//! Writes the filled forms shipped in `data/demo/forms/` for trying `thamdinh import`:
//! Xã Nà Khoang's form (the unit that has not submitted), filled, and Xã Vĩnh An's
//! form with one leaf lowered after its assessment was sent.
//!
//! Run: `cargo run --example demo_forms` (from the repository).

use std::path::Path;

use anyhow::{Context, Result};
use thamdinh::model::{AssessmentFile, Evidence, Rule};
use thamdinh::{Points, forms, load};

fn main() -> Result<()> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
    let c = load::load(&demo).map_err(|d| anyhow::anyhow!("{d}"))?;
    let out = demo.join("forms");

    // Xã Nà Khoang fills its form like a neighbouring commune, citing its own documents.
    let late = c.unit_index("xa-na-khoang").context("xa-na-khoang")?;
    let like = c.unit_index("xa-lac-thuy").context("xa-lac-thuy")?;
    let mut a = c.assessments[like].clone();
    a.file = Some(AssessmentFile {
        path: String::new(),
        submitted: "2026-01-21".into(),
        signed_by: Some("Chủ tịch UBND Xã Nà Khoang".into()),
    });
    for claim in &mut a.claims {
        for e in &mut claim.evidence {
            *e = Evidence::new(e.reference(), e.title(), None, e.url(), false);
        }
    }
    forms::write_atomic(
        &out.join("xa-na-khoang.xlsx"),
        &forms::write::form(&c, late, Some(&a))?,
    )?;

    // Xã Vĩnh An corrects its form: its first range leaf claimed one point less.
    let u = c.unit_index("xa-vinh-an").context("xa-vinh-an")?;
    let mut a = c.assessments[u].clone();
    let fw = c.framework_of(u);
    if let Some((i, _)) = fw
        .leaves
        .iter()
        .enumerate()
        .find(|(i, l)| l.rule == Rule::Range && a.claims[*i].points >= Points::whole(1))
    {
        a.claims[i].points = a.claims[i].points - Points::whole(1);
        a.claims[i].note = Some("Đơn vị tự điều chỉnh: một sáng kiến chưa được công nhận".into());
    }
    forms::write_atomic(
        &out.join("xa-vinh-an.xlsx"),
        &forms::write::form(&c, u, Some(&a))?,
    )?;
    println!("wrote {}", out.display());
    Ok(())
}
