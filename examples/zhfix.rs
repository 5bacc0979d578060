//! zhfix: repairs garbled Chinese text read from files or stdin.
//!
//! Usage: `zhfix [FILE]...` (reads stdin when no file is given).

use std::io::{self, Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut inputs = Vec::new();
    if files.is_empty() {
        let mut buf = Vec::new();
        if let Err(e) = io::stdin().read_to_end(&mut buf) {
            eprintln!("zhfix: cannot read stdin: {e}");
            return ExitCode::from(2);
        }
        inputs.push(("<stdin>".to_owned(), buf));
    } else {
        for f in files {
            match std::fs::read(&f) {
                Ok(b) => inputs.push((f, b)),
                Err(e) => {
                    eprintln!("zhfix: {f}: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    let mut out = io::stdout().lock();
    for (name, bytes) in inputs {
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "zhfix: {name}: invalid UTF-8 at byte {}",
                    e.utf8_error().valid_up_to()
                );
                return ExitCode::from(2);
            }
        };
        if out.write_all(zhfix::clean(&text).as_bytes()).is_err() {
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}
