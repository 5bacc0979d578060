//! [`Fixer`], its builder, and the pipeline that runs the layers.

use std::borrow::Cow;

use crate::edit::{Edit, Layer, Report};
use crate::error::BuildError;
use crate::lexicon::{self, Diagnosis, Evidence, Lexicon, Marks, Shift, Table};
use crate::patch::{self, Applier, Patch, Sink};
use crate::{ocr, punct, unicode};

/// How many times the pipeline may run over its own output. A pass runs
/// again only when the previous pass changed something; in practice the
/// second pass finds nothing, and this bound keeps the cost linear whatever
/// the input.
const MAX_PASSES: usize = 3;

/// How many patches' room the pipeline keeps between two layers.
const KEEP_PATCHES: usize = 1024;

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
    lexicon: Lexicon,
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

    /// How garbled `text` looks to the lexicon layer, and on what evidence;
    /// nothing is repaired. See [`Diagnosis`].
    ///
    /// The text is read after the Unicode layer (when it is on) has repaired
    /// its code points, with the tools' punctuation marks as they stand (the
    /// lexicon layer reads its text with the punctuation repaired too, and
    /// counts the same marks, so that a context ratio may differ slightly,
    /// the marks not at all). The result does not
    /// depend on whether the lexicon layer is on, only on its pairs, families
    /// and [`Evidence`] level.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::default();
    /// let d = fixer.diagnose("推动经济社会健康持续开展，在此根底上树立效劳意识，问题比拟突出");
    /// assert_eq!(d.active_families(), ["A"]);
    /// assert!(fixer.diagnose("推动经济社会健康持续发展").score() < 0.5);
    /// ```
    pub fn diagnose(&self, text: &str) -> Diagnosis {
        if self.is_enabled(Layer::Unicode) {
            let mut found = Vec::new();
            unicode::scan(&self.unicode, text, &mut found);
            if !found.is_empty() {
                return self.lexicon.diagnose(&patch::apply(text, &found));
            }
        }
        self.lexicon.diagnose(text)
    }

    /// Runs the enabled layers in order, repeating while a pass changes the
    /// text (at most [`MAX_PASSES`] passes); a layer that read the text as
    /// it stands and changed nothing is not run again until another layer
    /// edits. With `want_patches`, returns the edits composed into
    /// coordinates of `input`; without, the first layer that edits writes a
    /// new text as its edits come, and later layers patch that text in
    /// place, so at most one text besides the input is held.
    ///
    /// The lexicon layer reads the text after the punctuation layer, but
    /// counts the tools' marks that layer repairs (〞, 〔〕, ASCII commas):
    /// they are found in the text the punctuation layer first edits, and
    /// their positions follow every later edit ([`Moves`]).
    fn run<'t, 'f>(&'f self, input: &'t str, want_patches: bool) -> (Cow<'t, str>, Vec<Patch<'f>>) {
        let mut text: Cow<'t, str> = Cow::Borrowed(input);
        let mut acc: Vec<Patch<'f>> = Vec::new();
        let mut found: Vec<Patch<'f>> = Vec::new();
        let mut edits = patch::Edits::default();
        let mut memo = lexicon::Memo::default();
        let mut settled = [false; Layer::ALL.len()];
        let carry = self.is_enabled(Layer::Punct)
            && self.is_enabled(Layer::Lexicon)
            && self.lexicon.reads_marks();
        let mut marks: Option<Marks> = None;
        // Whether the lexicon layer has read the carried marks: later
        // readings find the marks of the text as it stands.
        let mut marks_read = false;
        let mut moved: Vec<(usize, usize, usize)> = Vec::new();
        for _ in 0..MAX_PASSES {
            let mut changed = false;
            for layer in Layer::ALL {
                if !self.enabled[layer.index()] || settled[layer.index()] {
                    continue;
                }
                // Where the marks are still to be found (the punctuation
                // layer has not edited yet): before the scan in a long text,
                // so that they move with the edits as they come; after it in
                // a short one, and only if it edited.
                let first = carry && !marks_read && marks.is_none() && layer == Layer::Punct;
                let lazy = first && text.len() <= EAGER_MARKS;
                if first && !lazy {
                    marks = Some(Marks::find(&text));
                }
                moved.clear();
                // The marks the punctuation layer's scan repairs, when it is
                // the one that finds them (a short text): kept from its
                // patches, so that they are not looked for again.
                let mut repaired = Marks::default();
                let (mode, lexicon_marks) = match &mut marks {
                    Some(m) if layer == Layer::Lexicon => (
                        if m.has_positions() {
                            Mode::Record(&mut moved)
                        } else {
                            Mode::Off
                        },
                        Some(&*m),
                    ),
                    Some(m) if m.has_positions() => (Mode::Shift(m, Shift::default()), None),
                    None if lazy => (Mode::Find(&mut moved, &mut repaired), None),
                    _ => (Mode::Off, None),
                };
                let carried = lexicon_marks.is_some();
                // Whether the lexicon layer read the marks (it found a
                // candidate).
                let marks_read_now;
                // The punctuation layer has repaired the marks by now.
                debug_assert!(
                    lexicon_marks.is_none_or(|m| m.point_at_repairs(&text)),
                    "the marks did not follow the edits of {text:?}"
                );
                let edited;
                if !want_patches {
                    match &mut text {
                        // The input stays the caller's: the new text is
                        // written as the patches come.
                        Cow::Borrowed(input) => {
                            let mut applier = Applier::new(input);
                            let mut sink = Moves::new(&mut applier, mode);
                            marks_read_now =
                                self.scan(layer, input, lexicon_marks, &mut sink, &mut memo);
                            let any = sink.finish();
                            follow(&mut marks, &moved, (lazy && any).then_some(repaired), input);
                            edited = match applier.finish() {
                                Some(next) => {
                                    text = Cow::Owned(next);
                                    true
                                }
                                None => false,
                            };
                        }
                        // A text of our own is patched where it is, so
                        // that two copies are never held at once.
                        Cow::Owned(own) => {
                            let mut sink = Moves::new(&mut edits, mode);
                            marks_read_now =
                                self.scan(layer, own, lexicon_marks, &mut sink, &mut memo);
                            let any = sink.finish();
                            follow(&mut marks, &moved, (lazy && any).then_some(repaired), own);
                            edited = edits.apply_in_place(own);
                            // Hand back what a text with many edits took,
                            // before the next layer reads.
                            edits.reset(KEEP_PATCHES);
                        }
                    }
                } else {
                    found.clear();
                    let mut sink = Moves::new(&mut found, mode);
                    marks_read_now = self.scan(layer, &text, lexicon_marks, &mut sink, &mut memo);
                    let any = sink.finish();
                    follow(&mut marks, &moved, (lazy && any).then_some(repaired), &text);
                    debug_assert!(
                        patches_are_valid(&text, &found),
                        "{layer} made invalid patches"
                    );
                    let next = patch::apply(&text, &found);
                    edited = next != *text;
                    if edited {
                        acc = patch::compose(acc, std::mem::take(&mut found), &next);
                        text = Cow::Owned(next);
                    }
                }
                if edited {
                    settled = [false; Layer::ALL.len()];
                    changed = true;
                } else {
                    settled[layer.index()] = true;
                }
                if carried {
                    // The carried marks count once, for the first reading:
                    // a second run of the pipeline over the output sees only
                    // the marks the output holds (the repaired ones gone,
                    // those the repairs made — a `〝` become `“` after a `“`
                    // — there), so the last reading must see the same, or
                    // that run could repair what this one did not. A
                    // reading that edited is followed by another anyway; one
                    // that did not stands if the marks were those of the
                    // text. A text no layer has edited is the one the marks
                    // were found in (they are found in the text the
                    // punctuation layer first reads, and moved only by
                    // edits), so they are its marks without looking again.
                    marks_read = true;
                    let carried = marks.take().expect("the lexicon layer read them");
                    let unedited = matches!(text, Cow::Borrowed(_));
                    debug_assert!(
                        !unedited || carried == Marks::find(&text),
                        "the marks of an unedited text are its own"
                    );
                    if !edited && marks_read_now && !unedited && carried != Marks::find(&text) {
                        settled[layer.index()] = false;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        (text, acc)
    }

    /// Runs `layer` over `text`; returns whether the lexicon layer read
    /// `marks` (false for the other layers).
    fn scan<'f>(
        &'f self,
        layer: Layer,
        text: &str,
        marks: Option<&Marks>,
        out: &mut dyn Sink<'f>,
        memo: &mut lexicon::Memo,
    ) -> bool {
        match layer {
            Layer::Unicode => unicode::scan(&self.unicode, text, out),
            Layer::Punct => punct::scan(text, out),
            Layer::Lexicon => return self.lexicon.scan(text, marks, out, memo),
            Layer::Ocr => ocr::scan(text, out),
        }
        false
    }
}

/// Texts longer than this have the tools' marks found before the
/// punctuation layer's first scan, and moved as its edits come; shorter
/// ones after that scan, from its edits recorded, and only if it edited
/// (most short texts it does not edit, and the lexicon layer finds no
/// candidate in them, so that the marks are never looked for).
const EAGER_MARKS: usize = 64 << 10;

/// How [`Moves`] follows the edits that change a text's length.
enum Mode<'m> {
    /// Not at all: there are no marks to move.
    Off,
    /// Records them, as (start, end, length of the replacement).
    Record(&'m mut Vec<(usize, usize, usize)>),
    /// Records them, and keeps the marks among the punctuation layer's
    /// repairs ([`Marks::keep_repaired`]).
    Find(&'m mut Vec<(usize, usize, usize)>, &'m mut Marks),
    /// Moves the marks as the edits come.
    Shift(&'m mut Marks, Shift),
}

/// A sink that passes a layer's patches on and follows those that change
/// the text's length, so that the marks' positions can follow the text.
struct Moves<'s, 'm, 'f> {
    inner: &'s mut dyn Sink<'f>,
    mode: Mode<'m>,
    /// Whether a patch came.
    any: bool,
}

impl<'s, 'm, 'f> Moves<'s, 'm, 'f> {
    fn new(inner: &'s mut dyn Sink<'f>, mode: Mode<'m>) -> Self {
        Moves {
            inner,
            mode,
            any: false,
        }
    }

    /// Ends the layer's scan; returns whether a patch came.
    fn finish(self) -> bool {
        if let Mode::Shift(marks, shift) = self.mode {
            marks.shift_end(shift);
        }
        self.any
    }
}

impl<'f> Sink<'f> for Moves<'_, '_, 'f> {
    fn push(&mut self, p: Patch<'f>) {
        self.any = true;
        if let Mode::Find(_, repaired) = &mut self.mode {
            repaired.keep_repaired(&p);
        }
        if p.after.len() != p.end - p.start {
            match &mut self.mode {
                Mode::Off => {}
                Mode::Record(moved) | Mode::Find(moved, _) => {
                    moved.push((p.start, p.end, p.after.len()));
                }
                Mode::Shift(marks, shift) => marks.shift_step(shift, p.start, p.end, p.after.len()),
            }
        }
        self.inner.push(p);
    }
}

/// After a layer's scan of `text` (not yet edited): finds the marks in it
/// when `find` holds the marks kept from the scan's repairs (the
/// punctuation layer's first edits, in a short text), and moves them
/// through the recorded length changes `moved`.
fn follow(
    marks: &mut Option<Marks>,
    moved: &[(usize, usize, usize)],
    find: Option<Marks>,
    text: &str,
) {
    if let Some(repaired) = find {
        marks.insert(Marks::find_given(text, repaired)).shift(moved);
    } else if let Some(m) = marks.as_mut().filter(|_| !moved.is_empty()) {
        m.shift(moved);
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
    evidence: Evidence,
    /// Family switches, in the order given (the last one for a name wins).
    families: Vec<(String, bool)>,
    /// Pair switches, in the order given.
    pairs: Vec<(String, String, bool)>,
    /// User rule texts: (source name, text).
    rules: Vec<(String, String)>,
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
        enabled[Layer::Lexicon.index()] = true;
        FixerBuilder {
            enabled,
            unicode: unicode::Options::default(),
            evidence: Evidence::default(),
            families: Vec::new(),
            pairs: Vec::new(),
            rules: Vec::new(),
        }
    }

    /// Builds the [`Fixer`].
    ///
    /// # Errors
    ///
    /// When rules supplied with [`rules`](FixerBuilder::rules) are malformed
    /// (the error names the source, the line and the problem), or when
    /// [`family`](FixerBuilder::family) or [`pair`](FixerBuilder::pair) names
    /// something that does not exist.
    ///
    /// ```
    /// let err = zhfix::Fixer::builder().family("Q", false).build().unwrap_err();
    /// assert_eq!(err.to_string(), "there is no family named \"Q\"");
    /// ```
    pub fn build(&self) -> Result<Fixer, BuildError> {
        Ok(Fixer {
            enabled: self.enabled,
            unicode: self.unicode.clone(),
            lexicon: Lexicon::new(self.lexicon_table()?, self.evidence),
        })
    }

    /// The pair table this configuration asks for: the built-in one when
    /// nothing was changed.
    fn lexicon_table(&self) -> Result<std::sync::Arc<Table>, BuildError> {
        let mut families = u8::MAX;
        for (name, on) in &self.families {
            let f = lexicon::FAMILIES
                .iter()
                .position(|f| f == name)
                .ok_or_else(|| BuildError::unknown_name("family", name))?;
            if *on {
                families |= 1 << f;
            } else {
                families &= !(1 << f);
            }
        }
        let mut user = Vec::new();
        for (source, text) in &self.rules {
            user.extend(lexicon::parse_rules(source, text)?);
        }
        let builtin = &*lexicon::BUILTIN;
        let mut off = vec![false; builtin.len()];
        let mut user_off = vec![false; user.len()];
        for (g, o, on) in &self.pairs {
            let b = builtin
                .iter()
                .position(|s| s.garbled == *g && s.original == *o);
            let u = user
                .iter()
                .position(|s| s.garbled == *g && s.original == *o);
            if b.is_none() && u.is_none() {
                return Err(BuildError::unknown_name("pair", &format!("{g}>{o}")));
            }
            // The built-in pair of that name, or else the user pair.
            match (b, u) {
                (Some(b), _) => off[b] = !on,
                (None, Some(u)) => user_off[u] = !on,
                (None, None) => unreachable!("checked above"),
            }
        }
        // A user pair may replace a built-in pair only once that is off.
        for (i, s) in user.iter().enumerate() {
            if let Some(b) = builtin
                .iter()
                .position(|b| b.garbled == s.garbled && b.original == s.original)
            {
                if !off[b] {
                    return Err(BuildError::rule(
                        &s.source,
                        s.line,
                        format!(
                            "duplicate pair {}>{}: it is built in (data/lexicon/pairs.tsv:{}); switch that off with .pair({:?}, {:?}, false) to replace it",
                            s.garbled, s.original, builtin[b].line, s.garbled, s.original
                        ),
                    ));
                }
            }
            if let Some(j) = user[..i]
                .iter()
                .position(|t| t.garbled == s.garbled && t.original == s.original)
            {
                return Err(BuildError::rule(
                    &s.source,
                    s.line,
                    format!(
                        "duplicate pair {}>{} (first in {} line {})",
                        s.garbled, s.original, user[j].source, user[j].line
                    ),
                ));
            }
        }
        if families == u8::MAX && user.is_empty() && !off.contains(&true) {
            return Ok(Table::builtin());
        }
        let specs = builtin
            .iter()
            .zip(&off)
            .chain(user.iter().zip(&user_off))
            .filter(|(_, off)| !**off)
            .map(|(s, _)| s);
        Ok(std::sync::Arc::new(Table::compile(specs, families)))
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

    /// Repair words a rewrite tool swapped for near-synonyms (开展 for 发展,
    /// 根底 for 基础, 效劳 for 服务), decided by context and document evidence.
    /// Enabled by default.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().lexicon(false).build().unwrap();
    /// assert_eq!(fixer.clean("在此根底上"), "在此根底上");
    /// assert_eq!(zhfix::clean("在此根底上"), "在此基础上");
    /// ```
    pub fn lexicon(&mut self, on: bool) -> &mut FixerBuilder {
        self.layer(Layer::Lexicon, on)
    }

    /// Switch one tool family of the lexicon layer on or off: `A`, `B`, `C`,
    /// `seo`, `tech`, `ai` or `qj` (described in `data/lexicon/pairs.tsv`).
    /// A pair in several families stays while one of them is on. Every
    /// family is enabled by default. [`build`](FixerBuilder::build) fails on
    /// an unknown name.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().family("A", false).build().unwrap();
    /// // 根底 is in families A and tech: still repaired.
    /// assert_eq!(fixer.clean("在此根底上"), "在此基础上");
    /// // 比拟 is in family A only.
    /// assert_eq!(fixer.clean("问题比拟突出"), "问题比拟突出");
    /// assert_eq!(zhfix::clean("问题比拟突出"), "问题比较突出");
    /// ```
    pub fn family(&mut self, name: &str, on: bool) -> &mut FixerBuilder {
        self.families.push((name.to_owned(), on));
        self
    }

    /// Switch one pair of the lexicon layer on or off, named by its garbled
    /// form and its original: the built-in pair of that name, or else the
    /// pair of that name given with [`rules`](FixerBuilder::rules) (so a
    /// built-in pair switched off can be replaced by a user pair). Every
    /// pair is enabled by default. [`build`](FixerBuilder::build) fails on a
    /// pair that is neither built in nor given with `rules`.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().pair("根底", "基础", false).build().unwrap();
    /// assert_eq!(fixer.clean("在此根底上"), "在此根底上");
    /// assert!(zhfix::Fixer::builder().pair("根底", "底细", false).build().is_err());
    /// ```
    pub fn pair(&mut self, garbled: &str, original: &str, on: bool) -> &mut FixerBuilder {
        self.pairs
            .push((garbled.to_owned(), original.to_owned(), on));
        self
    }

    /// Add pairs to the lexicon layer from `text`, in the format of
    /// `data/lexicon/pairs.tsv`: one pair a line, six TAB-separated fields
    /// `garbled original families confirm protect note`, `#` comments. The
    /// families must be existing ones. `source` names the text in errors
    /// (a file name, say). A built-in pair can be replaced once it is
    /// switched off with [`pair`](FixerBuilder::pair). None by default.
    /// Added pairs have no calibration and no clause-head counts
    /// (`data/lexicon/calibration.tsv`, `data/lexicon/heads.tsv`): their
    /// occurrences are weighed with the default reliability of the language
    /// model and without the clause's head, unless a built-in pair has the
    /// same two forms.
    ///
    /// [`build`](FixerBuilder::build) fails, naming `source`, the line and the
    /// problem, on a line with the wrong number of fields, an empty form, a
    /// garbled form without an ideograph, an original that contains its
    /// garbled form (repairing would not be
    /// idempotent), a pair given twice, an unknown family, or a bad context
    /// pattern.
    ///
    /// ```
    /// let rules = "# my tool\n\
    ///              智能化装备\t智能装备\tA\t_制造\t-\tseen in our scans\n";
    /// let fixer = zhfix::Fixer::builder().rules("mine.tsv", rules).build().unwrap();
    /// assert_eq!(fixer.clean("推进智能化装备制造"), "推进智能装备制造");
    ///
    /// let err = zhfix::Fixer::builder()
    ///     .rules("mine.tsv", "开展\t发展\tA\t-\t-")
    ///     .build()
    ///     .unwrap_err();
    /// assert_eq!(err.line(), Some(1));
    /// assert!(err.to_string().starts_with("mine.tsv:1: expected 6 TAB-separated fields"));
    /// ```
    pub fn rules(&mut self, source: &str, text: &str) -> &mut FixerBuilder {
        self.rules.push((source.to_owned(), text.to_owned()));
        self
    }

    /// How much evidence the lexicon layer needs before it repairs an
    /// ambiguous word; see [`Evidence`]. Default: [`Evidence::Default`].
    ///
    /// ```
    /// use zhfix::{Evidence, Fixer};
    ///
    /// let text = "树立效劳意识。要健全鼓励机制。";
    /// let fixer = Fixer::builder().evidence(Evidence::SelfEvident).build().unwrap();
    /// assert_eq!(fixer.clean(text), "树立服务意识。要健全鼓励机制。");
    /// ```
    pub fn evidence(&mut self, level: Evidence) -> &mut FixerBuilder {
        self.evidence = level;
        self
    }

    /// Repair what an OCR engine misread: look-alike ideographs where the
    /// language model's evidence is overwhelming (咖强 → 加强), `：` and `·`
    /// read for `，` and `。`, `丶` for `、`, letters inside numbers
    /// (2O23 → 2023). Disabled by default.
    ///
    /// ```
    /// let fixer = zhfix::Fixer::builder().ocr(true).build().unwrap();
    /// assert_eq!(fixer.clean("调整结构丶提高质量"), "调整结构、提高质量");
    /// ```
    pub fn ocr(&mut self, on: bool) -> &mut FixerBuilder {
        self.layer(Layer::Ocr, on)
    }
}
