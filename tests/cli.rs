//! Tests of the example program `examples/zhfix.rs`.
//!
//! Most tests drive its `run` function in-process (the example is included
//! here as a module), with in-memory streams. The tests that need a real
//! process (exit status through `main`, a closed stdout) run the built
//! example, which [`binary`] builds first with the cargo that runs the
//! tests, so a stale binary is never tested.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

#[allow(dead_code)]
#[path = "../examples/zhfix.rs"]
mod cli_main;

use cli_main::{EXIT_CHANGED, EXIT_ERROR, EXIT_OK};

/// What one in-process run gave.
struct Run {
    status: u8,
    out: String,
    err: String,
}

fn run_with(args: &[&str], stdin: &[u8]) -> Run {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let args: Vec<OsString> = args.iter().map(OsString::from).collect();
    let status = cli_main::run(args, &mut &stdin[..], &mut out, &mut err);
    Run {
        status,
        out: String::from_utf8(out).expect("UTF-8 output"),
        err: String::from_utf8(err).expect("UTF-8 errors"),
    }
}

fn run(args: &[&str]) -> Run {
    run_with(args, b"")
}

/// A scratch directory for this test binary, removed and made anew.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhfix-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write temp file");
    path.to_str().expect("UTF-8 temp path").to_owned()
}

#[test]
fn text_option() {
    let r = run(&["-t", "同志们:经研究决定,我们"]);
    assert_eq!(
        (r.status, r.out.as_str(), r.err.as_str()),
        (EXIT_OK, "同志们：经研究决定，我们\n", "")
    );
    let r = run(&["--text=中华⼈民共和国"]);
    assert_eq!(r.out, "中华人民共和国\n");
    // Two texts, in order; a value that looks like an option is a value.
    let r = run(&["-t", "⼀", "--text", "-x"]);
    assert_eq!(r.out, "一\n-x\n");
}

#[test]
fn stdin_when_no_input_and_for_dash() {
    let input = "经研究决定,同意。\n开展工作。\n";
    let want = "经研究决定，同意。\n开展工作。\n";
    for args in [&[][..], &["-"][..]] {
        let r = run_with(args, input.as_bytes());
        assert_eq!(
            (r.status, r.out.as_str(), r.err.as_str()),
            (EXIT_OK, want, "")
        );
    }
    // Correct text comes out byte for byte, without a newline added.
    let r = run_with(&[], "开展工作".as_bytes());
    assert_eq!(r.out, "开展工作");
}

#[test]
fn files_in_order() {
    let dir = scratch("files");
    let a = write_file(&dir, "a.txt", "⼈民\n".as_bytes());
    let b = write_file(&dir, "b.txt", "同意,".as_bytes());
    let r = run_with(&[&a, "-", &b], "中间\n".as_bytes());
    assert_eq!(r.out, "人民\n中间\n同意，");
    assert_eq!(r.status, EXIT_OK);
    // `--` ends the options: a file may be named like one.
    let dash = write_file(&dir, "--check", "⼈".as_bytes());
    let r = run(&["--", &dash]);
    assert_eq!((r.status, r.out.as_str()), (EXIT_OK, "人"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn explain_format() {
    let r = run_with(&["--explain"], "第一行\n同志们:好\u{200B}中⼤家".as_bytes());
    assert_eq!(r.status, EXIT_OK);
    assert_eq!(
        r.out,
        "2:4  \":\" → \"：\"  [punct/ascii]\n\
         2:6  \"\\u{200B}\" → \"\"  [unicode/invisible]\n\
         2:8  \"⼤\" → \"大\"  [unicode/kangxi]\n"
    );
    // Edits that touch are reported as one, with both rules.
    let r = run(&["--explain", "-t", "们:\u{200B}"]);
    assert_eq!(
        r.out,
        "1:2  \":\\u{200B}\" → \"：\"  [unicode/invisible+punct/ascii]\n"
    );
    // Nothing to change: nothing printed.
    let r = run(&["--explain", "-t", "开展工作。"]);
    assert_eq!((r.status, r.out.as_str()), (EXIT_OK, ""));
    // More than one input: each line names its input.
    let r = run(&["--explain", "-t", "⼈", "-t", "好,"]);
    assert_eq!(
        r.out,
        "<text>:1:1  \"⼈\" → \"人\"  [unicode/kangxi]\n<text>:1:2  \",\" → \"，\"  [punct/ascii]\n"
    );
}

#[test]
fn quoted_escapes_invisible_characters() {
    assert_eq!(cli_main::quoted("中 文"), "\"中 文\"");
    assert_eq!(
        cli_main::quoted("\u{A0}\u{3000}\u{AD}\u{FEFF}"),
        "\"\\u{00A0}\\u{3000}\\u{00AD}\\u{FEFF}\""
    );
    assert_eq!(cli_main::quoted("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
}

#[test]
fn check_exit_status() {
    let r = run(&["--check", "-t", "开展工作。"]);
    assert_eq!(
        (r.status, r.out.as_str(), r.err.as_str()),
        (EXIT_OK, "", "")
    );
    let r = run(&["--check", "-t", "同志们:"]);
    assert_eq!(
        (r.status, r.out.as_str(), r.err.as_str()),
        (EXIT_CHANGED, "", "")
    );
    let r = run_with(&["--check"], "⼈".as_bytes());
    assert_eq!(r.status, EXIT_CHANGED);
    // Switching off the layer that would act makes the text pass.
    let r = run(&["--check", "--no-unicode", "-t", "⼈民"]);
    assert_eq!(r.status, EXIT_OK);
}

#[test]
fn layer_switches() {
    let r = run(&["--no-punct", "-t", "⼈民,"]);
    assert_eq!(r.out, "人民,\n");
    let r = run(&["--no-unicode", "-t", "⼈民,"]);
    assert_eq!(r.out, "⼈民，\n");
    let r = run(&["--no-spacing", "-t", "经 济 技 术 开 发 区"]);
    assert_eq!(r.out, "经 济 技 术 开 发 区\n");
    // Every layer has its switch, and the help lists it.
    let help = cli_main::help();
    for layer in zhfix::Layer::ALL {
        let opt = format!("--no-{layer}");
        assert!(help.contains(&opt), "help lacks {opt}");
        assert_eq!(run(&[&opt, "-t", ""]).status, EXIT_OK, "{opt}");
    }
}

#[test]
fn help() {
    for opt in ["-h", "--help"] {
        let r = run(&[opt]);
        assert_eq!(r.status, EXIT_OK);
        assert!(r.out.starts_with("zhfix: repairs Chinese text"));
        assert!(r.out.contains("Usage: zhfix [OPTIONS] [FILE]..."));
        assert!(r.err.is_empty());
    }
}

/// Asserts one error line on stderr naming `needle`, nothing written
/// for the failed input, and exit status 2.
fn assert_error(r: &Run, needle: &str) {
    assert_eq!(r.status, EXIT_ERROR, "stderr: {}", r.err);
    assert!(r.err.starts_with("zhfix: "), "stderr: {}", r.err);
    assert!(
        r.err.contains(needle),
        "stderr {:?} lacks {needle:?}",
        r.err
    );
    assert_eq!(r.err.lines().count(), 1, "stderr: {}", r.err);
}

#[test]
fn usage_errors() {
    assert_error(&run(&["--frobnicate"]), "unknown option --frobnicate");
    assert_error(&run(&["-x"]), "unknown option -x");
    assert_error(&run(&["--no-such-layer"]), "unknown option --no-such-layer");
    assert_error(&run(&["-t"]), "option -t needs a value");
    assert_error(&run(&["--text"]), "option --text needs a value");
    assert_error(
        &run(&["--check=yes", "-t", "x"]),
        "option --check takes no value",
    );
    assert_error(
        &run(&["--check", "--explain", "-t", "x"]),
        "cannot be used together",
    );
    // Usage errors write nothing to stdout.
    assert!(run(&["-t", "⼈", "--bad"]).out.is_empty());
}

#[test]
fn input_errors() {
    let dir = scratch("errors");
    let missing = dir.join("missing.txt");
    let missing = missing.to_str().unwrap();
    let r = run(&[missing]);
    assert_error(&r, &format!("{missing}: no such file"));
    assert!(r.out.is_empty());

    let d = dir.to_str().unwrap();
    let r = run(&[d]);
    assert_error(&r, &format!("{d}: is a directory"));

    // Invalid UTF-8: the file and the byte offset; nothing of the file is
    // written, even its valid beginning.
    let mut bytes = "⼈民,".as_bytes().to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xFF, b'a']);
    let bad = write_file(&dir, "bad.txt", &bytes);
    let r = run(&[&bad]);
    assert_error(&r, &format!("{bad}: invalid UTF-8 at byte {offset}"));
    assert!(r.out.is_empty());
    let r = run_with(&[], &[b'a', 0xC3]);
    assert_error(&r, "<stdin>: invalid UTF-8 at byte 1");

    // A failing input does not stop the others, and the status is still 2.
    let good = write_file(&dir, "good.txt", "⼤".as_bytes());
    let r = run(&[&bad, &good]);
    assert_error(&r, "bad.txt");
    assert_eq!(r.out, "大");
    // Even with --check, an error wins over "would change".
    let r = run(&["--check", &good, missing]);
    assert_error(&r, "no such file");
    let _ = std::fs::remove_dir_all(dir);
}

/// The built example, built now (a no-op when it is fresh) with the cargo
/// and profile that built these tests.
fn binary() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        // This test binary is target/PROFILE/deps/integration-HASH.
        let exe = std::env::current_exe().expect("test binary path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target/PROFILE");
        let target_dir = profile_dir.parent().expect("target dir");
        let profile = profile_dir.file_name().unwrap().to_str().unwrap();
        let mut cargo = Command::new(env!("CARGO"));
        cargo
            .args(["build", "--quiet", "--example", "zhfix", "--profile"])
            .arg(if profile == "debug" { "dev" } else { profile })
            .env("CARGO_TARGET_DIR", target_dir)
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        let status = cargo.status().expect("run cargo build");
        assert!(status.success(), "cargo build --example zhfix failed");
        profile_dir
            .join("examples")
            .join(format!("zhfix{}", std::env::consts::EXE_SUFFIX))
    })
}

#[test]
fn process_exit_statuses() {
    let status = |args: &[&str]| {
        Command::new(binary())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run zhfix")
            .code()
    };
    assert_eq!(status(&["-t", "开展工作"]), Some(0));
    assert_eq!(status(&["--check", "-t", "开展工作"]), Some(0));
    assert_eq!(status(&["--check", "-t", "⼈"]), Some(1));
    assert_eq!(status(&["--bad-option"]), Some(2));
    assert_eq!(status(&["/nonexistent/zhfix/input"]), Some(2));
}

#[test]
fn process_stdin_and_closed_stdout() {
    let mut child = Command::new(binary())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zhfix");
    child
        .stdin
        .take()
        .unwrap()
        .write_all("⼈民,\n".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "人民，\n");

    // `zhfix big.txt | head -1`: the reader goes away after one line.
    let dir = scratch("pipe");
    let big = write_file(
        &dir,
        "big.txt",
        "经研究决定,同意。\n".repeat(200_000).as_bytes(),
    );
    let mut child = Command::new(binary())
        .arg(&big)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run zhfix");
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "stderr: {stderr}");
    assert_eq!(out.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn diagnose_prints_one_line_per_input() {
    let dir = scratch("diagnose");
    let garbled = write_file(
        &dir,
        "a.txt",
        "推动经济社会健康持续开展，在此根底上树立效劳意识，问题比拟突出。".as_bytes(),
    );
    let clean = write_file(&dir, "b.txt", "推动经济社会健康持续发展。".as_bytes());
    let r = run_with(
        &["--diagnose", &garbled, "-", &clean],
        "开展工作".as_bytes(),
    );
    assert_eq!((r.status, r.err.as_str()), (EXIT_OK, ""));
    let lines: Vec<Vec<&str>> = r.out.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), 3, "{}", r.out);
    assert_eq!(lines[0][0], garbled);
    assert_eq!(lines[0][2], "A");
    assert_eq!(lines[1][0], "-");
    assert_eq!(lines[1][2], "");
    assert_eq!(lines[2][0], clean);
    for l in &lines {
        assert_eq!(l.len(), 3);
        let score: f64 = l[1].parse().unwrap();
        assert!((0.0..=1.0).contains(&score) && l[1].len() == 5, "{l:?}");
    }
    assert!(lines[0][1] > lines[2][1]);
    // Standard input alone is named `-` too.
    let r = run_with(&["--diagnose"], "开展工作".as_bytes());
    assert!(r.out.starts_with("-\t"), "{}", r.out);
    // Only one mode at a time.
    let r = run(&["--diagnose", "--explain", "-t", "x"]);
    assert_eq!(r.status, EXIT_ERROR);
}

#[test]
fn rules_option() {
    let dir = scratch("rules");
    let rules = write_file(
        &dir,
        "mine.tsv",
        "# mine\n智能化装备\t智能装备\tA\t_制造\t-\t-\n".as_bytes(),
    );
    let r = run(&["--rules", &rules, "-t", "推进智能化装备制造"]);
    assert_eq!(
        (r.status, r.out.as_str(), r.err.as_str()),
        (EXIT_OK, "推进智能装备制造\n", "")
    );
    // A malformed line: one line on stderr naming the file and line, exit 2.
    let bad = write_file(&dir, "bad.tsv", "# x\n开展\t发展\tA\n".as_bytes());
    let r = run(&["--rules", &bad, "-t", "x"]);
    assert_eq!(r.status, EXIT_ERROR);
    assert_eq!(r.out, "");
    assert_eq!(r.err.lines().count(), 1, "{}", r.err);
    assert!(
        r.err
            .contains(&format!("{bad}:2: expected 6 TAB-separated fields")),
        "{}",
        r.err
    );
    // A missing file.
    let r = run(&["--rules", &format!("{bad}.nope"), "-t", "x"]);
    assert_eq!((r.status, r.err.lines().count()), (EXIT_ERROR, 1));
    assert!(r.err.contains("no such file"), "{}", r.err);
}

#[test]
fn lexicon_switches() {
    let r = run(&["--no-lexicon", "-t", "在此根底上"]);
    assert_eq!(r.out, "在此根底上\n");
    let r = run(&["-t", "在此根底上"]);
    assert_eq!(r.out, "在此基础上\n");
    let r = run(&["--evidence", "self-evident", "-t", "效劳器前往302"]);
    assert_eq!(r.out, "服务器返回302\n");
    let r = run(&["--evidence", "never", "-t", "x"]);
    assert_eq!(r.status, EXIT_ERROR);
    assert!(r.err.contains("unknown evidence level"), "{}", r.err);
}

// --- Bad input and bad output (issue 4) ------------------------------------

/// A standard input that, when first read, deletes `victim`: the file
/// named after `-` on the command line vanishes while the program runs.
struct DeletingStdin {
    victim: PathBuf,
    data: &'static [u8],
}

impl Read for DeletingStdin {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.victim.exists() {
            std::fs::remove_file(&self.victim)?;
        }
        self.data.read(buf)
    }
}

#[test]
fn file_that_vanishes_mid_run() {
    let dir = scratch("vanish");
    let a = write_file(&dir, "a.txt", "⼈民,\n".as_bytes());
    let b = write_file(&dir, "b.txt", "同意,".as_bytes());
    let mut stdin = DeletingStdin {
        victim: PathBuf::from(&b),
        data: "中间,\n".as_bytes(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let args = [&a, "-", &b].map(OsString::from);
    let status = cli_main::run(args, &mut stdin, &mut out, &mut err);
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    // The inputs before it are repaired; it gets one error and no output.
    assert_eq!(out, "人民，\n中间，\n");
    assert_eq!(status, EXIT_ERROR);
    assert_eq!(err, format!("zhfix: {b}: no such file\n"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unreadable_inputs() {
    let dir = scratch("unreadable");
    let file = write_file(&dir, "file.txt", "⼈".as_bytes());
    // A path through a file: "not a directory".
    let through = format!("{file}/x");
    let r = run(&[&through]);
    assert_error(&r, &format!("{through}: "));
    assert!(r.out.is_empty() && !r.err.contains("os error"), "{}", r.err);
    // Permissions: meaningless for root, who reads everything.
    let locked = write_file(&dir, "locked.txt", "⼈".as_bytes());
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        println!("note: running as root, permission denied not checked");
    } else {
        let r = run(&[&locked, &file]);
        assert_error(&r, &format!("{locked}: permission denied"));
        assert_eq!(r.out, "人");
    }
    // A standard input that fails to read.
    struct Failing;
    impl Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("device error"))
        }
    }
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = cli_main::run(
        ["-t", "⼈", "-"].map(OsString::from),
        &mut Failing,
        &mut out,
        &mut err,
    );
    assert_eq!(status, EXIT_ERROR);
    assert_eq!(String::from_utf8(out).unwrap(), "人\n");
    assert_eq!(
        String::from_utf8(err).unwrap(),
        "zhfix: <stdin>: cannot read: device error\n"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn empty_inputs() {
    let dir = scratch("empty");
    let empty = write_file(&dir, "empty.txt", b"");
    for mode in [&[][..], &["--explain"], &["--check"], &["--diagnose"]] {
        let r = run_with(mode, b"");
        assert_eq!((r.status, r.err.as_str()), (EXIT_OK, ""), "{mode:?}");
        let r = run(&[mode, &[empty.as_str()][..]].concat());
        assert_eq!((r.status, r.err.as_str()), (EXIT_OK, ""), "{mode:?}");
        if mode.is_empty() || mode == ["--explain"] || mode == ["--check"] {
            assert_eq!(r.out, "", "{mode:?}");
        }
    }
    // An empty text is printed as an empty line, like any -t text.
    assert_eq!(run(&["-t", ""]).out, "\n");
    // An empty rule file adds nothing and is no error.
    let r = run(&["--rules", &empty, "-t", "在此根底上"]);
    assert_eq!((r.status, r.out.as_str()), (EXIT_OK, "在此基础上\n"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_rule_files() {
    let dir = scratch("bad-rules");
    // Not UTF-8, a directory, one bad line among good ones: one error line
    // naming the file, exit 2, and nothing repaired or written.
    let latin1 = write_file(&dir, "latin1.tsv", b"# caf\xe9\n");
    let r = run(&["--rules", &latin1, "-t", "⼈"]);
    assert_error(&r, &format!("{latin1}: invalid UTF-8 at byte 5"));
    assert!(r.out.is_empty());
    let d = dir.to_str().unwrap();
    assert_error(
        &run(&["--rules", d, "-t", "⼈"]),
        &format!("{d}: is a directory"),
    );
    let bad = write_file(
        &dir,
        "bad.tsv",
        "# ours\n智能化装备\t智能装备\tA\t_制造\t-\t-\n甲乙\t丙丁\tZ\t-\t-\t-\n".as_bytes(),
    );
    let r = run(&["--rules", &bad, "-t", "⼈"]);
    assert_error(&r, &format!("{bad}:3: unknown family \"Z\""));
    assert!(r.out.is_empty());
    let r = run(&["--rules", &bad, "--check", "-t", "⼈"]);
    assert_eq!(r.status, EXIT_ERROR);
    let _ = std::fs::remove_dir_all(dir);
}

/// A writer that fails with `kind` after `ok` bytes.
struct FailingOut {
    ok: usize,
    kind: std::io::ErrorKind,
    written: Vec<u8>,
}

impl Write for FailingOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.written.len() >= self.ok {
            return Err(self.kind.into());
        }
        let n = buf.len().min(self.ok - self.written.len());
        self.written.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn output_that_fails() {
    let input = "经研究决定,同意。\n".repeat(1000);
    for (kind, quiet) in [
        (std::io::ErrorKind::BrokenPipe, true),
        (std::io::ErrorKind::StorageFull, false),
    ] {
        for mode in [&[][..], &["--explain"]] {
            let mut out = FailingOut {
                ok: 100,
                kind,
                written: Vec::new(),
            };
            let mut err = Vec::new();
            let args: Vec<OsString> = mode.iter().map(OsString::from).collect();
            let status = cli_main::run(args, &mut input.as_bytes(), &mut out, &mut err);
            let err = String::from_utf8(err).unwrap();
            if quiet {
                // A closed pipe: stop quietly, status so far.
                assert_eq!((status, err.as_str()), (EXIT_OK, ""), "{mode:?}");
            } else {
                assert_eq!(status, EXIT_ERROR, "{mode:?}");
                assert!(err.starts_with("zhfix: cannot write the output: "), "{err}");
                assert_eq!(err.lines().count(), 1, "{err}");
            }
        }
    }
}

#[test]
fn process_pipe_to_head_and_closed_stdout() {
    let dir = scratch("head");
    let big = write_file(
        &dir,
        "big.txt",
        "经研究决定,同意。\n".repeat(500_000).as_bytes(),
    );
    let bin = binary().to_str().unwrap().to_owned();
    // `zhfix big.txt | head -1`, as a shell runs it: zhfix's own status and
    // stderr are kept aside.
    let script = format!(
        "{{ '{bin}' '{big}' 2>'{d}/err'; echo $? >'{d}/status'; }} | head -1; \
         {{ '{bin}' --explain '{big}' 2>>'{d}/err'; echo $? >>'{d}/status'; }} | head -1 >/dev/null; \
         '{bin}' -t '同志们:' >&-; echo $? >>'{d}/status'",
        d = dir.display()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("sh");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "经研究决定，同意。\n");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    assert_eq!(read("err"), "", "zhfix wrote to stderr");
    assert_eq!(read("status"), "0\n0\n0\n");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn errors_are_one_line_whatever_the_names() {
    // Found by fuzz/cli: an option named `-` + line break printed a
    // two-line error. Control characters in names are escaped.
    let r = run(&["-\n"]);
    assert_error(&r, "unknown option -\\n (see zhfix --help)");
    let r = run(&["/nonexistent/a\nb.txt"]);
    assert_error(&r, "/nonexistent/a\\nb.txt: no such file");
    let r = run(&["--rules", "/nonexistent/r\r.tsv", "-t", "x"]);
    assert_error(&r, "/nonexistent/r\\r.tsv: no such file");
}
