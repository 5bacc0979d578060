//! The example program's argument parser and driver (`examples/zhfix.rs`,
//! `run`), on arbitrary arguments and standard input.
//!
//! Input layout: NUL-separated fields; every field but the last is an
//! argument (any bytes, so arguments that are not UTF-8 are tried too), the
//! last is standard input. An argument that would name a file is dropped
//! (a file name may be `/dev/zero`), and so are `--`, which makes the
//! arguments after it file names, and `--rules`, whose value is a file (the
//! `rules` target fuzzes rule texts).
//!
//! Asserted: the exit status is 0, 1 or 2; stderr is empty unless the
//! status is 2, and then every line of it starts with `zhfix: `; in repair
//! mode, standard output is exactly the repaired text of each input that
//! could be read, in order, and nothing of one that could not.
#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../examples/zhfix.rs"]
mod cli_main;

use cli_main::{Input, Mode};

fuzz_target!(|data: &[u8]| {
    let mut fields: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let stdin = fields.pop().unwrap_or_default();
    let mut args: Vec<OsString> = Vec::new();
    let mut value_next = false;
    for f in fields {
        let keep =
            value_next || (f.first() == Some(&b'-') && f != b"--" && !f.starts_with(b"--rules"));
        value_next = keep && !value_next && (f == b"-t" || f == b"--text");
        if keep {
            args.push(OsString::from_vec(f.to_vec()));
        }
    }

    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = cli_main::run(args.clone(), &mut &stdin[..], &mut out, &mut err);
    let err = String::from_utf8(err).expect("stderr is UTF-8");
    assert!(status <= 2, "status {status}");
    if status == cli_main::EXIT_ERROR {
        assert!(!err.is_empty(), "status 2 without a message");
        assert!(err.lines().all(|l| l.starts_with("zhfix: ")), "{err:?}");
    } else {
        assert!(err.is_empty(), "status {status} with stderr {err:?}");
    }

    let Ok(opts) = cli_main::parse_args(args) else {
        assert_eq!(status, cli_main::EXIT_ERROR);
        assert!(out.is_empty(), "output after a usage error");
        return;
    };
    if opts.help || opts.mode != Mode::Repair {
        return;
    }
    let fixer = opts.builder.build().expect("options build");
    let inputs = if opts.inputs.is_empty() {
        vec![Input::Stdin]
    } else {
        opts.inputs
    };
    let mut want = String::new();
    let mut stdin_left = Some(stdin);
    for input in &inputs {
        let text = match input {
            Input::Text(t) => t.clone(),
            Input::Stdin => match std::str::from_utf8(stdin_left.take().unwrap_or_default()) {
                Ok(t) => t.to_owned(),
                Err(_) => continue,
            },
            // Only an argument that starts with `-` but is not UTF-8 gets
            // here (the program takes it for a file name); no such file
            // exists in the fuzz directory.
            Input::File(_) => continue,
        };
        let fixed = fixer.clean(&text);
        want.push_str(&fixed);
        if matches!(input, Input::Text(_)) && !fixed.ends_with('\n') {
            want.push('\n');
        }
    }
    assert_eq!(String::from_utf8(out).expect("UTF-8 output"), want);
});
