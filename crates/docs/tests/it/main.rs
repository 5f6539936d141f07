//! The integration tests of tdkt-docs, one binary (STYLE.md): each module is
//! one subject's tests.

mod official;
mod tay_nam_bo;
