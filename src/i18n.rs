//! Vietnamese and English words of the command line and the screen.

use clap::ValueEnum;

use crate::report::TableLabels;

/// The language of labels; Vietnamese by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn table(self) -> TableLabels {
        match self {
            Lang::Vi => TableLabels {
                rank: "Hạng",
                unit: "Mã",
                name: "Đơn vị",
                self_index: "Tự chấm",
                points: "Điểm",
                max: "Tối đa",
                index: "Chỉ số",
                band: "Xếp loại",
                not_submitted: "chưa nộp",
            },
            Lang::En => TableLabels {
                rank: "Rank",
                unit: "Id",
                name: "Unit",
                self_index: "Self",
                points: "Points",
                max: "Max",
                index: "Index",
                band: "Band",
                not_submitted: "not submitted",
            },
        }
    }
}
