//! `tdkt gen --people N --awards M --out DIR [--seed S]`: synthetic award
//! history for benchmarks and load tests, deterministic for a seed, streamed
//! to `DIR/awards.csv` in the import format. People have Vietnamese names
//! with diacritics and valid CCCD numbers (province of the unit, gender and
//! birth year encoded, serial = person number so they are unique); units come
//! from the demo tree (`data/demo/units.csv`) and are those in being in the
//! year of each award; individuals get streaks of consecutive `Lao động tiên
//! tiến` years with `Chiến sĩ thi đua cơ sở` every third year of a streak,
//! units get `Tập thể lao động tiên tiến`. Decisions are shared by everyone a
//! unit commended the same year, as in real life.
//!
//! Beside it, the inputs the eligibility rules read, so that a scan over the
//! set lists people: `DIR/ratings.csv` (an annual rating for every person
//! from 2021, or from the year they first appear, to 2025; at least *hoàn
//! thành tốt* in the years they hold a title) and `DIR/initiatives.csv`
//! (about one person in twenty with a recognised initiative). They come from
//! a second random stream, so `awards.csv` is the same for a seed whether or
//! not anyone reads the others.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tdkt_core::cccd::{compose, PROVINCE_CODES};
use tdkt_core::person::Gender;
use tdkt_core::rating::Rating;
use tdkt_core::text;

const UNITS: &str = include_str!("../../../data/demo/units.csv");
const LINEAGE: &str = include_str!("../../../data/demo/lineage.csv");

const FAMILY: [&str; 16] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
/// Weights (per mille) of the family names, most common first.
const FAMILY_W: [u32; 16] = [
    380, 110, 95, 70, 50, 45, 45, 40, 40, 25, 25, 20, 15, 15, 15, 10,
];
const MIDDLE_M: [&str; 8] = [
    "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Quốc",
];
const MIDDLE_F: [&str; 8] = [
    "Thị",
    "Ngọc",
    "Thu",
    "Thanh",
    "Mỹ",
    "Kim",
    "Thị Thu",
    "Hồng",
];
const GIVEN_M: [&str; 20] = [
    "Bình", "Dũng", "Hùng", "Tuấn", "Minh", "Nam", "Phong", "Quân", "Sơn", "Tài", "Thắng", "Trung",
    "Việt", "Đức", "Khoa", "Long", "Hải", "Lộc", "Phúc", "Tâm",
];
const GIVEN_F: [&str; 20] = [
    "Hà", "Lan", "Linh", "Mai", "Ngọc", "Hương", "Trang", "Thảo", "Yến", "Hạnh", "Hằng", "Nhung",
    "Phương", "Quyên", "Thủy", "Vân", "Diễm", "Hân", "Oanh", "Tuyết",
];

struct GenUnit {
    code: String,
    name: String,
    from: i32,
    to: i32,
    province: &'static str,
    abbr: String,
}

fn units(last_year: i32) -> Vec<GenUnit> {
    let mut rdr = csv::Reader::from_reader(UNITS.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().filter_map(std::result::Result::ok).collect();
    let name_of = |code: &str| {
        rows.iter()
            .find(|r| &r[0] == code)
            .map(|r| r[1].to_owned())
            .unwrap_or_default()
    };
    // units ended by a merge, split or dissolution end the year before its effective date
    let mut ended: std::collections::HashMap<String, i32> = std::collections::HashMap::new();
    for e in csv::Reader::from_reader(LINEAGE.as_bytes())
        .records()
        .filter_map(std::result::Result::ok)
    {
        if matches!(&e[0], "merge" | "split" | "dissolve") {
            let effective: i32 = e[1]
                .get(..4)
                .and_then(|y| y.parse().ok())
                .unwrap_or(last_year);
            let to: Vec<&str> = e[3].split('|').collect();
            for f in e[2].split('|').filter(|f| !to.contains(f)) {
                ended.insert(f.to_owned(), effective - 1);
            }
        }
    }
    rows.iter()
        .filter(|r| &r[2] != "trung-uong")
        .filter_map(|r| {
            let from: i32 = r[4].get(..4)?.parse().ok()?;
            let to: i32 = r[5]
                .get(..4)
                .and_then(|y| y.parse().ok())
                .or_else(|| ended.get(&r[0]).copied())
                .unwrap_or(last_year);
            let root = r[0].split('.').next().unwrap_or_default();
            let pname = text::fold(&name_of(root)).replace(" (tinh)", "");
            let province = PROVINCE_CODES
                .iter()
                .find(|(_, n)| text::fold(n) == pname)
                .map_or("001", |(c, _)| c);
            let abbr: String = r[0]
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .split('-')
                .filter_map(|w| w.chars().next())
                .collect::<String>()
                .to_uppercase();
            Some(GenUnit {
                code: r[0].to_owned(),
                name: r[1].to_owned(),
                from: from.max(2005),
                to: to.min(last_year),
                province,
                abbr,
            })
        })
        .filter(|u| u.from <= u.to)
        .collect()
}

fn pick_family(rng: &mut StdRng) -> &'static str {
    let mut x = rng.gen_range(0..FAMILY_W.iter().sum::<u32>());
    for (f, w) in FAMILY.iter().zip(FAMILY_W) {
        if x < w {
            return f;
        }
        x -= w;
    }
    FAMILY[0]
}

/// A decision number shared by everyone `unit` commended for `award` in `year`.
fn decision(u: &GenUnit, award: &str, year: i32) -> (String, String, String) {
    let h = u
        .code
        .bytes()
        .chain(award.bytes())
        .fold(u32::try_from(year).unwrap_or(0), |h, b| {
            h.wrapping_mul(31).wrapping_add(u32::from(b))
        });
    let n = 1 + h % 2999;
    match award {
        "bang-khen-cap-tinh" | "chien-si-thi-dua-cap-tinh" => (
            format!("{n}/QĐ-UBND"),
            format!("{}-03-{:02}", year + 1, 1 + h % 28),
            format!("UBND {}", u.name.split(" - ").next().unwrap_or(&u.name)),
        ),
        _ => (
            format!("{n}/QĐ-{}", u.abbr),
            format!("{}-01-{:02}", year + 1, 5 + h % 20),
            format!("Thủ trưởng {}", u.name),
        ),
    }
}

type Out = csv::Writer<std::io::BufWriter<std::fs::File>>;

fn create(out: &Path, name: &str, header: &[&str]) -> Result<(PathBuf, Out)> {
    let path = out.join(name);
    let file = std::fs::File::create(&path)
        .with_context(|| format!("không tạo được {}", path.display()))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 20, file));
    w.write_record(header)?;
    Ok((path, w))
}

fn finish(w: Out) -> Result<()> {
    let mut inner = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    inner.flush()?;
    Ok(())
}

/// Ratings years: from 2021 (or the first year on file) to the year after the
/// last award year, the year a scan of today's registry is about.
const RATED_FROM: i32 = 2021;
const RATED_TO: i32 = 2025;

/// A rating for `year`: at least *hoàn thành tốt* when the person holds a
/// title that year (the title requires it), otherwise a plausible spread.
fn rating(rng: &mut StdRng, titled: bool) -> &'static str {
    let x = rng.gen_range(0..100);
    match (titled, x) {
        (true, 0..=29) | (false, 0..=9) => Rating::HoanThanhXuatSac,
        (true, _) | (false, 10..=64) => Rating::HoanThanhTot,
        (false, 65..=94) => Rating::HoanThanh,
        (false, _) => Rating::KhongHoanThanh,
    }
    .label()
}

/// `tdkt gen`: [`generate`], then what was written and how long it took.
///
/// # Errors
/// Those of [`generate`].
pub fn run(people: u64, awards: u64, out: &Path, seed: u64) -> Result<()> {
    let started = std::time::Instant::now();
    let (path, rows) = generate(people, awards, out, seed)?;
    println!(
        "Đã ghi {rows} dòng vào {} (cùng ratings.csv, initiatives.csv) trong {:.2} s.",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes `DIR/awards.csv`, `DIR/ratings.csv` and `DIR/initiatives.csv`;
/// returns the path of the first and its number of rows.
///
/// # Errors
/// The directory or a file cannot be written.
pub fn generate(people: u64, awards: u64, out: &Path, seed: u64) -> Result<(PathBuf, u64)> {
    std::fs::create_dir_all(out).with_context(|| format!("không tạo được {}", out.display()))?;
    let (_, mut rw) = create(out, "ratings.csv", &["cccd", "year", "rating"])?;
    let (_, mut iw) = create(
        out,
        "initiatives.csv",
        &[
            "cccd",
            "kind",
            "title",
            "scope",
            "recognised_on",
            "decision_no",
        ],
    )?;
    let mut inputs = StdRng::seed_from_u64(seed ^ 0x5EED_1A7E);
    let (path, mut w) = create(
        out,
        "awards.csv",
        &[
            "recipient_type",
            "cccd",
            "unit_code",
            "recipient_name",
            "award",
            "year",
            "decision_no",
            "decision_date",
            "authority",
        ],
    )?;
    let last_year = 2024;
    let units = units(last_year);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut written = 0u64;
    // collectives: about 2% of the rows, Tập thể lao động tiên tiến years
    let unit_budget = awards / 50;
    'units: for u in &units {
        for year in u.from.max(2010)..=u.to {
            if written >= unit_budget {
                break 'units;
            }
            if rng.gen_bool(0.6) {
                let (no, date, auth) = decision(u, "tap-the-lao-dong-tien-tien", year);
                let y = year.to_string();
                w.write_record([
                    "unit",
                    "",
                    &u.code,
                    &u.name,
                    "tap-the-lao-dong-tien-tien",
                    &y,
                    &no,
                    &date,
                    &auth,
                ])?;
                written += 1;
            }
        }
    }
    let people = people.max(1);
    let remaining = awards.saturating_sub(written);
    let per = remaining / people;
    let extra = remaining % people;
    for i in 0..people {
        let want = per + u64::from(i < extra);
        if want == 0 {
            break;
        }
        let gender = if rng.gen_bool(0.5) {
            Gender::Female
        } else {
            Gender::Male
        };
        let u = &units[rng.gen_range(0..units.len())];
        let birth = rng.gen_range(1965..=(u.to - 23).clamp(1965, 2000));
        let serial = u32::try_from(i % 1_000_000).unwrap_or(0);
        let cccd = compose(u.province, gender, birth, serial).unwrap_or_default();
        let (mid, given) = match gender {
            Gender::Female => (MIDDLE_F, GIVEN_F),
            Gender::Male => (MIDDLE_M, GIVEN_M),
        };
        let name = format!(
            "{} {} {}",
            pick_family(&mut rng),
            mid[rng.gen_range(0..mid.len())],
            given[rng.gen_range(0..given.len())]
        );
        let first = u.from.max(birth + 22).min(u.to);
        let mut year = rng.gen_range(first..=u.to);
        // the import starts the person's employment on 1 January of this year
        let hired = year;
        let mut titled = Vec::new();
        let mut streak = 0;
        let mut round = 0;
        let mut done = 0u64;
        while done < want {
            if year > u.to {
                // back to the first year: another kind of award for the same years
                year = first;
                streak = 0;
                round += 1;
            }
            streak += 1;
            let award = match (round, streak % 3) {
                (0, 0) => "chien-si-thi-dua-co-so",
                (0, _) => "lao-dong-tien-tien",
                (1, _) => "giay-khen",
                _ => "bang-khen-cap-tinh",
            };
            if round == 0 {
                titled.push(year);
            }
            let (no, date, auth) = decision(u, award, year);
            let y = year.to_string();
            w.write_record([
                "person", &cccd, &u.code, &name, award, &y, &no, &date, &auth,
            ])?;
            written += 1;
            done += 1;
            year += 1;
        }
        for y in hired.max(RATED_FROM)..=RATED_TO {
            let r = rating(&mut inputs, titled.contains(&y));
            rw.write_record([cccd.as_str(), &y.to_string(), r])?;
        }
        if inputs.gen_bool(0.05) {
            let y = inputs.gen_range(hired.max(RATED_FROM)..=RATED_TO);
            let scope = if inputs.gen_bool(0.1) {
                "cấp tỉnh"
            } else {
                "cơ sở"
            };
            iw.write_record([
                cccd.as_str(),
                "sáng kiến",
                &format!("Cải tiến quy trình tiếp nhận hồ sơ tại {}", u.name),
                scope,
                &format!("{y}-11-{:02}", inputs.gen_range(1..=28)),
                &format!("{}/QĐ-HĐSK", inputs.gen_range(1..=400)),
            ])?;
        }
    }
    finish(w)?;
    finish(rw)?;
    finish(iw)?;
    Ok((path, written))
}
