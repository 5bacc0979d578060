//! The clean reference corpus, `../shared/corpus/clean` (outside this
//! repository; absent in a fresh clone).

use std::path::{Path, PathBuf};

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
