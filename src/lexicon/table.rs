//! The pair table: the parser of `data/lexicon/pairs.tsv` and of user
//! rules in the same format, the word data derived from jieba, and the
//! compiled table (one leftmost-longest search over every form) the layer
//! searches with.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};

use super::analyse::MARK_CHARS;
use super::context::Context;
use super::model::{FAMILIES, family_id};
use super::search::Forms;
use crate::chars::is_han;
use crate::error::BuildError;

/// The built-in pairs.
pub(crate) const PAIRS_TSV: &str = include_str!("../../data/lexicon/pairs.tsv");
/// General-domain frequencies of every built-in form.
const FREQ_TSV: &str = include_str!("../../data/lexicon/freq.tsv");
/// Words that contain an original form (服务器, 基础设施).
const COMPOUNDS_TSV: &str = include_str!("../../data/lexicon/compounds.tsv");
/// Per-pair calibration measured on correct text; see its header.
pub(crate) const CALIBRATION_TSV: &str = include_str!("../../data/lexicon/calibration.tsv");

/// The name the built-in table's errors and rule sources use.
pub(crate) const BUILTIN_SOURCE: &str = "data/lexicon/pairs.tsv";

/// One line of a pair table, parsed and checked on its own.
#[derive(Clone, Debug)]
pub(crate) struct PairSpec {
    pub garbled: String,
    pub original: String,
    /// Bit set over [`FAMILIES`].
    pub families: u8,
    /// Shared with the compiled [`Pair`], which would otherwise copy each.
    pub confirm: Arc<[Context]>,
    pub protect: Arc<[Context]>,
    /// The note field (`-` when none).
    #[cfg_attr(not(test), allow(dead_code))]
    pub note: String,
    /// Where the line came from, for duplicate messages.
    pub source: String,
    pub line: usize,
}

/// Parses a pair table (the format of `data/lexicon/pairs.tsv`).
///
/// # Errors
///
/// The first malformed line: wrong column count, empty form, a form with
/// whitespace, `_`, `+`, `>` or `@`, a garbled form without an ideograph, an original that
/// contains its garbled form, an unknown
/// family, a bad context pattern, or a pair given twice.
pub(crate) fn parse(source: &str, text: &str) -> Result<Vec<PairSpec>, BuildError> {
    let mut out: Vec<PairSpec> = Vec::new();
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let err = |problem: String| BuildError::rule(source, line, problem);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        if fields.len() != 6 {
            return Err(err(format!(
                "expected 6 TAB-separated fields (garbled, original, families, confirm, protect, note), found {}",
                fields.len()
            )));
        }
        let (garbled, original) = (fields[0], fields[1]);
        for (what, form) in [("garbled", garbled), ("original", original)] {
            if form.is_empty() {
                return Err(err(format!("the {what} form is empty")));
            }
            if form.chars().any(char::is_whitespace) || form.contains('_') {
                return Err(err(format!(
                    "the {what} form {form:?} contains whitespace or `_`"
                )));
            }
            // The forms stand in the pair's rule id (`lexicon/A:开展>发展`,
            // `…@confirm`), where `>` parts them, `@` marks a confirmed
            // repair and `+` joins the ids of composed edits (found by
            // fuzzing: an original holding `+` made an id that read as two
            // rules).
            if form.contains(['+', '>', '@']) {
                return Err(err(format!(
                    "the {what} form {form:?} contains `+`, `>` or `@`, which separate the parts of rule ids"
                )));
            }
        }
        if !garbled.chars().any(is_han) {
            // The lexicon repairs Chinese words: a form without an ideograph
            // would edit text that is not Chinese (found by fuzzing:
            // `\u{FFFD}\u{FFFD}\u{FFFD}` → 和 on a line of replacement characters).
            return Err(err(format!(
                "the garbled form {garbled:?} has no Chinese character: the lexicon repairs Chinese words"
            )));
        }
        if original.contains(garbled) {
            return Err(err(format!(
                "the original {original:?} contains the garbled form {garbled:?}: repairing it would not be idempotent"
            )));
        }
        let mut families = 0u8;
        if fields[2].is_empty() {
            return Err(err("no family given".to_owned()));
        }
        for name in fields[2].split(',') {
            match family_id(name) {
                Some(f) => families |= 1 << f,
                None => {
                    return Err(err(format!(
                        "unknown family {name:?} (the families are {})",
                        FAMILIES.join(", ")
                    )));
                }
            }
        }
        let contexts = |field: &str| -> Result<Vec<Context>, BuildError> {
            if field == "-" {
                return Ok(Vec::new());
            }
            if field.is_empty() {
                return Err(BuildError::rule(
                    source,
                    line,
                    "an empty context field: write `-` for none",
                ));
            }
            field
                .split(' ')
                .map(|p| {
                    Context::parse(p).map_err(|e| BuildError::rule(source, line, e.to_string()))
                })
                .collect()
        };
        let confirm = contexts(fields[3])?.into();
        let protect = contexts(fields[4])?.into();
        let key = (garbled, original);
        if let Some(first) = seen.get(&key) {
            return Err(err(format!(
                "duplicate pair {garbled}>{original} (first on line {first})"
            )));
        }
        seen.insert(key, line);
        out.push(PairSpec {
            garbled: garbled.to_owned(),
            original: original.to_owned(),
            families,
            confirm,
            protect,
            note: fields[5].to_owned(),
            source: source.to_owned(),
            line,
        });
    }
    Ok(out)
}

/// The built-in pairs, parsed once.
pub(crate) static BUILTIN: LazyLock<Vec<PairSpec>> = LazyLock::new(|| {
    parse(BUILTIN_SOURCE, PAIRS_TSV)
        .expect("data/lexicon/pairs.tsv is valid (checked by its unit test)")
});

/// The word data the compiled table reads: jieba frequencies, the
/// calibration and the compounds.
#[derive(Debug)]
pub(crate) struct WordData {
    /// The jieba frequency of each built-in form.
    freq: HashMap<&'static str, u32>,
    /// (garbled, original) → (α_p, noise floor m_p), from calibration.tsv;
    /// α_p is `None` (`-` in the file) where it could not be measured.
    calibration: HashMap<(&'static str, &'static str), Calibration>,
    /// Per original form, the compounds that contain it: the second field
    /// of its line, (what precedes it)_(what follows it) for each, split
    /// and indexed on first use ([`LazyCompounds`]).
    compounds: HashMap<&'static str, &'static str>,
}

impl WordData {
    /// The compounds that contain `form`, to be indexed on first use; none
    /// for a form that no compound contains.
    fn compounds_of(&self, form: &str) -> LazyCompounds {
        LazyCompounds {
            splits: self.compounds.get(form).copied().unwrap_or(""),
            index: OnceLock::new(),
        }
    }

    /// Reads the built-in files.
    pub(crate) fn parse() -> WordData {
        let freq = data_lines(FREQ_TSV)
            .map(|l| {
                let (w, f) = l.split_once('\t').expect("freq.tsv: form<TAB>count");
                (w, f.parse().expect("freq.tsv: a count"))
            })
            .collect();
        let calibration = data_lines(CALIBRATION_TSV)
            .map(|line| {
                let f: Vec<&str> = line.split('\t').collect();
                let parsed = (f.len() == 6)
                    .then(|| {
                        Some(Calibration {
                            alpha: f[2].parse().ok(),
                            noise_floor: f[3].parse().ok()?,
                        })
                    })
                    .flatten();
                let c =
                    parsed.unwrap_or_else(|| panic!("malformed line in calibration.tsv: {line:?}"));
                ((f[0], f[1]), c)
            })
            .collect();
        WordData {
            freq,
            calibration,
            compounds: data_lines(COMPOUNDS_TSV)
                .map(|line| {
                    line.split_once('\t')
                        .unwrap_or_else(|| panic!("malformed line in compounds.tsv: {line:?}"))
                })
                .collect(),
        }
    }
}

/// The built-in word data, read once.
static WORDS: LazyLock<WordData> = LazyLock::new(WordData::parse);

/// A pair's calibration (see `data/lexicon/calibration.tsv`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Calibration {
    /// The reliability of the language model's context ratio for the pair,
    /// when it could be measured.
    pub alpha: Option<f64>,
    /// The pair's largest evidence in any piece of correct text.
    pub noise_floor: f64,
}

/// The parts of `s` between the bytes `sep` (an ASCII character), read
/// byte by byte: `str::split` with a character sets up a searcher each
/// time, which costs more than the search when the parts are a few
/// characters (the 7,000 splits of `compounds.tsv`).
fn fields(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == sep) {
            Some(k) => {
                rest = Some(&r[k + 1..]);
                Some(&r[..k])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A pair of the compiled table.
#[derive(Debug)]
pub(crate) struct Pair {
    pub garbled: Box<str>,
    pub original: Box<str>,
    pub families: u8,
    pub confirm: Arc<[Context]>,
    pub protect: Arc<[Context]>,
    /// jieba frequencies of the two forms (0 for forms it does not list).
    pub freq_garbled: u32,
    pub freq_original: u32,
    /// The reliability `α_p` of the language model's context ratio for this
    /// pair, and the pair's noise floor `m_p` (its largest evidence in any
    /// piece of correct text), from `data/lexicon/calibration.tsv`; `None`
    /// for pairs it does not list (user rules), which get the defaults.
    pub calibration: Option<Calibration>,
    /// Rule ids per family (indexed like [`FAMILIES`]; empty for families
    /// the pair is not in): `lexicon/A:开展>发展` and the same with
    /// `@confirm`.
    pub rule: Vec<(Box<str>, Box<str>)>,
    /// The language model's log10 probabilities of the garbled and the
    /// original form on their own, computed on first use.
    pub alone: OnceLock<(f32, f32)>,
    /// The pair's clause-head counts (`heads.rs`), looked up on first use;
    /// `None` for pairs the table does not list.
    pub heads: OnceLock<Option<&'static super::heads::PairHeads>>,
}

impl Pair {
    /// The family a repair is reported under: the first of `active` the
    /// pair belongs to, else its first family.
    pub(crate) fn family_for(&self, active: u8) -> usize {
        let pick = if self.families & active != 0 {
            self.families & active
        } else {
            self.families
        };
        pick.trailing_zeros() as usize
    }
}

/// What a form of the search is: the garbled form of some pairs, the
/// original of others.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub as_garbled: Vec<usize>,
    pub as_original: Vec<usize>,
    /// For an original form: the compounds that contain it.
    pub compounds: LazyCompounds,
}

/// The compiled table: pairs, and one leftmost-longest search over all
/// their forms.
#[derive(Debug)]
pub(crate) struct Table {
    pub pairs: Vec<Pair>,
    pub forms: Vec<Form>,
    /// The search over the forms (a form's id is its index in `forms`)
    /// and, when `marks_fused`, the characters of [`MARK_CHARS`] after
    /// them (ids from `forms.len()` on).
    pub search: Forms,
    /// Whether the search finds the marks' characters too: no form holds
    /// one.
    pub marks_fused: bool,
    /// Per pair: the pairs whose garbled form is this pair's original
    /// (chains and swaps; see the module docs of `lexicon`).
    pub feeds: Vec<Vec<usize>>,
}

impl Table {
    /// Compiles `specs`, keeping each pair only in the families of
    /// `families` (a bit set) and dropping pairs left with none.
    pub(crate) fn compile<'a>(
        specs: impl IntoIterator<Item = &'a PairSpec>,
        families: u8,
    ) -> Table {
        Table::compile_with(specs, families, &WORDS)
    }

    /// [`compile`](Table::compile) with the given word data.
    pub(crate) fn compile_with<'a>(
        specs: impl IntoIterator<Item = &'a PairSpec>,
        families: u8,
        words: &WordData,
    ) -> Table {
        let mut pairs = Vec::new();
        let mut patterns: Vec<&str> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut forms: Vec<Form> = Vec::new();
        let specs: Vec<&PairSpec> = specs.into_iter().collect();
        for s in &specs {
            let fams = s.families & families;
            if fams == 0 {
                continue;
            }
            let id = pairs.len();
            for (form, garbled) in [(&s.garbled, true), (&s.original, false)] {
                let k = *index.entry(form.as_str()).or_insert_with(|| {
                    patterns.push(form.as_str());
                    forms.push(Form::default());
                    forms.len() - 1
                });
                if garbled {
                    forms[k].as_garbled.push(id);
                } else {
                    forms[k].as_original.push(id);
                }
            }
            let rule = (0..FAMILIES.len())
                .map(|f| {
                    if fams & (1 << f) == 0 {
                        return (Box::from(""), Box::from(""));
                    }
                    let id = format!("lexicon/{}:{}>{}", FAMILIES[f], s.garbled, s.original);
                    let confirmed = format!("{id}@confirm");
                    (id.into_boxed_str(), confirmed.into_boxed_str())
                })
                .collect();
            let freq = |w: &str| words.freq.get(w).copied().unwrap_or(0);
            pairs.push(Pair {
                garbled: s.garbled.clone().into(),
                original: s.original.clone().into(),
                families: fams,
                confirm: Arc::clone(&s.confirm),
                protect: Arc::clone(&s.protect),
                freq_garbled: freq(&s.garbled),
                freq_original: freq(&s.original),
                calibration: words
                    .calibration
                    .get(&(s.garbled.as_str(), s.original.as_str()))
                    .copied(),
                rule,
                alone: OnceLock::new(),
                heads: OnceLock::new(),
            });
        }
        // The marks' characters are looked for in the same pass, unless a
        // form holds one (it would hide the marks inside it).
        let marks_fused = !patterns
            .iter()
            .any(|f| MARK_CHARS.iter().any(|m| f.contains(m)));
        let search = if marks_fused {
            let mut all = patterns.clone();
            all.extend(MARK_CHARS);
            Forms::new(&all)
        } else {
            Forms::new(&patterns)
        };
        for (form, pattern) in forms.iter_mut().zip(&patterns) {
            if !form.as_original.is_empty() {
                form.compounds = words.compounds_of(pattern);
            }
        }
        let feeds = pairs
            .iter()
            .map(|p| {
                index
                    .get(&*p.original)
                    .map(|&k| forms[k].as_garbled.clone())
                    .unwrap_or_default()
            })
            .collect();
        Table {
            pairs,
            forms,
            search,
            marks_fused,
            feeds,
        }
    }

    /// The default table: every built-in pair in every family.
    pub(crate) fn builtin() -> Arc<Table> {
        static TABLE: LazyLock<Arc<Table>> =
            LazyLock::new(|| Arc::new(Table::compile(BUILTIN.iter(), u8::MAX)));
        Arc::clone(&TABLE)
    }
}

/// The compounds that contain one original form (服务 in 服务器, 发展 in
/// 发展中国家), as (what precedes it, what follows it) in the compound,
/// indexed by the character next to the form so that a lookup compares only
/// the few that can match.
#[derive(Debug, Default)]
pub(crate) struct Compounds {
    /// Those with something before the form, sorted by the last character
    /// of that, and those with nothing before, sorted by the first
    /// character after the form; each with that character.
    before: Vec<(char, &'static str, &'static str)>,
    after: Vec<(char, &'static str, &'static str)>,
}

/// A form's compounds as `compounds.tsv` gives them, indexed on first use:
/// loading the table reads only the lines' first fields, and a text pays
/// for the forms it holds (the 7,000 splits took a quarter of the load).
#[derive(Debug, Default)]
pub(crate) struct LazyCompounds {
    splits: &'static str,
    index: OnceLock<Compounds>,
}

impl LazyCompounds {
    /// The compounds, indexed.
    pub(crate) fn get(&self) -> &Compounds {
        self.index
            .get_or_init(|| Compounds::new(&split_compounds(self.splits)))
    }
}

/// The (before, after) splits of the second field of a line of
/// `compounds.tsv` (`before_after` separated by spaces; empty for none).
///
/// # Panics
///
/// On a malformed split: the file is built in, and a test reads every line.
fn split_compounds(field: &'static str) -> Vec<(&'static str, &'static str)> {
    if field.is_empty() {
        return Vec::new();
    }
    fields(field, b' ')
        .map(|x| {
            let mut parts = fields(x, b'_');
            match (parts.next(), parts.next(), parts.next()) {
                // One `_`, and something besides it.
                (Some(b), Some(a), None) if x.len() > 1 => (b, a),
                _ => panic!("malformed split {x:?} in compounds.tsv"),
            }
        })
        .collect()
}

impl Compounds {
    /// Indexes `(before, after)` splits; an empty one (the form itself) can
    /// never match and is dropped.
    pub(crate) fn new(splits: &[(&'static str, &'static str)]) -> Compounds {
        let mut c = Compounds::default();
        for &(b, a) in splits {
            if let Some(k) = b.chars().next_back() {
                c.before.push((k, b, a));
            } else if let Some(k) = a.chars().next() {
                c.after.push((k, b, a));
            }
        }
        // By the character alone: a lookup reads every entry with it.
        c.before.sort_unstable_by_key(|e| e.0);
        c.after.sort_unstable_by_key(|e| e.0);
        c
    }

    /// Whether there is no compound.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.before.is_empty() && self.after.is_empty()
    }

    /// Whether some compound has nothing before the form and `after` after
    /// it.
    #[cfg(test)]
    pub(crate) fn has_suffix(&self, after: &str) -> bool {
        self.after.iter().any(|&(_, _, a)| a == after)
    }
}

/// Whether the original form at `start..end` of `text` lies inside a longer
/// compound word (服务 in 服务器, 发展 in 发展中国家) of `compounds`.
pub(crate) fn in_compound(text: &str, start: usize, end: usize, compounds: &Compounds) -> bool {
    let (head, tail) = (&text[..start], &text[end..]);
    let matching = |list: &[(char, &str, &str)], key: Option<char>| {
        let Some(key) = key else { return false };
        let from = list.partition_point(|e| e.0 < key);
        list[from..]
            .iter()
            .take_while(|e| e.0 == key)
            .any(|&(_, b, a)| head.ends_with(b) && tail.starts_with(a))
    };
    matching(&compounds.before, head.chars().next_back())
        || matching(&compounds.after, tail.chars().next())
}

/// The compounds that contain `form`, split around each place it occurs
/// (none for a form that is not an original of the built-in pairs).
pub(crate) fn compounds_of(form: &str) -> Compounds {
    Compounds::new(&split_compounds(WORDS.compounds_of(form).splits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let specs = &*BUILTIN;
        assert!(specs.len() >= 180, "{} pairs", specs.len());
        let t = Table::builtin();
        assert_eq!(t.pairs.len(), specs.len());
        assert_eq!(&*t.pairs[0].rule[0].0, "lexicon/A:开展>发展");
        assert_eq!(&*t.pairs[0].rule[0].1, "lexicon/A:开展>发展@confirm");
    }

    #[test]
    fn every_form_has_a_frequency_line() {
        // freq.tsv lists every form, 0 included: a form missing from it means
        // scripts/lexicon/derive.py was not run after pairs.tsv changed.
        for s in BUILTIN.iter() {
            for w in [&s.garbled, &s.original] {
                assert!(
                    WORDS.freq.contains_key(w.as_str()),
                    "{w} is not in data/lexicon/freq.tsv: run scripts/lexicon/derive.py"
                );
            }
        }
    }

    #[test]
    fn builtin_forms_and_contexts_are_sane() {
        for s in BUILTIN.iter() {
            for c in s.confirm.iter().chain(s.protect.iter()) {
                assert!(!c.as_str().is_empty());
            }
            // A context is never both confirm and protect.
            for c in s.confirm.iter() {
                assert!(
                    !s.protect.contains(c),
                    "{}>{}: {} is both confirm and protect",
                    s.garbled,
                    s.original,
                    c.as_str()
                );
            }
        }
    }

    #[test]
    fn compounds() {
        let (fazhan, fuwu) = (compounds_of("发展"), compounds_of("服务"));
        let t = "发展中国家和服务器，服务群众";
        let at = |w: &str| t.find(w).unwrap();
        assert!(in_compound(t, at("发展"), at("发展") + 6, &fazhan));
        assert!(in_compound(t, at("服务器"), at("服务器") + 6, &fuwu));
        let s = t.rfind("服务").unwrap();
        assert!(!in_compound(t, s, s + 6, &fuwu));
        assert!(!in_compound("服务", 0, 6, &fuwu));
        assert!(compounds_of("服务").has_suffix("器"));
        assert!(compounds_of("不存在的词").is_empty());
    }

    #[test]
    fn compounds_are_read_per_original() {
        // 大力发展 (jieba frequency 3) is a compound as much as 发展中国家.
        let splits = split_compounds(WORDS.compounds["发展"]);
        assert!(splits.contains(&("大力", "")) && splits.contains(&("", "中国家")));
        // Every line reads (they are split only when a form is first met).
        for field in WORDS.compounds.values() {
            assert!(!split_compounds(field).is_empty(), "{field:?}");
        }
        // Every built-in original with a compound is listed, and nothing else.
        let originals: std::collections::HashSet<&str> =
            BUILTIN.iter().map(|s| s.original.as_str()).collect();
        assert!(WORDS.compounds.keys().all(|k| originals.contains(k)));
        assert!(WORDS.compounds.len() > 150, "{}", WORDS.compounds.len());
    }

    #[test]
    fn compound_lookup_matches_the_naive_check() {
        let text = "发展中国家和服务器，服务群众，一大部分人，可持续发展，发展";
        for form in ["发展", "服务", "部分"] {
            let c = compounds_of(form);
            let splits = split_compounds(WORDS.compounds[form]);
            for (i, _) in text.match_indices(form) {
                let end = i + form.len();
                let naive = splits
                    .iter()
                    .any(|&(b, a)| text[..i].ends_with(b) && text[end..].starts_with(a));
                assert_eq!(in_compound(text, i, end, &c), naive, "{form} at {i}");
            }
        }
    }

    /// Every confirm context is unambiguous: with the garbled form it never
    /// occurs in the clean reference corpus, and with the original form it
    /// occurs there unless the note lists it as unattested, with the reason.
    #[test]
    fn confirm_contexts_against_the_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/clean");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("skipped: {} is absent", dir.display());
            return;
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.expect("readable dir entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let specs = &*BUILTIN;
        // Every occurrence of every form, overlapping ones included.
        let mut forms: Vec<&str> = Vec::new();
        for s in specs {
            forms.push(&s.garbled);
            forms.push(&s.original);
        }
        forms.sort_unstable();
        forms.dedup();
        let ac = aho_corasick::AhoCorasick::new(&forms).unwrap();
        let mut by_form: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in specs.iter().enumerate() {
            by_form.entry(&s.garbled).or_default().push(i);
            by_form.entry(&s.original).or_default().push(i);
        }
        let mut attested: std::collections::HashSet<(usize, usize)> = Default::default(); // (pair, context)
        let mut failures = Vec::new();
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            for m in ac.find_overlapping_iter(&text) {
                let w = forms[m.pattern().as_usize()];
                for &i in &by_form[w] {
                    let s = &specs[i];
                    for (j, c) in s.confirm.iter().enumerate() {
                        if !c.matches(&text, m.start(), m.end()) {
                            continue;
                        }
                        if w == s.garbled {
                            let at = text[..m.start()].chars().rev().take(10).collect::<Vec<_>>();
                            let before: String = at.into_iter().rev().collect();
                            let after: String = text[m.end()..].chars().take(10).collect();
                            failures.push(format!(
                                "{}>{} confirm {} occurs with the garbled form in {name}: {before}[{w}]{after}",
                                s.garbled,
                                s.original,
                                c.as_str()
                            ));
                        } else if w == s.original {
                            attested.insert((i, j));
                        }
                    }
                }
            }
        }
        for (i, s) in specs.iter().enumerate() {
            for (j, c) in s.confirm.iter().enumerate() {
                if attested.contains(&(i, j)) {
                    continue;
                }
                let listed = s
                    .note
                    .split("unattested")
                    .skip(1)
                    .any(|part| part.split([' ', ',', ';']).any(|x| x == c.as_str()));
                if !listed {
                    failures.push(format!(
                        "{}>{} confirm {} ({}) never occurs in the corpus and the note does not list it as unattested",
                        s.garbled,
                        s.original,
                        c.as_str(),
                        c.with_word(&s.original)
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} problems:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    /// One test per kind of error.
    #[test]
    fn parse_errors() {
        let cases = [
            ("开展\t发展\tA\t-\t-", "expected 6 TAB-separated fields"),
            ("开展\t发展\tA\t-\t-\tnote\textra", "found 7"),
            ("\t发展\tA\t-\t-\t-", "the garbled form is empty"),
            ("开展\t\tA\t-\t-\t-", "the original form is empty"),
            ("开 展\t发展\tA\t-\t-\t-", "contains whitespace"),
            ("送播\t广播/d+v\tB\t-\t-\t-", "contains `+`, `>` or `@`"),
            ("送>播\t广播\tB\t-\t-\t-", "contains `+`, `>` or `@`"),
            ("送播\t广播@x\tB\t-\t-\t-", "contains `+`, `>` or `@`"),
            (
                "\u{FFFD}\u{FFFD}\t和\tai\t-\t-\t-",
                "has no Chinese character",
            ),
            ("ok\t好\tA\t-\t-\t-", "has no Chinese character"),
            ("展\t发展\tA\t-\t-\t-", "would not be idempotent"),
            ("开展\t发展\tZ\t-\t-\t-", "unknown family \"Z\""),
            ("开展\t发展\t\t-\t-\t-", "no family"),
            ("开展\t发展\tA\t_上_\t-\t-", "bad context pattern"),
            ("开展\t发展\tA\t-\t上\t-", "bad context pattern"),
            ("开展\t发展\tA\t\t-\t-", "empty context field"),
            (
                "开展\t发展\tA\t-\t-\t-\n# c\n开展\t发展\tB\t-\t-\t-",
                "duplicate pair 开展>发展 (first on line 1)",
            ),
        ];
        for (text, want) in cases {
            let e = parse("my.tsv", text).unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(want), "{text:?}: {msg}");
            assert!(msg.starts_with("my.tsv:"), "{msg}");
        }
        let e = parse(
            "my.tsv",
            "# header\n\n开展\t发展\tA\t-\t-\t-\n根底\t基础\tA\t在此_上\t-",
        )
        .unwrap_err();
        assert_eq!(e.line(), Some(4));
    }

    #[test]
    fn parse_ok() {
        let specs = parse(
            "mine",
            "# comment\n\n效劳\t服务\tA,seo\t_器 _意识\t为敌人_\tsome note\r\n",
        )
        .unwrap();
        assert_eq!(specs.len(), 1);
        let s = &specs[0];
        assert_eq!((s.garbled.as_str(), s.original.as_str()), ("效劳", "服务"));
        assert_eq!(s.families, 0b1001);
        assert_eq!(s.confirm.len(), 2);
        assert_eq!(s.protect.len(), 1);
        assert_eq!(s.line, 3);
    }
}
