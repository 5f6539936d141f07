//! Lists the user guide's screenshots (`docs/huong-dan/anh/*.png`) for
//! `routes/guide.rs`, which compiles them in: the browser test
//! `tests/browser/guide.test.mjs` regenerates the files, and the next build
//! serves the new ones without a list to keep by hand.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("../../docs/huong-dan/anh");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| {
                    // lower case only: the pages name them so
                    std::path::Path::new(n)
                        .extension()
                        .is_some_and(|e| e == "png")
                        && n.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut out = String::from("[\n");
    for n in &names {
        let path = dir.join(n);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    ({n:?}, include_bytes!({:?}) as &[u8]),",
            path.display().to_string()
        )
        .expect("a String takes writes");
    }
    out.push(']');
    let dest =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("guide_images.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
