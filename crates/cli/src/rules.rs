//! The rules directory (`--rules-dir` / `TDKT_RULES_DIR`) and `tdkt rules
//! check`: reads `DIR/{catalogue,rules,calendar,salary}/**/*.toml`, hands
//! the texts to [`tdkt_core::rules::Rules::load`] (core does no I/O) and
//! names file, line and reason for each problem. Also validates single pack
//! files against a catalogue (a draft pack for a new decree).

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use tdkt_core::catalogue::{self, Catalogue, SourceError};
use tdkt_core::eligibility::{check_packs, pack};
use tdkt_core::rules::{Rules, FOLDERS};

/// A rules directory that does not load: every problem, paths under the directory.
#[derive(Debug)]
pub struct InvalidRules {
    pub dir: PathBuf,
    pub errors: Vec<SourceError>,
}

impl fmt::Display for InvalidRules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "thư mục quy tắc {} không hợp lệ ({} lỗi):",
            self.dir.display(),
            self.errors.len()
        )?;
        for e in &self.errors {
            writeln!(f, "  {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidRules {}

/// Every `*.toml` under the four folders of `dir`, as (path relative to
/// `dir` with `/`, text), sorted by path. A missing folder is left to the
/// loader to report.
///
/// # Errors
/// A file or folder cannot be read.
pub fn read_dir(dir: &Path) -> Result<Vec<(String, String)>> {
    if !dir.is_dir() {
        anyhow::bail!("thư mục quy tắc {} không tồn tại", dir.display());
    }
    let mut out = Vec::new();
    for folder in FOLDERS {
        let root = dir.join(folder);
        if root.is_dir() {
            walk(dir, &root, &mut out)?;
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

fn walk(base: &Path, here: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
    let entries = std::fs::read_dir(here)
        .with_context(|| format!("không đọc được thư mục {}", here.display()))?;
    for entry in entries {
        let path = entry
            .with_context(|| format!("không đọc được thư mục {}", here.display()))?
            .path();
        if path.is_dir() {
            walk(base, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("không đọc được tệp {}", path.display()))?;
            out.push((rel, text));
        }
    }
    Ok(())
}

/// Loads the rules of `dir`, or the compiled-in ones without a directory.
///
/// # Errors
/// The directory cannot be read, or [`InvalidRules`] with every problem
/// (file paths under `dir`).
pub fn load(dir: Option<&Path>) -> Result<Rules> {
    let Some(dir) = dir else {
        return Ok(Rules::embedded());
    };
    let files = read_dir(dir)?;
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(f, s)| (f.as_str(), s.as_str()))
        .collect();
    match Rules::load(&borrowed) {
        Ok(mut r) => {
            r.origin = dir.display().to_string();
            Ok(r)
        }
        Err(errors) => Err(InvalidRules {
            dir: dir.to_owned(),
            errors: errors
                .into_iter()
                .map(|mut e| {
                    e.file = dir.join(&e.file).display().to_string();
                    e
                })
                .collect(),
        }
        .into()),
    }
}

/// `tdkt rules export DIR`: writes the compiled-in rules in the directory
/// layout, never over an existing file, so that an administrator starts a
/// rules directory from what the binary runs with.
///
/// # Errors
/// A file exists already or cannot be written.
pub fn export(dir: &Path) -> Result<ExitCode> {
    let files = tdkt_core::rules::embedded_files();
    for (path, _) in &files {
        let target = dir.join(path);
        if target.exists() {
            anyhow::bail!("{} đã có: không ghi đè", target.display());
        }
    }
    for (path, text) in &files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("không tạo được thư mục {}", parent.display()))?;
        }
        std::fs::write(&target, text)
            .with_context(|| format!("không ghi được {}", target.display()))?;
    }
    println!(
        "Đã ghi {} tệp vào {}. Sửa, bổ sung rồi kiểm tra: tdkt rules check --rules-dir {}",
        files.len(),
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `tdkt rules check --rules-dir DIR`: the whole directory.
///
/// # Errors
/// The directory cannot be read.
pub fn check_dir(dir: &Path) -> Result<ExitCode> {
    match load(Some(dir)) {
        Ok(r) => {
            println!("Hợp lệ: {} ({}).", r.summary(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => match e.downcast::<InvalidRules>() {
            Ok(invalid) => {
                for e in &invalid.errors {
                    println!("{e}");
                }
                println!(
                    "Có {} lỗi trong thư mục quy tắc {}.",
                    invalid.errors.len(),
                    dir.display()
                );
                Ok(ExitCode::from(1))
            }
            Err(other) => Err(other),
        },
    }
}

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
