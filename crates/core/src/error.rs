//! Domain errors. Every message is Vietnamese, names the field it is about and
//! says why, so the web and the CLI can show it to an officer as is.

use std::fmt;

/// One rejected field: its Vietnamese label and the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// Machine name of the field (`cccd`, `parent`, `effective_date`…).
    pub field: &'static str,
    /// Vietnamese, complete sentence: what is wrong and, where useful, how to fix it.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.field)
    }
}

/// A domain rule refused the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("{0}")]
    Invalid(FieldError),
}

impl DomainError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldError::new(field, message))
    }

    #[must_use]
    pub fn field(&self) -> &'static str {
        match self {
            Self::Invalid(e) => e.field,
        }
    }

    #[must_use]
    pub fn message(&self) -> &str {
        match self {
            Self::Invalid(e) => &e.message,
        }
    }
}
