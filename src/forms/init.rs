//! `thamdinh init`: a new council folder with a commented council.toml, an example framework and what to do next.

use crate::i18n::fill;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::write_atomic;

const COUNCIL: &str = r#"# Hội đồng thẩm định Chỉ số CCHC: thành viên, nhóm đơn vị và danh sách đơn vị.
# Sửa các giá trị dưới đây cho đúng với Hội đồng của năm; giữ nguyên tên các khóa.
# Kiểm tra bằng: thamdinh check <thư mục này>

name = "Hội đồng thẩm định Chỉ số CCHC năm 2025"
authority = "UBND tỉnh ..."          # cơ quan công bố kết quả
year = 2025
# confirm = true                     # quyết định chỉ có hiệu lực khi một thành viên khác xác nhận
# explanation_days = 7               # số ngày đơn vị có để giải trình sau khi đóng vòng (ghi trong thông báo)
# previous = "../cchc-2024/signed/2025-01-20-1"   # kết quả đã ký năm trước, để so sánh (thamdinh compare)

# Mỗi thành viên một khối [[member]]; đúng một người là Chủ tịch (chair = true).
[[member]]
id = "chu-tich"                      # mã ngắn, không dấu: chữ, số, '-', '_', '.'
name = "Họ và tên Chủ tịch Hội đồng"
role = "Phó Chủ tịch UBND tỉnh, Chủ tịch Hội đồng"
chair = true
# pubkey = "RW..."                   # khóa công khai: mọi việc ghi cho thành viên này phải ký bằng khóa đó (thamdinh keygen in ra)

[[member]]
id = "thu-ky"
name = "Họ và tên Thư ký"
role = "Trưởng phòng CCHC Sở Nội vụ, Thư ký Hội đồng"
secretary = true                     # thư ký: ký biên bản cùng Chủ tịch, ghi thay tại cuộc họp (--by)
# conflicts = ["so-noi-vu"]          # đơn vị mà thành viên này không được chấm (đơn vị của mình)

[[member]]
id = "to-giup-viec-1"
name = "Họ và tên chuyên viên"
role = "Chuyên viên Sở Nội vụ, Tổ giúp việc"
voting = false                       # Tổ giúp việc: không biểu quyết
fields = ["1", "2"]                  # lĩnh vực (mã) được phân công chấm trước cuộc họp
# db_role = "hn_tgv1"                # vai trò đăng nhập PostgreSQL của thành viên (nếu phiên đặt trên máy chủ)

# Đơn vị được xếp hạng trong nhóm của mình; mỗi nhóm dùng một bộ tiêu chí trong frameworks/.
[[group]]
id = "xa"
name = "Xã, phường"
framework = "mau-2025"

# Danh sách đơn vị phải thẩm định: mỗi đơn vị một khối [[unit]].
[[unit]]
id = "xa-mau-a"
name = "UBND xã Mẫu A"
group = "xa"
short = "Mẫu A"                      # tên ngắn hiện trên màn hình khi chật chỗ
# formerly = ["xa-cu-1", "xa-cu-2"]  # mã các đơn vị năm trước mà đơn vị này tiếp nối (sáp nhập)

[[unit]]
id = "xa-mau-b"
name = "UBND xã Mẫu B"
group = "xa"
"#;

const FRAMEWORK: &str = r#"# Bộ tiêu chí mẫu: thay bằng bộ tiêu chí thật của năm (giữ cấu trúc lĩnh vực → tiêu chí → tiêu chí thành phần).
# Các cách chấm: levels (chọn một mức), range (từ 0 đến tối đa), ratio (theo tỷ lệ tử số/mẫu số),
# deduction (điểm trừ, từ min đến 0), bonus (điểm thưởng, từ 0 đến max, không tính vào điểm tối đa),
# survey (điểm từ điều tra xã hội học).
id = "mau-2025"
name = "Bộ tiêu chí mẫu xác định Chỉ số CCHC của UBND xã, phường"
year = 2025
step = 0.25
# max_index = 100   # chỉ số không vượt quá 100 khi có điểm thưởng

[[band]]
name = "Xuất sắc"
min = 90
[[band]]
name = "Tốt"
min = 80
[[band]]
name = "Khá"
min = 65
[[band]]
name = "Trung bình"
min = 50
[[band]]
name = "Yếu"
min = 0

[[field]]
code = "1"
name = "Công tác chỉ đạo, điều hành cải cách hành chính"
max = 5

  [[field.criterion]]
  code = "1.1"
  name = "Kế hoạch cải cách hành chính năm"

    [[field.criterion.sub]]
    code = "1.1.1"
    name = "Ban hành kế hoạch CCHC năm đúng thời hạn"
    max = 1
    kind = "levels"
    levels = [
      { points = 1, label = "Ban hành trước ngày 31/12 năm trước" },
      { points = 0.5, label = "Ban hành chậm" },
      { points = 0, label = "Không ban hành" },
    ]
    evidence = "Kế hoạch CCHC năm của UBND xã"

    [[field.criterion.sub]]
    code = "1.1.2"
    name = "Mức độ hoàn thành kế hoạch CCHC năm"
    max = 2
    kind = "ratio"
    bands = [{ min = 100, points = 2 }, { min = 80, points = 1.5 }, { min = 70, points = 1 }]

  [[field.criterion]]
  code = "1.2"
  name = "Sáng kiến, mô hình mới trong CCHC"
  max = 2
  kind = "range"
  guide = "Mỗi sáng kiến được công nhận: 1 điểm, tối đa 2 điểm."

[[field]]
code = "2"
name = "Cải cách thủ tục hành chính"
max = 5

  [[field.criterion]]
  code = "2.1"
  name = "Tỷ lệ hồ sơ giải quyết đúng hạn"
  max = 2
  kind = "ratio"
  bands = [{ min = 90, points = 2 }, { min = 70, points = 1 }]

  [[field.criterion]]
  code = "2.2"
  name = "Ban hành văn bản quy phạm pháp luật đúng quy trình"
  max = 1
  kind = "levels"
  levels = [{ points = 1, label = "Đúng quy trình" }, { points = 0, label = "Không đúng" }]
  na = true
  guide = "Không áp dụng nếu trong năm không ban hành văn bản QPPL."

  [[field.criterion]]
  code = "2.3"
  name = "Mức độ hài lòng của người dân (SIPAS)"
  max = 2
  kind = "survey"

  [[field.criterion]]
  code = "2.4"
  name = "Hồ sơ quá hạn không xin lỗi"
  kind = "deduction"
  min = -1
  guide = "Trừ 0,25 điểm mỗi hồ sơ, tối đa trừ 1 điểm."
"#;

const README: &str = "Thư mục Hội đồng thẩm định Chỉ số CCHC
=======================================

Thư mục này là nguồn dữ liệu duy nhất của Hội đồng. Các bước trong năm:

Chuẩn bị
1. Sửa council.toml: tên Hội đồng, các thành viên (chủ tịch, thư ký, tổ giúp việc),
   nhóm đơn vị và danh sách đơn vị.
2. Đặt bộ tiêu chí của năm vào frameworks/ (frameworks/mau-2025.toml là một mẫu).
3. Mỗi thành viên tạo khóa ký:  thamdinh keygen --member <mã>
   rồi thêm dòng pubkey = \"…\" in ra vào thành viên đó trong council.toml.
4. Kiểm tra:                   thamdinh check <thư mục này>

Tự đánh giá của đơn vị
5. Phát biểu mẫu tự đánh giá:   thamdinh form <thư mục này> --all -o bieu-mau
   (mỗi đơn vị một tệp bieu-mau/<mã đơn vị>.xlsx; gửi cho đơn vị điền)
6. Nhận biểu mẫu đã điền:       thamdinh import <thư mục này> bieu-mau-da-dien/*.xlsx
   (mỗi lỗi được chỉ rõ tệp, ô và cách sửa; biểu mẫu có lỗi không được ghi)
7. Nhận kết quả điều tra xã hội học:
                                thamdinh import-survey <thư mục này> sipas.xlsx --name \"Khảo sát SIPAS 2025\"

Các vòng thẩm định
8. Thành viên chấm và đề nghị giải trình (trên màn hình, hoặc):
                                thamdinh decide <thư mục này> --member <mã> --unit <đơn vị> --code 1.1.1 --points 0.5 --comment \"…\"
                                thamdinh decide <thư mục này> --member <mã> --from vong-1.xlsx
9. Đóng vòng, gửi thông báo:     thamdinh round close <thư mục này> --member thu-ky --deadline 2026-01-15
   (notices/round-1/: thông báo Word, trang HTML và biểu mẫu giải trình cho từng đơn vị)
10. Nhận giải trình:             thamdinh import <thư mục này> giai-trinh/*.xlsx
11. Theo dõi:                    thamdinh progress <thư mục này>

Cuộc họp và ký duyệt
12. Họp Hội đồng:               thamdinh open <thư mục này> --member thu-ky
    (điểm danh và biểu quyết: phím V; thư ký ghi thay thành viên có mặt)
13. Xuất kết quả:               thamdinh export <thư mục này> --pdf
    (export/: sổ kết quả, biên bản và dự thảo quyết định bằng Word, bảng CSV)
14. Ký duyệt:                   thamdinh signoff <thư mục này> --member chu-tich
15. Ai cũng kiểm chứng được:    thamdinh verify <thư mục này>/signed/<ngày>-<n>
16. So sánh với năm trước:      thamdinh compare <thư mục này> (cần previous trong council.toml)

assessments/ chứa bản tự đánh giá của từng đơn vị, surveys/ kết quả điều tra,
explanations/ giải trình, evidence/ (nếu có) các tài liệu kiểm chứng.
Chương trình không bao giờ sửa các tệp đầu vào; quyết định của Hội đồng được
ghi riêng trong .thamdinh/ và mỗi việc ghi được ký bằng khóa của người ghi.
";

/// Starts a council folder at `folder` (made if missing); refuses one that holds anything.
pub fn init(folder: &Path) -> Result<Vec<String>> {
    must_be_new(folder)?;
    let files = [
        ("council.toml", COUNCIL),
        ("frameworks/mau-2025.toml", FRAMEWORK),
        ("README.txt", README),
    ];
    for (rel, text) in files {
        write_atomic(&folder.join(rel), text.as_bytes())?;
    }
    made_empty(folder)?;
    Ok(files
        .iter()
        .map(|(r, _)| r.to_string())
        .chain(["assessments/".into(), "surveys/".into()])
        .collect())
}

/// The folder a new council goes in: new, or an empty folder.
pub fn must_be_new(folder: &Path) -> Result<()> {
    if folder.exists() {
        if !folder.is_dir() {
            bail!(
                "{}",
                crate::i18n::say(|w| fill(w.er_exists_folder, &[&folder.display()]))
            );
        }
        let mut entries = std::fs::read_dir(folder)
            .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&folder.display()])))?;
        if entries.next().is_some() {
            bail!(
                "{}",
                crate::i18n::say(|w| fill(w.er_empty_give_new_empty, &[&folder.display()]))
            );
        }
    }
    Ok(())
}

/// The folders the units' files go in, empty.
pub fn made_empty(folder: &Path) -> Result<()> {
    for sub in ["assessments", "surveys"] {
        std::fs::create_dir_all(folder.join(sub)).with_context(|| {
            crate::i18n::say(|w| fill(w.er_creating, &[&folder.join(sub).display()]))
        })?;
    }
    Ok(())
}
