//! How the allocator keeps memory: the binary's choice, not the library's.

/// Gives the pages freed since the last call back to the system, all
/// arenas at once. A long run calls it between batches of files: each
/// batch frees its articles' structures on every worker, and those pages,
/// kept for the ten seconds jemalloc keeps them by default, were an eighth
/// of the run's peak memory. Given back as they were freed (a decay of
/// zero) they cost a system call each and, on several cores, a TLB
/// shootdown: a tenth of the 221 MB bench run, for 2.7 MiB less at the
/// peak than this. A short run (an editor's file) never calls it. A failure
/// leaves the pages to jemalloc's own decay.
pub fn give_back_freed_pages() {
    #[cfg(not(target_env = "msvc"))]
    {
        // 4096 is jemalloc's MALLCTL_ARENAS_ALL: every arena.
        // SAFETY: the name is NUL-terminated, and this control takes and
        // gives no value.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                c"arena.4096.purge".as_ptr(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
}
