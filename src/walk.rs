//! Turns command-line paths into the sorted list of files to check.

use std::path::{Path, PathBuf};

/// Files to check, sorted and without repeats, and one message per path
/// that could not be walked. Folders are walked with .gitignore and
/// .ignore respected (in or out of a git repository) and hidden entries
/// skipped; a file named directly is always checked.
pub fn collect(paths: &[PathBuf], extensions: &[String]) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        match std::fs::metadata(root) {
            Err(e) => errors.push(format!("{}: {e}", root.display())),
            Ok(meta) if meta.is_file() => files.push(root.clone()),
            Ok(_) => {
                let walker = ignore::WalkBuilder::new(root).require_git(false).build();
                for entry in walker {
                    match entry {
                        Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                            if has_extension(entry.path(), extensions) {
                                files.push(entry.into_path());
                            }
                        }
                        Ok(_) => {}
                        Err(e) => errors.push(e.to_string()),
                    }
                }
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        extensions
            .iter()
            .any(|x| x.trim_start_matches('.').eq_ignore_ascii_case(e))
    })
}
