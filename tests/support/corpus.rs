//! The clean reference corpus, `../shared/corpus/clean` (outside this
//! repository; absent in a fresh clone).

use std::path::{Path, PathBuf};

/// Checks that `file` (relative to the repository) holds `generated`, what
/// the ignored test `test` of the integration binary derives from the
/// corpus; with `ZHFIX_BLESS` set, writes it instead.
pub fn bless_or_check(file: &str, generated: &str, test: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    if std::env::var_os("ZHFIX_BLESS").is_some() {
        std::fs::write(&path, generated).expect("writable data file");
        return;
    }
    let committed = std::fs::read_to_string(&path).expect("the data file exists");
    assert!(
        committed == generated,
        "{file} is stale: regenerate it with \
         ZHFIX_BLESS=1 cargo test --release --test integration {test} -- --ignored"
    );
}

/// The corpus directory.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/clean")
}

/// The corpus files, (file name, text), sorted by name; `None` (with a
/// note printed, naming `what` is skipped) where the corpus is absent.
pub fn files(what: &str) -> Option<Vec<(String, String)>> {
    let dir = dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("note: {} is absent; {what} skipped", dir.display());
        return None;
    };
    let mut paths: Vec<_> = entries
        .map(|e| e.expect("readable dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    Some(
        paths
            .iter()
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(p).expect("UTF-8 corpus file"))
            })
            .collect(),
    )
}
