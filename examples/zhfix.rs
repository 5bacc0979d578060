//! `zhfix`: repairs garbled Chinese text from files, standard input or the
//! command line, and writes the repaired text to standard output.
//!
//! ```text
//! zhfix [OPTIONS] [FILE]...
//! ```
//!
//! Run `zhfix --help` (or read [`help`]) for the options and exit statuses.
//!
//! The program is a thin layer over [`run`], which takes the arguments and
//! the three standard streams, so the integration tests drive it in-process
//! (`tests/cli.rs` includes this file as a module).
//!
//! # Adding an option
//!
//! Options are parsed by hand (no dependency) in [`parse_args`]: one `match`
//! arm per option. A flag sets a field of [`Options`]; an option with a value
//! calls `value.take()?`, which accepts `--name VALUE` and `--name=VALUE` and
//! reports a missing value. A new mode of output is a [`Mode`] variant plus
//! one arm in [`process`].

use std::borrow::Cow;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use zhfix::{Evidence, Fixer, FixerBuilder, Layer, Report};

/// Exit status: success; with `--check`, nothing would change.
pub const EXIT_OK: u8 = 0;
/// Exit status of `--check` when something would change.
pub const EXIT_CHANGED: u8 = 1;
/// Exit status for bad usage or an input that could not be read.
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let stdin = io::stdin();
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let status = run(
        std::env::args_os().skip(1),
        &mut stdin.lock(),
        &mut out,
        &mut io::stderr().lock(),
    );
    ExitCode::from(status)
}

/// The help text.
pub fn help() -> String {
    let mut layers = String::new();
    for layer in Layer::ALL {
        let _ = write!(layers, " --no-{layer}");
    }
    format!(
        "\
zhfix: repairs Chinese text garbled by rewrite tools, converters, PDF
extraction and OCR. Correct text passes through unchanged.

Usage: zhfix [OPTIONS] [FILE]...

Reads each FILE in turn (standard input when no FILE is given, and for
`-`) and writes the repaired text to standard output.

Options:
  -t, --text TEXT     repair TEXT instead of reading input (repeatable);
                      the result is printed with a final newline
      --explain       print the edits instead of the text, one a line:
                        [NAME:]LINE:COL  \"BEFORE\" → \"AFTER\"  [RULE]
                      LINE and COL count from 1, COL in characters; NAME
                      (the file, <stdin> or <text>) is shown when there is
                      more than one input; invisible characters are
                      escaped as \\u{{200B}}
      --check         print nothing; exit 1 if anything would change
      --diagnose      print one line per input instead of the text:
                        NAME<TAB>SCORE<TAB>FAMILIES
                      NAME is the file, - for standard input, <text>
                      for -t; SCORE how garbled it looks (0.000-1.000);
                      FAMILIES the active rewrite-tool families,
                      comma-separated (empty when none)
      --rules FILE    add word pairs from FILE (the format of
                      data/lexicon/pairs.tsv; repeatable)
      --evidence LEVEL
                      evidence the word repairs need: self-evident,
                      strict, default (the default) or lenient
      --ocr           switch the OCR layer on (look-alike characters,
                      misread marks, letters inside numbers)
      --no-LAYER      switch a layer off:{layers}
      --no-spacing    keep the spaces inside spaced-out runs of ideographs
      --no-fullwidth  keep full-width Latin letters and digits (ＡＢＣ１２３)
  -h, --help          print this help and exit

Exit status: 0 on success (with --check: nothing would change); 1 with
--check when something would change; 2 on bad usage or an input that
cannot be read (nothing is written for that input; the others are still
processed).
"
    )
}

/// What to print for each input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The repaired text.
    Repair,
    /// One line per edit.
    Explain,
    /// Nothing; the exit status tells whether anything would change.
    Check,
    /// One line per input: name, score, active families.
    Diagnose,
}

/// One input, in the order given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input (no file given, or `-`).
    Stdin,
    /// A file.
    File(PathBuf),
    /// The value of `-t`/`--text`.
    Text(String),
}

impl Input {
    fn name(&self) -> Cow<'_, str> {
        match self {
            Input::Stdin => Cow::Borrowed("<stdin>"),
            Input::File(p) => p.to_string_lossy(),
            Input::Text(_) => Cow::Borrowed("<text>"),
        }
    }
}

/// The parsed command line.
#[derive(Clone, Debug)]
pub struct Options {
    /// The inputs; standard input when empty.
    pub inputs: Vec<Input>,
    /// What to print.
    pub mode: Mode,
    /// The configuration the options built.
    pub builder: FixerBuilder,
    /// `--help` was given.
    pub help: bool,
}

/// The value of the option being parsed: given inline (`--text=VALUE`) or
/// as the next argument (`--text VALUE`).
struct Value<'a, I> {
    option: &'a str,
    inline: Option<&'a str>,
    rest: &'a mut I,
    used: bool,
}

impl<I: Iterator<Item = OsString>> Value<'_, I> {
    /// The value as UTF-8 text.
    fn take(&mut self) -> Result<String, String> {
        self.used = true;
        if let Some(v) = self.inline {
            return Ok(v.to_owned());
        }
        match self.rest.next() {
            Some(v) => v.into_string().map_err(|v| {
                format!(
                    "the value of {} is not valid UTF-8: {}",
                    self.option,
                    v.to_string_lossy()
                )
            }),
            None => Err(format!("option {} needs a value", self.option)),
        }
    }

    /// Fails when a flag was given an inline value (`--check=yes`).
    fn finish(&self) -> Result<(), String> {
        match self.inline {
            Some(_) if !self.used => Err(format!("option {} takes no value", self.option)),
            _ => Ok(()),
        }
    }
}

/// Parses the arguments (without the program name).
///
/// # Errors
///
/// A one-line message for an unknown option, an option missing its value,
/// a value given to a flag, or conflicting options.
pub fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Options, String> {
    let mut opts = Options {
        inputs: Vec::new(),
        mode: Mode::Repair,
        builder: Fixer::builder(),
        help: false,
    };
    let mut modes: Vec<&'static str> = Vec::new();
    let mut args = args.into_iter();
    let mut only_files = false;
    while let Some(arg) = args.next() {
        let s = match arg.to_str() {
            Some(s) if !only_files && s.starts_with('-') && s != "-" => s.to_owned(),
            Some("-") if !only_files => {
                opts.inputs.push(Input::Stdin);
                continue;
            }
            _ => {
                opts.inputs.push(Input::File(PathBuf::from(arg)));
                continue;
            }
        };
        if s == "--" {
            only_files = true;
            continue;
        }
        let (name, inline) = match s.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v)),
            _ => (s.as_str(), None),
        };
        let mut value = Value {
            option: name,
            inline,
            rest: &mut args,
            used: false,
        };
        match name {
            "-h" | "--help" => opts.help = true,
            "-t" | "--text" => opts.inputs.push(Input::Text(value.take()?)),
            "--explain" => {
                opts.mode = Mode::Explain;
                modes.push("--explain");
            }
            "--check" => {
                opts.mode = Mode::Check;
                modes.push("--check");
            }
            "--diagnose" => {
                opts.mode = Mode::Diagnose;
                modes.push("--diagnose");
            }
            "--rules" => {
                let path = value.take()?;
                let text = std::fs::read(&path)
                    .map_err(|e| format!("{path}: {}", io_message(&e)))
                    .and_then(|b| {
                        String::from_utf8(b).map_err(|e| {
                            format!(
                                "{path}: invalid UTF-8 at byte {}",
                                e.utf8_error().valid_up_to()
                            )
                        })
                    })?;
                opts.builder.rules(&path, &text);
            }
            "--evidence" => {
                let level = match value.take()?.as_str() {
                    "self-evident" => Evidence::SelfEvident,
                    "strict" => Evidence::Strict,
                    "default" => Evidence::Default,
                    "lenient" => Evidence::Lenient,
                    other => {
                        return Err(format!(
                            "unknown evidence level {other:?} (self-evident, strict, default or lenient)"
                        ));
                    }
                };
                opts.builder.evidence(level);
            }
            "--no-spacing" => {
                opts.builder.spacing(false);
            }
            "--no-fullwidth" => {
                opts.builder.fullwidth(false);
            }
            "--ocr" => {
                opts.builder.ocr(true);
            }
            _ => match name.strip_prefix("--no-").and_then(Layer::from_name) {
                Some(layer) => {
                    opts.builder.layer(layer, false);
                }
                None => return Err(format!("unknown option {name} (see zhfix --help)")),
            },
        }
        value.finish()?;
    }
    modes.dedup();
    if modes.len() > 1 {
        return Err(format!("{} cannot be used together", modes.join(" and ")));
    }
    Ok(opts)
}

/// Runs the program: parses `args`, reads the inputs, writes the results to
/// `out` and one-line errors to `err`, and returns the exit status
/// ([`EXIT_OK`], [`EXIT_CHANGED`] or [`EXIT_ERROR`]).
///
/// An input that cannot be read, or is not UTF-8, gets an error and no
/// output; the other inputs are still processed. When `out` is closed
/// (`zhfix big.txt | head -1`) the program stops quietly.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(msg) => {
            report(err, &msg);
            return EXIT_ERROR;
        }
    };
    if opts.help {
        return match out.write_all(help().as_bytes()).and_then(|()| out.flush()) {
            Err(e) => write_failed(&e, err, EXIT_OK),
            Ok(()) => EXIT_OK,
        };
    }
    let fixer = match opts.builder.build() {
        Ok(f) => f,
        Err(e) => {
            report(err, &e.to_string());
            return EXIT_ERROR;
        }
    };
    let inputs = if opts.inputs.is_empty() {
        vec![Input::Stdin]
    } else {
        opts.inputs
    };
    let show_names = inputs.len() > 1;
    let mut status = EXIT_OK;
    for input in &inputs {
        let text = match read_input(input, stdin) {
            Ok(t) => t,
            Err(msg) => {
                report(err, &msg);
                status = EXIT_ERROR;
                continue;
            }
        };
        let name = show_names.then(|| input.name());
        match process(&fixer, opts.mode, input, name.as_deref(), &text, out) {
            Ok(changed) => {
                if changed && opts.mode == Mode::Check && status == EXIT_OK {
                    status = EXIT_CHANGED;
                }
            }
            Err(e) => return write_failed(&e, err, status),
        }
    }
    match out.flush() {
        Ok(()) => status,
        Err(e) => write_failed(&e, err, status),
    }
}

/// Writes one error line, `zhfix: MESSAGE`. Control characters in the
/// message (a file or option name may hold a line break) are escaped, so an
/// error is always exactly one line.
fn report(err: &mut dyn Write, msg: &str) {
    let mut line = String::with_capacity(msg.len());
    for c in msg.chars() {
        if c.is_control() {
            line.extend(c.escape_default());
        } else {
            line.push(c);
        }
    }
    let _ = writeln!(err, "zhfix: {line}");
}

/// The status after writing to `out` failed: a closed pipe ends the program
/// quietly with the status so far; any other failure is an error.
fn write_failed(e: &io::Error, err: &mut dyn Write, status: u8) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return status;
    }
    report(err, &format!("cannot write the output: {e}"));
    EXIT_ERROR
}

/// Reads a whole input and checks that it is UTF-8.
fn read_input(input: &Input, stdin: &mut dyn Read) -> Result<String, String> {
    let bytes = match input {
        Input::Text(t) => return Ok(t.clone()),
        Input::Stdin => {
            let mut buf = Vec::new();
            stdin
                .read_to_end(&mut buf)
                .map_err(|e| format!("<stdin>: cannot read: {}", io_message(&e)))?;
            buf
        }
        Input::File(path) => {
            std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), io_message(&e)))?
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{}: invalid UTF-8 at byte {}",
            input.name(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// A short description of an I/O error, without the OS error number.
fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_owned(),
                None => s,
            }
        }
    }
}

/// Repairs one input and writes what `mode` asks for. Returns whether
/// anything changed.
fn process(
    fixer: &Fixer,
    mode: Mode,
    input: &Input,
    name: Option<&str>,
    text: &str,
    out: &mut dyn Write,
) -> io::Result<bool> {
    match mode {
        Mode::Repair => {
            let fixed = fixer.clean(text);
            out.write_all(fixed.as_bytes())?;
            if matches!(input, Input::Text(_)) && !fixed.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            Ok(matches!(fixed, Cow::Owned(_)))
        }
        Mode::Explain => {
            let report = fixer.explain(text);
            write_explain(out, name, text, &report)?;
            Ok(!report.is_unchanged())
        }
        Mode::Check => Ok(matches!(fixer.clean(text), Cow::Owned(_))),
        Mode::Diagnose => {
            let d = fixer.diagnose(text);
            let name = match input {
                Input::Stdin => Cow::Borrowed("-"),
                other => other.name(),
            };
            writeln!(
                out,
                "{name}\t{:.3}\t{}",
                d.score(),
                d.active_families().join(",")
            )?;
            Ok(false)
        }
    }
}

/// Writes one line per edit: `[NAME:]LINE:COL  "BEFORE" → "AFTER"  [RULE]`.
fn write_explain(
    out: &mut dyn Write,
    name: Option<&str>,
    text: &str,
    report: &Report,
) -> io::Result<()> {
    let (mut line, mut col, mut pos) = (1usize, 1usize, 0usize);
    for edit in report.edits() {
        for c in text[pos..edit.start()].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        pos = edit.start();
        if let Some(name) = name {
            write!(out, "{name}:")?;
        }
        writeln!(
            out,
            "{line}:{col}  {} → {}  [{}]",
            quoted(edit.before()),
            quoted(edit.after()),
            edit.rule()
        )?;
    }
    Ok(())
}

/// `s` in double quotes, with `"` and `\` escaped and every character that
/// cannot be seen (controls, whitespace other than the ASCII space,
/// zero-width and other format characters) written as `\u{XXXX}`.
pub fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                q.push('\\');
                q.push(c);
            }
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            ' ' => q.push(' '),
            c if c.is_control() || c.is_whitespace() || is_invisible(c) => {
                let _ = write!(q, "\\u{{{:04X}}}", c as u32);
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// Format and filler characters that render as nothing.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{34F}' | '\u{61C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E0FFF}')
}
