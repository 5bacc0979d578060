//! zhfix repairs Chinese text that a rewrite tool, a converter, a PDF
//! extractor or an OCR engine has garbled, and leaves correct text untouched.
//!
//! # Overview
//!
//! - [`clean`] repairs a string with the default configuration and returns
//!   it borrowed when nothing needed to change.
//! - [`explain`] returns a [`Report`]: the output and every [`Edit`] (byte
//!   range of the input, before, after, rule id, [`Layer`]).
//! - [`diagnose`] returns a [`Diagnosis`]: how garbled a text looks (a
//!   score from 0 to 1), which rewrite-tool families it shows and on what
//!   evidence, without repairing anything.
//! - [`Fixer`] and [`FixerBuilder`] configure which layers run, the word
//!   pairs and families of the lexicon layer, user pairs, and how much
//!   [`Evidence`] a word repair needs.
//!
//! # Example: clean
//!
//! Punctuation flattened to ASCII, Kangxi radicals from a PDF, and words a
//! rewrite tool swapped where the context makes the repair self-evident:
//!
//! ```
//! assert_eq!(zhfix::clean("在此根底上，树立效劳意识"), "在此基础上，树立服务意识");
//! assert_eq!(zhfix::clean("同志们:经研究决定,我们"), "同志们：经研究决定，我们");
//! assert_eq!(zhfix::clean("中华⼈民共和国"), "中华人民共和国");
//! ```
//!
//! Correct text comes back borrowed, unchanged:
//!
//! ```
//! use std::borrow::Cow;
//!
//! assert!(matches!(zhfix::clean("开展工作，鼓励创新。"), Cow::Borrowed(_)));
//! ```
//!
//! # Example: explain
//!
//! ```
//! let input = "要坚持“月安排、周调度〞";
//! let report = zhfix::explain(input);
//! assert_eq!(report.output(), "要坚持“月安排、周调度”");
//! let edit = &report.edits()[0];
//! assert_eq!((edit.before(), edit.after(), edit.rule()), ("〞", "”", "punct/quote-close"));
//! assert_eq!(report.replay(input).unwrap(), report.output());
//! ```
//!
//! # Example: a configured fixer
//!
//! ```
//! let fixer = zhfix::Fixer::builder().punct(false).build().unwrap();
//! assert_eq!(fixer.clean("⼈民,"), "人民,");
//! ```
//!
//! # Guarantees
//!
//! For every input and every configuration (property tests and fuzzing
//! check each one; see the README's "Testing strategy"):
//!
//! - cleaning is idempotent: `clean(clean(x)) == clean(x)`;
//! - [`explain`]'s edits are sorted, never overlap, and replay to the
//!   output; there are none exactly when [`clean`] returns the input
//!   borrowed;
//! - only lines (text between line breaks) that hold a CJK ideograph or a
//!   CJK radical change, and no line break is added or removed;
//! - a line is repaired the same alone as inside a longer text, except by
//!   the rules that weigh evidence from the whole text, which each layer's
//!   documentation lists.
//!
//! ```
//! // A line without an ideograph is left alone; the same marks next to
//! // ideographs are repaired.
//! assert_eq!(zhfix::clean("。。。\n好。。。"), "。。。\n好……");
//! ```
//!
//! # Untrusted input
//!
//! Every function here takes any `&str`, never panics, uses no recursion,
//! and runs in time linear in the input.
#![forbid(unsafe_code)]
#![deny(missing_docs, rustdoc::broken_intra_doc_links)]
#![warn(missing_debug_implementations)]

use std::borrow::Cow;
use std::sync::LazyLock;

mod chars;
mod edit;
mod error;
mod fixer;
mod lexicon;
mod lm;
mod ocr;
mod patch;
mod punct;
mod reuse;
mod unicode;

pub use crate::edit::{Edit, Layer, Report, replay};
pub use crate::error::{BuildError, ReplayError};
pub use crate::fixer::{Fixer, FixerBuilder};
pub use crate::lexicon::{Diagnosis, Evidence, FamilyEvidence, PairEvidence};

/// Maintainer tools, not part of the public API: they may change in any
/// release. Used by `tests/calibration.rs` to regenerate and check
/// `data/lexicon/calibration.tsv`.
#[doc(hidden)]
pub mod __maintain {
    /// The lexicon calibration table (see `src/lexicon/calibrate.rs`) for
    /// correct texts the language model was not trained on (`heldout`) and
    /// the whole clean corpus (`all`).
    pub fn calibrate_lexicon(heldout: &[&str], all: &[&str]) -> String {
        crate::lexicon::calibrate(heldout, all)
    }

    /// The lexicon's breadth table (`data/lexicon/breadth.tsv`) measured on
    /// correct `texts`: per tool family, the largest breadth (the sum over
    /// its pairs of each one's evidence up to 1) any of them shows, each
    /// read whole, as pieces of about 2,500 characters and line by line.
    pub fn lexicon_breadth(texts: &[&str]) -> String {
        crate::lexicon::breadth(texts)
    }

    /// The lexicon's clause-head table (`data/lexicon/heads.tsv`) counted
    /// in correct `texts`.
    pub fn lexicon_heads(texts: &[&str]) -> String {
        crate::lexicon::heads_table(texts)
    }

    /// Sets up the default configuration's tables from the embedded data
    /// without the caches that [`clean`](crate::clean) keeps: the pair
    /// table with its word data and form search, the index of the
    /// clause-head table, the language model and the radical table. What
    /// the first call costs; timed by the `load`
    /// benchmark. Returns a size, so the work cannot be optimised away.
    pub fn load_uncached() -> usize {
        crate::lexicon::load_uncached()
            + crate::lm::load_uncached()
            + crate::unicode::load_uncached()
    }

    /// The files the built-in language model was trained on, as its header
    /// lists them, each with the lines used: `all`, or `even` (`odd`) for
    /// the even-numbered (odd-numbered) blocks of 100 lines.
    pub fn lm_training_files() -> Vec<(String, String)> {
        crate::lm::training_files()
    }
}

/// The version of the rule and context data built into this crate. It
/// changes whenever a file in `data/` changes what zhfix does.
pub const DATA_VERSION: &str = "2026.11.29";

static DEFAULT: LazyLock<Fixer> = LazyLock::new(Fixer::default);

/// Repairs `text` with the default configuration.
///
/// Returns [`Cow::Borrowed`] holding `text` itself when nothing needs to
/// change, and [`Cow::Owned`] only when something changed.
///
/// ```
/// assert_eq!(zhfix::clean("〔含外来人口〕"), "（含外来人口）");
/// assert_eq!(zhfix::clean("国发〔2023〕5号"), "国发〔2023〕5号");
/// ```
pub fn clean(text: &str) -> Cow<'_, str> {
    DEFAULT.clean(text)
}

/// Repairs `text` with the default configuration and reports every edit.
///
/// ```
/// let report = zhfix::explain("经研究决定,同意");
/// assert_eq!(report.output(), "经研究决定，同意");
/// assert_eq!(report.edits()[0].rule(), "punct/ascii");
/// ```
pub fn explain(text: &str) -> Report {
    DEFAULT.explain(text)
}

/// How garbled `text` looks, and on what evidence, with the default
/// configuration; nothing is repaired. See [`Diagnosis`].
///
/// ```
/// let d = zhfix::diagnose("推动经济社会健康持续开展，在此根底上树立效劳意识，问题比拟突出");
/// assert!(d.is_garbled());
/// assert_eq!(d.active_families(), ["A"]);
/// assert!(!zhfix::diagnose("推动经济社会健康持续发展").is_garbled());
/// ```
pub fn diagnose(text: &str) -> Diagnosis {
    DEFAULT.diagnose(text)
}

/// The examples of `README.md`, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(test)]
mod testoibits {
    use std::panic::{RefUnwindSafe, UnwindSafe};

    use super::*;

    fn assert_all<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}

    #[test]
    fn oibits() {
        assert_all::<Fixer>();
        assert_all::<FixerBuilder>();
        assert_all::<Report>();
        assert_all::<Edit>();
        assert_all::<Layer>();
        assert_all::<BuildError>();
        assert_all::<ReplayError>();
        assert_all::<Diagnosis>();
        assert_all::<FamilyEvidence>();
        assert_all::<PairEvidence>();
        assert_all::<Evidence>();
    }
}
