//! [`Fixer`], its builder, and the pipeline that runs the layers.

use std::borrow::Cow;

use crate::edit::{Edit, Layer, Report};
use crate::error::BuildError;
use crate::patch::{self, Patch};
use crate::{punct, unicode};

/// How many times the pipeline may run over its own output. A pass runs
/// again only when the previous pass changed something; in practice the
/// second pass finds nothing, and this bound keeps the cost linear whatever
/// the input.
const MAX_PASSES: usize = 3;

/// A configured repairer. Build one with [`Fixer::builder`], or use
/// [`Fixer::default`] (what [`clean`](crate::clean) uses).
///
/// A `Fixer` is immutable, cheap to share between threads (`Send + Sync`)
/// and cheap to clone.
///
/// # Example
///
/// ```
/// use zhfix::Fixer;
///
/// let fixer = Fixer::builder().punct(false).build().unwrap();
/// // Punctuation is left alone, Kangxi radicals are still repaired.
/// assert_eq!(fixer.clean("⼈民,"), "人民,");
/// ```
#[derive(Clone, Debug)]
pub struct Fixer {
    enabled: [bool; Layer::ALL.len()],
    unicode: unicode::Options,
}

impl Default for Fixer {
    /// The default configuration: every layer that is on by default, with
    /// its default options. Same as `Fixer::builder().build().unwrap()`.
    fn default() -> Fixer {
        FixerBuilder::new()
            .build()
            .expect("the default configuration is valid")
    }
}

impl Fixer {
    /// A builder with the default configuration.
    pub fn builder() -> FixerBuilder {
        FixerBuilder::new()
    }

    /// Whether `layer` runs.
    ///
    /// ```
    /// use zhfix::{Fixer, Layer};
    ///
    /// assert!(Fixer::default().is_enabled(Layer::Punct));
    /// ```
    pub fn is_enabled(&self, layer: Layer) -> bool {
        self.enabled[layer.index()]
    }

    /// Repairs `text`.
    ///
    /// Returns [`Cow::Borrowed`] holding `text` itself when nothing needs to
    /// change, so correct text costs one scan and no allocation; returns
    /// [`Cow::Owned`] only when something changed.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use zhfix::Fixer;
    ///
    /// let fixer = Fixer::default();
    /// assert!(matches!(fixer.clean("开展工作。"), Cow::Borrowed(_)));
    /// assert_eq!(fixer.clean("同志们:经研究决定,我们"), "同志们：经研究决定，我们");
    /// ```
    pub fn clean<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.run(text, false).0
    }

    /// Repairs `text` and appends the result to `out`, so one buffer can
    /// serve many calls.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::default();
    /// let mut out = String::new();
    /// for line in ["⼈民", "开展工作"] {
    ///     out.clear();
    ///     fixer.clean_into(line, &mut out);
    ///     println!("{out}");
    /// }
    /// assert_eq!(out, "开展工作");
    /// ```
    pub fn clean_into(&self, text: &str, out: &mut String) {
        out.push_str(&self.clean(text));
    }

    /// Repairs `text` and reports every edit with the rule that made it.
    ///
    /// ```
    /// let report = zhfix::Fixer::default().explain("〔含外来人口〕");
    /// assert_eq!(report.output(), "（含外来人口）");
    /// assert_eq!(report.edits().len(), 2);
    /// ```
    pub fn explain(&self, text: &str) -> Report {
        let (out, patches) = self.run(text, true);
        let edits = patches.iter().map(|p| Edit::from_patch(text, p)).collect();
        Report::new(out.into_owned(), edits)
    }

    /// Runs the enabled layers in order, repeating while a pass changes the
    /// text (at most [`MAX_PASSES`] passes). With `want_patches`, returns the
    /// edits composed into coordinates of `input`.
    fn run<'t, 'f>(&'f self, input: &'t str, want_patches: bool) -> (Cow<'t, str>, Vec<Patch<'f>>) {
        let mut text: Cow<'t, str> = Cow::Borrowed(input);
        let mut acc: Vec<Patch<'f>> = Vec::new();
        let mut found: Vec<Patch<'f>> = Vec::new();
        for _ in 0..MAX_PASSES {
            let mut changed = false;
            for layer in Layer::ALL {
                if !self.enabled[layer.index()] {
                    continue;
                }
                found.clear();
                self.scan(layer, &text, &mut found);
                if found.is_empty() {
                    continue;
                }
                debug_assert!(
                    patches_are_valid(&text, &found),
                    "{layer} made invalid patches"
                );
                let next = patch::apply(&text, &found);
                if next == *text {
                    continue;
                }
                if want_patches {
                    acc = patch::compose(acc, std::mem::take(&mut found), &next);
                }
                text = Cow::Owned(next);
                changed = true;
            }
            if !changed {
                break;
            }
        }
        (text, acc)
    }

    fn scan<'f>(&'f self, layer: Layer, text: &str, out: &mut Vec<Patch<'f>>) {
        match layer {
            Layer::Unicode => unicode::scan(&self.unicode, text, out),
            Layer::Punct => punct::scan(text, out),
            Layer::Lexicon | Layer::Ocr => {}
        }
    }
}

/// The invariants every layer keeps: sorted, non-overlapping, on char
/// boundaries, within the text, no two insertions at one place.
pub(crate) fn patches_are_valid(text: &str, patches: &[Patch<'_>]) -> bool {
    let mut prev: Option<&Patch<'_>> = None;
    for p in patches {
        if p.start > p.end
            || p.end > text.len()
            || !text.is_char_boundary(p.start)
            || !text.is_char_boundary(p.end)
        {
            return false;
        }
        if let Some(q) = prev {
            if p.start < q.end || (p.start == p.end && q.start == q.end && p.start == q.start) {
                return false;
            }
        }
        prev = Some(p);
    }
    true
}

/// Builds a [`Fixer`]. Setters take `&mut self` and return it, so calls
/// chain; [`build`](FixerBuilder::build) can be called more than once.
///
/// # Example
///
/// ```
/// use zhfix::Fixer;
///
/// let fixer = Fixer::builder().unicode(true).punct(true).build().unwrap();
/// assert_eq!(fixer.clean("⼤家好!"), "大家好！");
/// ```
#[derive(Clone, Debug)]
pub struct FixerBuilder {
    enabled: [bool; Layer::ALL.len()],
    unicode: unicode::Options,
}

impl Default for FixerBuilder {
    fn default() -> FixerBuilder {
        FixerBuilder::new()
    }
}

impl FixerBuilder {
    /// A builder with the default configuration.
    pub fn new() -> FixerBuilder {
        let mut enabled = [false; Layer::ALL.len()];
        enabled[Layer::Unicode.index()] = true;
        enabled[Layer::Punct.index()] = true;
        FixerBuilder {
            enabled,
            unicode: unicode::Options::default(),
        }
    }

    /// Builds the [`Fixer`].
    ///
    /// # Errors
    ///
    /// When rules supplied to the builder are malformed; the error names the
    /// line and the problem.
    pub fn build(&self) -> Result<Fixer, BuildError> {
        Ok(Fixer {
            enabled: self.enabled,
            unicode: self.unicode.clone(),
        })
    }

    /// Turns `layer` on or off.
    ///
    /// ```
    /// use zhfix::{Fixer, Layer};
    ///
    /// let fixer = Fixer::builder().layer(Layer::Unicode, false).build().unwrap();
    /// assert_eq!(fixer.clean("⼈"), "⼈");
    /// ```
    pub fn layer(&mut self, layer: Layer, on: bool) -> &mut FixerBuilder {
        self.enabled[layer.index()] = on;
        self
    }

    /// Repair code points left by PDF extraction and OCR: Kangxi radicals,
    /// compatibility ideographs, full-width Latin letters and digits,
    /// zero-width characters, spaced-out ideographs. Enabled by default.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().unicode(false).build().unwrap();
    /// assert_eq!(fixer.clean("⼀⼈"), "⼀⼈");
    /// ```
    pub fn unicode(&mut self, on: bool) -> &mut FixerBuilder {
        self.layer(Layer::Unicode, on)
    }

    /// Remove the spaces between single ideographs when a run of at least
    /// four of them is spaced out (`经 济 技 术 开 发 区` → `经济技术开发区`),
    /// as PDF extraction and OCR leave it. A lone space between two words
    /// (`第一章 总则`) and a letter-spaced heading of two or three characters
    /// (`附 则`) are never touched. Part of the Unicode layer. Enabled by
    /// default.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().spacing(false).build().unwrap();
    /// assert_eq!(fixer.clean("经 济 技 术 开 发 区"), "经 济 技 术 开 发 区");
    /// assert_eq!(zhfix::clean("经 济 技 术 开 发 区"), "经济技术开发区");
    /// ```
    pub fn spacing(&mut self, on: bool) -> &mut FixerBuilder {
        self.unicode.spacing = on;
        self
    }

    /// Turn full-width Latin letters and digits into ASCII (ＧＤＰ２０２３ →
    /// GDP2023) in lines that hold Chinese. Full-width punctuation and the
    /// ideographic space are not touched. Part of the Unicode layer. Enabled
    /// by default.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().fullwidth(false).build().unwrap();
    /// assert_eq!(fixer.clean("２０２３年"), "２０２３年");
    /// assert_eq!(zhfix::clean("２０２３年"), "2023年");
    /// ```
    pub fn fullwidth(&mut self, on: bool) -> &mut FixerBuilder {
        self.unicode.fullwidth = on;
        self
    }

    /// Repair punctuation: look-alike quotes (〞 closing a “) and brackets
    /// (〔…〕 around ordinary text), ASCII punctuation inside Chinese text,
    /// ellipses and dashes. Enabled by default.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().punct(false).build().unwrap();
    /// assert_eq!(fixer.clean("同志们:"), "同志们:");
    /// ```
    pub fn punct(&mut self, on: bool) -> &mut FixerBuilder {
        self.layer(Layer::Punct, on)
    }
}
