//! How the allocator keeps memory: the binary's choice, not the library's.

/// From now on, pages freed go back to the system at once, not after the
/// ten seconds jemalloc keeps them by default. A long run frees each
/// article's structures on every worker, and those pages, kept, were an
/// eighth of its peak memory; a short run (an editor's file) frees mostly
/// what compiling its regexes took, which it would fault in again, so it
/// keeps the default. A failure leaves the default: slower to give back.
pub fn return_freed_pages_at_once() {
    #[cfg(not(target_env = "msvc"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // Arenas made later, then each there is.
            set_decay("arenas");
            for arena in 0..arena_count() {
                set_decay(&format!("arena.{arena}"));
            }
        });
    }
}

#[cfg(not(target_env = "msvc"))]
fn set_decay(prefix: &str) {
    for kind in ["dirty", "muzzy"] {
        let name = format!("{prefix}.{kind}_decay_ms\0");
        // An ssize_t.
        let mut at_once: isize = 0;
        // SAFETY: `name` is NUL-terminated, and this control takes an
        // ssize_t by pointer and size; no old value is asked for.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                (&raw mut at_once).cast(),
                std::mem::size_of::<isize>(),
            );
        }
    }
}

#[cfg(not(target_env = "msvc"))]
fn arena_count() -> u32 {
    // An unsigned.
    let mut count: u32 = 0;
    let mut len = std::mem::size_of::<u32>();
    // SAFETY: the name is NUL-terminated, and this control writes one
    // unsigned into `count`, of the size `len` gives.
    let failed = unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arenas.narenas".as_ptr(),
            (&raw mut count).cast(),
            &raw mut len,
            std::ptr::null_mut(),
            0,
        )
    };
    if failed == 0 {
        count
    } else {
        0
    }
}
