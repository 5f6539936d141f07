//! The `tdkt` binary: thin; everything testable lives in the library crates.

#![forbid(unsafe_code)]

/// mimalloc rather than glibc's malloc: the award import allocates on one
/// thread and frees on another (checking thread → writer → sqlx's SQLite
/// worker), where glibc's per-thread arenas lock and consolidate. With the
/// crate's `override` feature SQLite's C code allocates from it too (its
/// `malloc`, not Rust's allocator); measured in docs/registry-scale.md
/// (Import).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tdkt_cli::main()
}
