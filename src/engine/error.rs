//! Errors of the engine: a rejected input ([`InputError`]) and a failed
//! computation ([`ComputeError`]), each with a plain message and a help line.
//!
//! Owns: error values only. Never prints, never knows file names or line numbers:
//! the caller attaches the location of the YAML key named by [`ComputeError::field`].

use std::fmt;

/// An input that cannot be used as given: what is wrong, and what would be accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    message: String,
    help: String,
}

impl InputError {
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> InputError {
        InputError {
            message: message.into(),
            help: help.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn help(&self) -> &str {
        &self.help
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// Why a worked example could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComputeError {
    /// An input is out of its range; `field` is the example's key (`principal`, `days`, …).
    Invalid {
        field: &'static str,
        error: InputError,
    },
    /// An intermediate value left `Decimal`'s range. Reported instead of panicking.
    Overflow,
}

impl ComputeError {
    pub(crate) fn invalid(
        field: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ComputeError {
        ComputeError::Invalid {
            field,
            error: InputError::new(message, help),
        }
    }

    /// The input key the error is about, if it is about one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            ComputeError::Invalid { field, .. } => Some(field),
            ComputeError::Overflow => None,
        }
    }

    pub fn message(&self) -> String {
        match self {
            ComputeError::Invalid { field, error } => format!("`{field}`: {}", error.message()),
            ComputeError::Overflow => {
                "a figure in this example grew too large to compute exactly".to_string()
            }
        }
    }

    pub fn help(&self) -> String {
        match self {
            ComputeError::Invalid { error, .. } => error.help().to_string(),
            ComputeError::Overflow => {
                "check the amounts, rates, days and months for a typo (an extra digit or a missing `%`)"
                    .to_string()
            }
        }
    }
}

impl fmt::Display for ComputeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ComputeError {}
