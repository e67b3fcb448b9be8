//! Turns command-line paths into the files to check, in path order.

use std::path::{Path, PathBuf};

use kzlint::source::normalize_path;

/// The files under `paths`, in the order [`collect`] sorts them, found one
/// at a time: a walk of a million files does not hold a million paths.
/// Each folder's entries are visited sorted by name, so a depth-first walk
/// yields paths in sorted order. An `Err` is a path that could not be
/// walked. Files named directly come once, even if a folder holds them too.
/// Files and folders a walk skips: globs matched against the path relative
/// to `root` and against each entry's own name (so `drafts` skips every
/// folder of that name, `wire/**/*.txt` a subtree's files).
#[derive(Debug, Clone, Default)]
pub struct Exclude {
    root: PathBuf,
    cwd: PathBuf,
    globs: globset::GlobSet,
}

impl Exclude {
    pub fn new(root: &Path, patterns: &[String]) -> Result<Exclude, String> {
        let mut builder = globset::GlobSetBuilder::new();
        for p in patterns {
            let glob = globset::GlobBuilder::new(p)
                .literal_separator(true)
                .build()
                .map_err(|e| format!("exclude pattern `{p}`: {e}"))?;
            builder.add(glob);
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        Ok(Exclude {
            root: normalize_path(&cwd.join(root)),
            cwd,
            globs: builder.build().map_err(|e| e.to_string())?,
        })
    }

    fn skips(&self, path: &Path) -> bool {
        if self.globs.is_empty() {
            return false;
        }
        let name_matches = path.file_name().is_some_and(|n| self.globs.is_match(n));
        let absolute = normalize_path(&self.cwd.join(path));
        name_matches
            || absolute
                .strip_prefix(&self.root)
                .is_ok_and(|rel| self.globs.is_match(rel))
    }
}

pub fn stream(
    paths: &[PathBuf],
    extensions: &[String],
    exclude: &Exclude,
) -> impl Iterator<Item = Result<PathBuf, String>> {
    let mut roots = paths.to_vec();
    roots.sort();
    roots.dedup();
    let mut errors = Vec::new();
    let (mut named, mut dirs) = (Vec::new(), Vec::<(PathBuf, PathBuf)>::new());
    // The same file or folder under two spellings (`dir` and `./dir`, a
    // symlink to it) is one: compared by where it really is.
    let mut seen_files = std::collections::HashSet::new();
    for root in roots {
        let real = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        match std::fs::metadata(&root) {
            Err(e) => errors.push(Err(format!("{}: {e}", root.display()))),
            // A FIFO or a process substitution (`<(zstdcat x)`) is read
            // once, as a stream.
            Ok(meta) if meta.is_file() || is_stream(&meta) => {
                if seen_files.insert(real) {
                    named.push(root);
                }
            }
            Ok(meta) if !meta.is_dir() => errors.push(Err(format!(
                "{}: a device or socket, not a file or folder; skipped",
                root.display()
            ))),
            // A folder inside one already listed is walked with it.
            Ok(_) if dirs.iter().any(|(_, d)| real.starts_with(d)) => {}
            Ok(_) => {
                // One listed inside this one is walked with this one.
                dirs.retain(|(_, d)| !d.starts_with(&real));
                dirs.push((root, real));
            }
        }
    }
    let dirs: Vec<PathBuf> = dirs.into_iter().map(|(root, _)| root).collect();
    let extensions = extensions.to_vec();
    // Files named directly, by where they really are: a walk that meets
    // one under another spelling leaves it to its place among the named.
    let skip = seen_files;
    // Sorted folders that do not nest walk to one sorted sequence.
    let exclude = exclude.clone();
    let walked = dirs.into_iter().flat_map(move |root| {
        let extensions = extensions.clone();
        let skip = skip.clone();
        let exclude = exclude.clone();
        ignore::WalkBuilder::new(&root)
            .require_git(false)
            // The folder named on the command line is walked even if it
            // matches; what is inside it is not.
            .filter_entry(move |entry| entry.depth() == 0 || !exclude.skips(entry.path()))
            // Entries of one folder differ only after their common folder
            // prefix, so comparing whole paths as bytes orders them by name,
            // without cutting each name out of its path at every comparison
            // (as `Path` ordering and `sort_by_file_name` do).
            .sort_by_file_path(|a, b| a.as_os_str().cmp(b.as_os_str()))
            .build()
            .filter_map(move |entry| match entry {
                Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                    (has_extension(entry.path(), &extensions)
                        && (skip.is_empty() || !is_among(entry.path(), &skip)))
                    .then(|| Ok(entry.into_path()))
                }
                Ok(_) => None,
                Err(e) => Some(Err(e.to_string())),
            })
    });
    // Files named directly join the walk at their place in the order.
    let mut named = named.into_iter().peekable();
    let mut walked = walked.peekable();
    let merged = std::iter::from_fn(move || match (named.peek(), walked.peek()) {
        (Some(n), Some(Ok(w))) if n > w => walked.next(),
        (Some(_), _) => named.next().map(Ok),
        (None, _) => walked.next(),
    });
    errors.into_iter().chain(merged)
}

/// Files to check, sorted and without repeats, and one message per path
/// that could not be walked: what [`stream`] must yield, in its order.
/// Folders are walked with .gitignore and .ignore respected (in or out of
/// a git repository) and hidden entries skipped; a file named directly is
/// always checked.
#[cfg(test)]
fn collect(paths: &[PathBuf], extensions: &[String]) -> (Vec<PathBuf>, Vec<String>) {
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

/// A pipe named on the command line: readable once, as a stream.
pub fn is_stream(meta: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        meta.file_type().is_fifo()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        false
    }
}

fn is_among(path: &Path, files: &std::collections::HashSet<PathBuf>) -> bool {
    std::fs::canonicalize(path).is_ok_and(|real| files.contains(&real))
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        extensions
            .iter()
            .any(|x| x.trim_start_matches('.').eq_ignore_ascii_case(e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_yields_what_collect_sorts_in_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "b/z.txt",
            "b/a.md",
            "a.txt",
            "a/x.txt",
            "a/x/y.txt",
            "a-b/c.txt",
            "A/q.txt",
            "b/skip.json",
            "b/.hidden.txt",
            "é/ü.txt",
            "a/x/ignored.txt",
        ] {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x").unwrap();
        }
        std::fs::write(root.join("a/.ignore"), "x/ignored.txt\n").unwrap();
        let ext = ["txt".to_string(), "md".to_string()];
        let roots = [
            root.join("b"),
            root.to_path_buf(),
            root.join("a.txt"),
            root.join("gone"),
        ];
        let (expected, errors) = collect(&roots, &ext);
        let (streamed, stream_errors): (Vec<_>, Vec<_>) =
            stream(&roots, &ext, &Exclude::default()).partition(Result::is_ok);
        let streamed: Vec<PathBuf> = streamed.into_iter().map(Result::unwrap).collect();
        assert_eq!(streamed, expected);
        assert_eq!(expected.len(), 8, "{expected:?}");
        assert_eq!(stream_errors.len(), errors.len());
    }
}
