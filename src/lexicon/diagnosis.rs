//! The public report of [`diagnose`](crate::diagnose): how garbled a text
//! looks and on what evidence.

use std::fmt;

/// How garbled a text looks to the lexicon layer, and on what evidence:
/// the result of [`diagnose`](crate::diagnose) and
/// [`Fixer::diagnose`](crate::Fixer::diagnose).
///
/// The [`score`](Diagnosis::score) runs from 0 (reads as correct text) to 1
/// (certainly garbled). [`active_families`](Diagnosis::active_families)
/// names the rewrite tools whose marks the text shows clearly enough for
/// zhfix to repair ambiguous words (the families of
/// `data/lexicon/pairs.tsv`), and [`families`](Diagnosis::families) gives
/// every family with any evidence, active ones first.
///
/// Nothing is repaired; use it alone to filter a corpus. To pick garbled
/// documents, keep those scoring above **0.8**: on the project's
/// evaluation data that takes 144 of 161 garbled documents and none of 2,799
/// pieces of correct text (ROC AUC 0.996). A text with an active family
/// always scores at least 0.5.
///
/// # Example
///
/// ```
/// let speech = "推动经济社会健康持续开展。在此根底上，树立大局意识、效劳意识，\
///               人口到达100万，问题还比拟突出，存在着很多缺乏。";
/// let d = zhfix::diagnose(speech);
/// assert!(d.score() > 0.5);
/// assert_eq!(d.active_families(), ["A"]);
/// println!("{d}");
///
/// let clean = "推动经济社会健康持续发展。认真开展工作，鼓励创新。";
/// let d = zhfix::diagnose(clean);
/// assert!(d.score() < 0.1);
/// assert!(d.active_families().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    score: f64,
    families: Vec<FamilyEvidence>,
}

impl Diagnosis {
    pub(crate) fn new(score: f64, families: Vec<FamilyEvidence>) -> Diagnosis {
        Diagnosis { score, families }
    }

    /// How garbled the text looks, from 0 to 1: the logistic function of
    /// how far the strongest family's evidence is above its threshold
    /// (relative to the threshold), at least 0.5 where a family is active.
    pub fn score(&self) -> f64 {
        self.score
    }

    /// Whether some family is active: the text shows a rewrite tool's
    /// marks.
    ///
    /// ```
    /// assert!(!zhfix::diagnose("开展工作").is_garbled());
    /// ```
    pub fn is_garbled(&self) -> bool {
        self.families.iter().any(FamilyEvidence::is_active)
    }

    /// The names of the active families, strongest first.
    pub fn active_families(&self) -> Vec<&str> {
        self.families
            .iter()
            .filter(|f| f.is_active())
            .map(FamilyEvidence::name)
            .collect()
    }

    /// Every family with evidence in the text, active ones first, then by
    /// how close they come to their threshold.
    pub fn families(&self) -> &[FamilyEvidence] {
        &self.families
    }
}

impl fmt::Display for Diagnosis {
    /// `score 0.973, active: A` then one line per family with evidence:
    /// `  A active 14.0/8.0: 开展>发展 ×12 (6.0) …`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let active = self.active_families();
        write!(f, "score {:.3}", self.score)?;
        if active.is_empty() {
            write!(f, ", no family active")?;
        } else {
            write!(f, ", active: {}", active.join(", "))?;
        }
        for fam in &self.families {
            write!(f, "\n  {fam}")?;
        }
        Ok(())
    }
}

/// The evidence for one tool family in a text: part of a [`Diagnosis`].
///
/// The strength is taken at the place where the family is strongest
/// (evidence fades with distance, so a garbled paragraph in a long clean
/// document still shows).
#[derive(Clone, Debug, PartialEq)]
pub struct FamilyEvidence {
    name: &'static str,
    active: bool,
    strength: f64,
    threshold: f64,
    breadth: f64,
    pairs: Vec<PairEvidence>,
}

impl FamilyEvidence {
    pub(crate) fn new(
        name: &'static str,
        active: bool,
        (strength, threshold, breadth): (f64, f64, f64),
        pairs: Vec<PairEvidence>,
    ) -> FamilyEvidence {
        FamilyEvidence {
            name,
            active,
            strength,
            threshold,
            breadth,
            pairs,
        }
    }

    /// The family's name (`A`, `B`, `C`, `seo`, `tech`, `ai`, `qj`).
    pub fn name(&self) -> &str {
        self.name
    }

    /// Whether the family is active somewhere in the text, after explaining
    /// away: pairs that an active family shares explain nothing more.
    ///
    /// Reaching the [`threshold`](FamilyEvidence::threshold) is not always
    /// enough: the families whose tables are everyday words from a few web
    /// documents (seo, tech, ai, qj) need three pairs with clear evidence,
    /// or a sign that corroborates fewer (a confirming context nearby, a
    /// tool's mark, flattened punctuation, breadth). And one pair far beyond
    /// what correct text shows activates its family alone when something
    /// seconds it.
    ///
    /// ```
    /// // A shell manual: 作业 "job" and 进程 "process", the field's own
    /// // words, are two pairs of family seo at their cap, and nothing else.
    /// let text = "作业控制是指有选择地停止（挂起）进程的执行，并在之后继续执行它们的能\
    ///             力。外壳为每个管道关联一个作业，并保存一张当前作业的表，可以用 jo\
    ///             bs 命令列出。\
    ///             外壳以异步方式启动作业时，会打印一行信息，给出作业号和该作业中最后一\
    ///             个进程的进程号。一个管道中的所有进程都属于同一个作业。\
    ///             为了便于实现作业控制，操作系统维护当前终端进程组的概念。这个进程组中\
    ///             的进程会收到键盘产生的信号；后台进程组中的进程则不会。\
    ///             如果一个后台作业中的进程试图读取终端，该作业会被挂起。可以用 fg \
    ///             命令把一个作业放到前台，用 bg 命令让挂起的作业在后台继续运行。\
    ///             引用作业的方法有好几种：百分号加作业号指向对应的作业，百分号加一个字\
    ///             符串指向以该字符串开头的作业。当前作业是最后一个在前台被停止的作业，\
    ///             或者在后台启动的作业。\
    ///             作业状态改变时，外壳会立即得知。通常它会等到打印下一个提示符之前才报\
    ///             告作业状态的变化，以免打断其他输出。外壳退出时，如果还有被停止的作业\
    ///             ，它会先给出警告。\
    ///             每个进程都有自己的进程号，子进程继承父进程的大部分环境。等待子进程结\
    ///             束时，外壳记录它的退出状态；进程被信号终止时，退出状态为信号编号加上\
    ///             一百二十八。";
    /// let d = zhfix::diagnose(text);
    /// let seo = d.families().iter().find(|f| f.name() == "seo").unwrap();
    /// assert!(seo.strength() >= seo.threshold());
    /// assert!(!seo.is_active());
    /// assert_eq!(zhfix::clean(text), text);
    /// ```
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// The family's evidence where it is strongest: the sum over its pairs
    /// of each pair's evidence, capped per pair, plus its
    /// [`breadth`](FamilyEvidence::breadth) and what the punctuation adds.
    pub fn strength(&self) -> f64 {
        self.strength
    }

    /// What the breadth of the family's evidence adds to its strength
    /// there: many of its pairs with a little evidence each, near each
    /// other, beyond the most that any correct text of the clean corpus
    /// shows (0 for most texts).
    ///
    /// ```
    /// // A tech-blog sentence as the "tech" rewrite tool leaves it: eight of
    /// // its pairs, each a word correct text uses too.
    /// let text = "该平台已完结多言语适配，异构技能栈与边缘场景的事务试点\
    ///             证明了体系的扩展性，具有把服务管理才能下沉到根底设施层的可行性。";
    /// let d = zhfix::diagnose(text);
    /// let tech = d.families().iter().find(|f| f.name() == "tech").unwrap();
    /// assert!(tech.is_active() && tech.breadth() > 0.0);
    /// // Correct text: none.
    /// let d = zhfix::diagnose("该平台已完成多语言适配，异构技术栈与边缘场景的业务试点\
    ///                          证明了系统的扩展性。");
    /// assert!(d.families().iter().all(|f| f.breadth() == 0.0));
    /// ```
    pub fn breadth(&self) -> f64 {
        self.breadth
    }

    /// The evidence the family needs to be active (depends on the
    /// [`Evidence`](crate::Evidence) level).
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Its pairs with occurrences in the text, strongest first.
    pub fn pairs(&self) -> &[PairEvidence] {
        &self.pairs
    }
}

impl fmt::Display for FamilyEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {:.1}/{:.1}:",
            self.name,
            if self.active { "active" } else { "inactive" },
            self.strength,
            self.threshold
        )?;
        if self.breadth > 0.0 {
            write!(f, " breadth+{:.1}", self.breadth)?;
        }
        for p in &self.pairs {
            write!(f, " {p}")?;
        }
        Ok(())
    }
}

/// The evidence of one pair (garbled form, original) in a text: part of a
/// [`FamilyEvidence`].
#[derive(Clone, Debug, PartialEq)]
pub struct PairEvidence {
    garbled: String,
    original: String,
    occurrences: usize,
    originals: usize,
    confirmed: usize,
    strength: f64,
}

impl PairEvidence {
    pub(crate) fn new(
        garbled: &str,
        original: &str,
        occurrences: usize,
        originals: usize,
        confirmed: usize,
        strength: f64,
    ) -> PairEvidence {
        PairEvidence {
            garbled: garbled.to_owned(),
            original: original.to_owned(),
            occurrences,
            originals,
            confirmed,
            strength,
        }
    }

    /// The form the tool wrote (开展).
    pub fn garbled(&self) -> &str {
        &self.garbled
    }

    /// The word it replaced (发展).
    pub fn original(&self) -> &str {
        &self.original
    }

    /// Occurrences of the garbled form outside protect contexts.
    pub fn occurrences(&self) -> usize {
        self.occurrences
    }

    /// Occurrences of the original form outside longer words: a little
    /// evidence that the tool did not run.
    pub fn originals(&self) -> usize {
        self.originals
    }

    /// Occurrences of the garbled form in a confirm context.
    pub fn confirmed(&self) -> usize {
        self.confirmed
    }

    /// The pair's evidence where its family is strongest, between 0 and the
    /// per-pair cap.
    pub fn strength(&self) -> f64 {
        self.strength
    }
}

impl fmt::Display for PairEvidence {
    /// `开展>发展 ×12 (6.0)`, with `, 2 confirmed` and `, 3 original` when
    /// there are such occurrences.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}>{} ×{} ({:.1}",
            self.garbled, self.original, self.occurrences, self.strength
        )?;
        if self.confirmed > 0 {
            write!(f, ", {} confirmed", self.confirmed)?;
        }
        if self.originals > 0 {
            write!(f, ", {} original", self.originals)?;
        }
        write!(f, ")")
    }
}
