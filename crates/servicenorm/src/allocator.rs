//! The allocator: mimalloc, and how long it keeps memory it no longer uses.

/// The report and the batch command allocate many small strings; mimalloc
/// does that several times faster than the system allocator. It also
/// replaces malloc and free (the crate's `override` feature), so SQLite's
/// allocations, which took about a tenth of the writer's time in glibc's
/// allocator, go through it as well.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (mimalloc.h); the
/// sys crate names only some options. The test below checks it is that one.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for the rest of the run instead of giving it back to
/// the system after a second. A job that streams millions of events frees
/// and allocates all the time; given back, the same memory comes again as
/// new pages, each zeroed by the kernel first (2 MB at a time with huge
/// pages). For a report of 5 million events that halved the page faults and
/// took 5-10% off the time. For batch jobs only: a long-running service
/// should give memory back.
pub fn keep_freed_memory() {
    // SAFETY: mi_option_set only stores a number in mimalloc's option table
    // (atomically); any value is valid for this option, and -1 means "never".
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purge_delay() -> std::os::raw::c_long {
        // SAFETY: reads a number from mimalloc's option table.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_get(PURGE_DELAY)
        }
    }

    #[test]
    fn the_option_set_is_the_purge_delay() {
        // mimalloc 3 purges after 1,000 ms unless told otherwise; no other
        // option has that default, so this is the purge delay (the test
        // process does not set MIMALLOC_PURGE_DELAY).
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge_delay(), 1000);
        }
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
    }
}
