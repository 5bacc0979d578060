//! The public record of a repair: [`Edit`], [`Report`] and [`Layer`].

use std::fmt;
use std::ops::Range;

use crate::error::ReplayError;
use crate::patch::Patch;

/// A repair layer. Each layer owns one kind of damage and can be switched
/// on or off in [`FixerBuilder`](crate::FixerBuilder).
///
/// Layers run in the order of [`Layer::ALL`].
///
/// # Example
///
/// ```
/// let report = zhfix::explain("⼈民");
/// assert_eq!(report.edits()[0].layer(), zhfix::Layer::Unicode);
/// assert_eq!(zhfix::Layer::Unicode.name(), "unicode");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Layer {
    /// Code points that PDF extraction and OCR leave behind: Kangxi
    /// radicals, compatibility ideographs, full-width Latin letters and
    /// digits, zero-width characters, spaces between single ideographs.
    Unicode,
    /// Punctuation: look-alike quotes and brackets (〞, 〔〕), ASCII
    /// punctuation inside Chinese text, ellipses and dashes.
    Punct,
    /// Words a rewrite tool swapped for near-synonyms (开展 for 发展, 根底
    /// for 基础), decided by document evidence and context. It reads the
    /// text with its punctuation repaired, and counts the tools' marks the
    /// punctuation layer repaired (〞, 〔〕, ASCII commas) as evidence.
    Lexicon,
    /// Characters an OCR engine misread as look-alikes.
    Ocr,
}

impl Layer {
    /// Every layer, in the order the pipeline runs them.
    pub const ALL: [Layer; 4] = [Layer::Unicode, Layer::Punct, Layer::Lexicon, Layer::Ocr];

    /// The layer's name: the prefix of its rule ids, and the name the
    /// example program's options use.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Unicode => "unicode",
            Layer::Lexicon => "lexicon",
            Layer::Punct => "punct",
            Layer::Ocr => "ocr",
        }
    }

    /// The layer with this [`name`](Layer::name), if any.
    ///
    /// ```
    /// assert_eq!(zhfix::Layer::from_name("punct"), Some(zhfix::Layer::Punct));
    /// assert_eq!(zhfix::Layer::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One change zhfix made: a byte range of the input, the text it held, the
/// text that replaced it, and the rule that decided it.
///
/// # Example
///
/// ```
/// let input = "同志们:经研究决定";
/// let report = zhfix::explain(input);
/// let edit = &report.edits()[0];
/// assert_eq!(edit.range(), 9..10);
/// assert_eq!(&input[edit.range()], ":");
/// assert_eq!((edit.before(), edit.after()), (":", "："));
/// assert_eq!(edit.layer(), zhfix::Layer::Punct);
/// assert!(edit.rule().starts_with("punct/"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    range: Range<usize>,
    before: String,
    after: String,
    rule: String,
    layer: Layer,
}

impl Edit {
    pub(crate) fn from_patch(input: &str, p: &Patch<'_>) -> Edit {
        Edit {
            range: p.start..p.end,
            before: input[p.start..p.end].to_owned(),
            after: p.after.clone().into_owned(),
            rule: p.rule.clone().into_owned(),
            layer: p.layer,
        }
    }

    /// The byte range of the input this edit replaces.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The byte offset in the input where the replaced text starts.
    pub fn start(&self) -> usize {
        self.range.start
    }

    /// The byte offset in the input where the replaced text ends (exclusive).
    pub fn end(&self) -> usize {
        self.range.end
    }

    /// The replaced text, as it stood in the input.
    pub fn before(&self) -> &str {
        &self.before
    }

    /// The replacement text.
    pub fn after(&self) -> &str {
        &self.after
    }

    /// The stable id of the rule that made this edit, such as
    /// `punct/ascii-comma` or `unicode/kangxi`. Ids start with the layer name
    /// and a `/`. When a later layer changed the output of an earlier one,
    /// the edit is their union and its id joins both ids with `+`.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    /// The layer that made this edit (the first one, for a joined edit).
    pub fn layer(&self) -> Layer {
        self.layer
    }
}

impl fmt::Display for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..{} {:?} → {:?} [{}]",
            self.range.start, self.range.end, self.before, self.after, self.rule
        )
    }
}

/// The result of [`explain`](crate::explain): the repaired text and every
/// edit that produced it.
///
/// Edits are sorted by position, never overlap, lie on `char` boundaries of
/// the input, and [`replay`](Report::replay) on the input rebuilds
/// [`output`](Report::output) exactly.
///
/// # Example
///
/// ```
/// let input = "要坚持“月安排、周调度〞";
/// let report = zhfix::explain(input);
/// assert_eq!(report.output(), "要坚持“月安排、周调度”");
/// assert_eq!(report.replay(input).unwrap(), report.output());
/// for edit in report.edits() {
///     println!("{edit}");
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    output: String,
    edits: Vec<Edit>,
}

impl Report {
    pub(crate) fn new(output: String, edits: Vec<Edit>) -> Report {
        Report { output, edits }
    }

    /// The repaired text.
    pub fn output(&self) -> &str {
        &self.output
    }

    /// Consumes the report, returning the repaired text.
    pub fn into_output(self) -> String {
        self.output
    }

    /// Every edit, sorted by position in the input.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// Whether nothing was changed.
    ///
    /// ```
    /// assert!(zhfix::explain("开展工作。").is_unchanged());
    /// ```
    pub fn is_unchanged(&self) -> bool {
        self.edits.is_empty()
    }

    /// Applies the edits to `input` and returns the result, which equals
    /// [`output`](Report::output) when `input` is the text this report was
    /// made from.
    ///
    /// # Errors
    ///
    /// When `input` is not that text, so that an edit's range falls outside
    /// it, splits a character, or holds something other than the edit's
    /// [`before`](Edit::before) text.
    ///
    /// ```
    /// let report = zhfix::explain("经研究决定,同意");
    /// assert_eq!(report.replay("经研究决定,同意").unwrap(), "经研究决定，同意");
    /// assert!(report.replay("经研究").is_err());
    /// ```
    pub fn replay(&self, input: &str) -> Result<String, ReplayError> {
        replay(input, &self.edits)
    }
}

/// Applies `edits` (sorted and non-overlapping, as a [`Report`] holds them)
/// to `input`.
///
/// This is how a stored list of edits is checked against, or re-applied to,
/// the text it was made from.
///
/// # Errors
///
/// When the edits are out of order or overlap, or an edit's range falls
/// outside `input`, splits a character, or holds something other than the
/// edit's [`before`](Edit::before) text.
///
/// ```
/// let input = "同志们:";
/// let report = zhfix::explain(input);
/// assert_eq!(zhfix::replay(input, report.edits()).unwrap(), "同志们：");
/// ```
pub fn replay(input: &str, edits: &[Edit]) -> Result<String, ReplayError> {
    let mut out = String::with_capacity(input.len());
    let mut pos = 0;
    for (index, e) in edits.iter().enumerate() {
        if e.range.start < pos || e.range.start > e.range.end {
            return Err(ReplayError::out_of_order(index, e.range.clone()));
        }
        match input.get(e.range.clone()) {
            None => {
                return Err(ReplayError::out_of_bounds(
                    index,
                    e.range.clone(),
                    input.len(),
                ));
            }
            Some(found) if found != e.before => {
                return Err(ReplayError::mismatch(
                    index,
                    e.range.clone(),
                    &e.before,
                    found,
                ));
            }
            Some(_) => {}
        }
        out.push_str(&input[pos..e.range.start]);
        out.push_str(&e.after);
        pos = e.range.end;
    }
    out.push_str(&input[pos..]);
    Ok(out)
}
