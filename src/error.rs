//! Error types. Repairing text never fails; only building a
//! [`Fixer`](crate::Fixer) from user-supplied rules and replaying a list of
//! edits on the wrong text can.

use std::ops::Range;

/// Why a [`Fixer`](crate::Fixer) could not be built: a problem in rules the
/// caller supplied, or an unknown name.
///
/// The message is a full sentence that names the source, the line and the
/// problem. [`line`](BuildError::line) gives the line number alone.
///
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct BuildError {
    kind: BuildErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(dead_code)] // constructed by the rule parser, in progress
enum BuildErrorKind {
    /// A problem on one line of a rule text.
    Rule {
        source: String,
        line: usize,
        problem: String,
    },
    /// A name (family, pair, layer) that does not exist.
    UnknownName { what: &'static str, name: String },
}

#[allow(dead_code)] // constructed by the rule parser, in progress
impl BuildError {
    pub(crate) fn rule(source: &str, line: usize, problem: impl Into<String>) -> BuildError {
        BuildError {
            kind: BuildErrorKind::Rule {
                source: source.to_owned(),
                line,
                problem: problem.into(),
            },
        }
    }

    pub(crate) fn unknown_name(what: &'static str, name: &str) -> BuildError {
        BuildError {
            kind: BuildErrorKind::UnknownName {
                what,
                name: name.to_owned(),
            },
        }
    }

    /// The 1-based line of the rule text the error is about, if it is about
    /// one.
    pub fn line(&self) -> Option<usize> {
        match &self.kind {
            BuildErrorKind::Rule { line, .. } => Some(*line),
            BuildErrorKind::UnknownName { .. } => None,
        }
    }

    fn message(&self) -> String {
        match &self.kind {
            BuildErrorKind::Rule {
                source,
                line,
                problem,
            } => format!("{source}:{line}: {problem}"),
            BuildErrorKind::UnknownName { what, name } => {
                format!("there is no {what} named {name:?}")
            }
        }
    }
}

/// Why a list of [`Edit`](crate::Edit)s could not be replayed on a text:
/// the text is not the one the edits were made from.
///
/// # Example
///
/// ```
/// let report = zhfix::explain("同志们:");
/// let err = report.replay("同志").unwrap_err();
/// assert!(err.to_string().contains("edit 0"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ReplayError {
    message: String,
}

impl ReplayError {
    pub(crate) fn out_of_order(index: usize, range: Range<usize>) -> ReplayError {
        ReplayError {
            message: format!(
                "edit {index} at {}..{} starts before the previous edit ends, or ends before it starts",
                range.start, range.end
            ),
        }
    }

    pub(crate) fn out_of_bounds(index: usize, range: Range<usize>, len: usize) -> ReplayError {
        ReplayError {
            message: format!(
                "edit {index} at {}..{} does not lie on character boundaries of the {len}-byte input",
                range.start, range.end
            ),
        }
    }

    pub(crate) fn mismatch(
        index: usize,
        range: Range<usize>,
        want: &str,
        found: &str,
    ) -> ReplayError {
        ReplayError {
            message: format!(
                "edit {index} at {}..{} expects {want:?} but the input holds {found:?}",
                range.start, range.end
            ),
        }
    }
}
