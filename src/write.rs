//! Writing a fixed article back to its file without losing anything: not
//! an edit someone made while kzlint ran, not a symlink, a hard link, the
//! file's owner or mode, and not the article when the process is killed
//! half-way (the text goes to a temporary file first, renamed over the
//! article only once it is whole).

use std::fs::{self, File, Metadata};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Temporary files kzlint writes beside an article: recognisable, so a
/// run can clean up what an interrupted one left.
const TEMP_PREFIX: &str = ".kzlint-";
const TEMP_SUFFIX: &str = ".tmp";

/// A temporary file older than this is left over from an interrupted run:
/// kzlint holds one for the time it takes to write one article.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// Test builds only: pause this many milliseconds between writing the
/// temporary file and the last check before the rename, so a test can
/// change the article in that window and see the change kept.
#[cfg(debug_assertions)]
const PAUSE_VAR: &str = "KZLINT_TEST_PAUSE_BEFORE_RENAME_MS";

/// Writes `text` over the article at `path`, which held `original` when it
/// was read. A symlink is followed to its file, unless that file lies
/// outside every folder in `roots` (the paths the run was given). The
/// file's mode and owner are kept; a file with several hard links is
/// written in place so the links stay one file. Nothing is written if the
/// file changed since it was read, even while this runs.
pub fn write_fixed(
    path: &Path,
    original: &[u8],
    text: &str,
    roots: &[PathBuf],
) -> Result<(), String> {
    let target = target_of(path, roots)?;
    // Opening a pipe would wait for a writer: look before opening.
    if !fs::metadata(&target).is_ok_and(|m| m.is_file()) {
        return Err("not a regular file (a pipe?): nothing to write back to; use --diff".into());
    }
    let file = File::open(&target).map_err(|e| e.to_string())?;
    // Other writers that lock (editors, another kzlint) wait for us.
    lock(&file);
    let before = file.metadata().map_err(|e| e.to_string())?;
    if before.permissions().readonly() {
        return Err("file is read-only; left unchanged".into());
    }
    ensure_unchanged(&target, original, &before)?;
    if links(&before) > 1 {
        return write_in_place(&target, original, &before, text);
    }
    let mut tmp =
        temporary_beside(&target).map_err(|e| format!("cannot create a temporary file: {e}"))?;
    tmp.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    tmp.as_file()
        .set_permissions(before.permissions())
        .map_err(|e| e.to_string())?;
    keep_owner(tmp.as_file(), &before)?;
    tmp.as_file().sync_all().map_err(|e| e.to_string())?;
    pause_for_tests();
    // The last look: an edit made while the temporary file was written
    // wins over the fix (the temporary file is removed when dropped).
    ensure_unchanged(&target, original, &before)?;
    tmp.persist(&target).map_err(|e| e.error.to_string())?;
    Ok(())
}

/// The file a path names: the path itself, or a symlink's target when that
/// lies inside the folders the run was given.
fn target_of(path: &Path, roots: &[PathBuf]) -> Result<PathBuf, String> {
    let link = fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    if !link.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    let target = fs::canonicalize(path).map_err(|e| e.to_string())?;
    let inside = roots.iter().any(|root| {
        fs::canonicalize(root).is_ok_and(|root| {
            // A file named directly is its own root: its target must stay
            // beside it.
            let root = if root.is_file() {
                root.parent().map(Path::to_path_buf).unwrap_or(root)
            } else {
                root
            };
            target.starts_with(root)
        })
    });
    if inside {
        Ok(target)
    } else {
        Err(format!(
            "a symlink to {}, outside the folders checked; left unchanged",
            target.display()
        ))
    }
}

/// Does the file still hold what was read, as the same file?
fn ensure_unchanged(path: &Path, original: &[u8], before: &Metadata) -> Result<(), String> {
    const CHANGED: &str = "changed on disk since it was read; left unchanged";
    let now = fs::read(path).map_err(|e| e.to_string())?;
    let meta = fs::metadata(path).map_err(|e| e.to_string())?;
    if now != original || !same_file(before, &meta) {
        return Err(CHANGED.into());
    }
    Ok(())
}

/// A file with several hard links is rewritten where it is: a rename would
/// make this name a new file and leave the other links with the old text.
fn write_in_place(
    path: &Path,
    original: &[u8],
    before: &Metadata,
    text: &str,
) -> Result<(), String> {
    pause_for_tests();
    ensure_unchanged(path, original, before)?;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .map_err(|e| e.to_string())?;
    file.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    file.sync_all().map_err(|e| e.to_string())
}

/// A temporary file in the folder of `path` (a rename stays on one file
/// system), named so a later run knows it as kzlint's (`.kzlint-*.tmp`).
fn temporary_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(folder_of(path))
}

/// The folder a path is in: `.` for a bare file name.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes the baseline atomically, keeping an existing file's mode; a new
/// one gets the mode the umask gives (a temporary file's 0600 would hide a
/// shared baseline from the rest of a team).
pub fn write_new(path: &Path, text: &str) -> Result<(), String> {
    let mut tmp = temporary_beside(path).map_err(|e| e.to_string())?;
    tmp.write_all(text.as_bytes()).map_err(|e| e.to_string())?;
    let mode = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => new_file_permissions(folder_of(path))?,
    };
    tmp.as_file()
        .set_permissions(mode)
        .map_err(|e| e.to_string())?;
    tmp.persist(path).map_err(|e| e.error.to_string())?;
    Ok(())
}

/// The permissions the umask gives a new file: those of a file created
/// the ordinary way, then removed.
fn new_file_permissions(dir: &Path) -> Result<std::fs::Permissions, String> {
    let probe = dir.join(format!(
        "{TEMP_PREFIX}mode-{}{TEMP_SUFFIX}",
        std::process::id()
    ));
    let file = std::fs::File::create(&probe).map_err(|e| e.to_string())?;
    let permissions = file.metadata().map_err(|e| e.to_string());
    drop(file);
    let _ = std::fs::remove_file(&probe);
    permissions.map(|m| m.permissions())
}

/// Removes temporary files that an interrupted kzlint left in `dir`, and
/// names them. Only kzlint's own, only old ones, only the user's.
pub fn remove_stale_temporaries(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let now = SystemTime::now();
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)
        })
        .filter(|e| {
            e.metadata().is_ok_and(|m| {
                m.is_file()
                    && owned_by_us(&m)
                    && m.modified()
                        .ok()
                        .and_then(|t| now.duration_since(t).ok())
                        .is_some_and(|age| age >= STALE_AFTER)
            })
        })
        .map(|e| e.path())
        .filter(|p| fs::remove_file(p).is_ok())
        .collect()
}

fn pause_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var(PAUSE_VAR)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

#[cfg(unix)]
mod platform {
    use std::fs::{File, Metadata};
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;

    /// An advisory lock, released when the file is closed. A file system
    /// without locks is written all the same: the checks still hold.
    pub fn lock(file: &File) {
        // SAFETY: flock only reads the descriptor, which `file` keeps open.
        unsafe {
            libc::flock(file.as_raw_fd(), libc::LOCK_EX);
        }
    }

    pub fn keep_owner(file: &File, before: &Metadata) -> Result<(), String> {
        let meta = file.metadata().map_err(|e| e.to_string())?;
        if meta.uid() == before.uid() && meta.gid() == before.gid() {
            return Ok(());
        }
        std::os::unix::fs::fchown(file, Some(before.uid()), Some(before.gid()))
            .map_err(|e| format!("cannot keep the file's owner ({e}); left unchanged"))
    }

    pub fn links(meta: &Metadata) -> u64 {
        meta.nlink()
    }

    pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
        a.dev() == b.dev() && a.ino() == b.ino()
    }

    pub fn owned_by_us(meta: &Metadata) -> bool {
        // SAFETY: geteuid has no preconditions.
        meta.uid() == unsafe { libc::geteuid() }
    }
}

#[cfg(not(unix))]
mod platform {
    use std::fs::{File, Metadata};

    pub fn lock(_file: &File) {}

    pub fn keep_owner(_file: &File, _before: &Metadata) -> Result<(), String> {
        Ok(())
    }

    pub fn links(_meta: &Metadata) -> u64 {
        1
    }

    pub fn same_file(a: &Metadata, b: &Metadata) -> bool {
        a.len() == b.len()
    }

    pub fn owned_by_us(_meta: &Metadata) -> bool {
        true
    }
}

use platform::{keep_owner, links, lock, owned_by_us, same_file};

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> Vec<PathBuf> {
        vec![dir.to_path_buf()]
    }

    fn make_old(path: &Path) {
        let old = SystemTime::now() - Duration::from_secs(3600);
        let file = File::options().write(true).open(path).unwrap();
        file.set_modified(old).unwrap();
    }

    #[test]
    fn an_edit_made_since_the_read_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        fs::write(&path, "edited by someone else\n").unwrap();
        let err =
            write_fixed(&path, b"as we read it\n", "our fix\n", &roots(dir.path())).unwrap_err();
        assert!(err.contains("changed on disk"));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "edited by someone else\n"
        );
        write_fixed(
            &path,
            b"edited by someone else\n",
            "our fix\n",
            &roots(dir.path()),
        )
        .unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "our fix\n");
        assert!(
            fs::read_dir(dir.path()).unwrap().count() == 1,
            "no temporary file is left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_hard_links_and_mode_survive() {
        use std::os::unix::fs::{symlink, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        fs::write(&real, "old\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.txt");
        symlink(&real, &link).unwrap();
        write_fixed(&link, b"old\n", "new\n", &roots(dir.path())).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new\n");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );

        let hard = dir.path().join("hard.txt");
        fs::hard_link(&real, &hard).unwrap();
        write_fixed(&hard, b"new\n", "newer\n", &roots(dir.path())).unwrap();
        assert_eq!(
            fs::read_to_string(&real).unwrap(),
            "newer\n",
            "one file, two names"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_checked_folders_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("elsewhere.txt");
        fs::write(&target, "old\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = write_fixed(&link, b"old\n", "new\n", &roots(dir.path())).unwrap_err();
        assert!(err.contains("outside the folders checked"), "{err}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old\n");
    }

    #[test]
    fn only_old_temporaries_of_kzlint_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".kzlint-abc123.tmp");
        let fresh = dir.path().join(".kzlint-def456.tmp");
        let other = dir.path().join(".tmpXYZ");
        for p in [&stale, &fresh, &other] {
            fs::write(p, "x").unwrap();
        }
        for p in [&stale, &other] {
            make_old(p);
        }
        assert_eq!(remove_stale_temporaries(dir.path()), vec![stale.clone()]);
        assert!(!stale.exists() && fresh.exists() && other.exists());
    }
}
