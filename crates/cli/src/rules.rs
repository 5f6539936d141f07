//! `tdkt rules check`: validates the award catalogue and every rule pack
//! (the shipped ones, or files given on the command line, e.g. a draft pack
//! for a new decree) and names file, line and reason for each problem.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use tdkt_core::catalogue::{self, Catalogue};
use tdkt_core::eligibility::{check_packs, pack};

/// Checks `files` (or the shipped packs when empty) against the catalogue
/// (`catalogue_file` or the shipped one).
///
/// # Errors
/// A file cannot be read.
pub fn check(files: &[PathBuf], catalogue_file: Option<&PathBuf>) -> Result<ExitCode> {
    let catalogue_src: Vec<(String, String)> = match catalogue_file {
        Some(p) => vec![(p.display().to_string(), read(p)?)],
        None => catalogue::EMBEDDED
            .iter()
            .map(|(f, s)| ((*f).to_owned(), (*s).to_owned()))
            .collect(),
    };
    let borrowed: Vec<(&str, &str)> = catalogue_src
        .iter()
        .map(|(f, s)| (f.as_str(), s.as_str()))
        .collect();
    let cat = match Catalogue::load(&borrowed) {
        Ok(c) => c,
        Err(errors) => {
            for e in &errors {
                println!("{e}");
            }
            println!("Danh mục khen thưởng có {} lỗi.", errors.len());
            return Ok(ExitCode::from(1));
        }
    };
    let sources: Vec<(String, String)> = if files.is_empty() {
        pack::EMBEDDED
            .iter()
            .map(|(f, s)| ((*f).to_owned(), (*s).to_owned()))
            .collect()
    } else {
        files
            .iter()
            .map(|p| Ok((p.display().to_string(), read(p)?)))
            .collect::<Result<_>>()?
    };
    let borrowed: Vec<(&str, &str)> = sources
        .iter()
        .map(|(f, s)| (f.as_str(), s.as_str()))
        .collect();
    let awards = cat.awards().len();
    match check_packs(cat, &borrowed) {
        Ok(set) => {
            println!(
                "Hợp lệ: {} gói quy tắc, {} quy tắc, danh mục {} danh hiệu và hình thức khen thưởng.",
                set.packs.len(),
                set.rules.len(),
                awards
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in &errors {
                println!("{e}");
            }
            println!("Có {} lỗi trong các gói quy tắc.", errors.len());
            Ok(ExitCode::from(1))
        }
    }
}

fn read(p: &PathBuf) -> Result<String> {
    std::fs::read_to_string(p).with_context(|| format!("không đọc được tệp {}", p.display()))
}
