//! The binary's allocator, mimalloc, and the one setting `serve` changes.
//!
//! mimalloc (v3, the crate's default) gives freed memory back to the OS a
//! second after it is freed. A `serve` rebuild frees most of what it
//! allocated, and the next one, seconds later, takes it back from the kernel as fresh pages that must be zeroed
//! first: in a profile of `serve` at 1k that zeroing (`clear_page_erms`) was
//! 19% of all samples. [`keep_freed_memory`] turns the giving back off, so
//! the process stays at its peak and a rebuild reuses pages it already has.
//!
//! mimalloc also asks the kernel for transparent huge pages (`madvise`),
//! so the first touch of any of its regions zeroes 2 MiB at once. A
//! rebuild touches much of a 700 MB heap once and sparsely: in a profile of
//! a one-guide rebuild at 10,000 guides, zeroing huge pages
//! (`clear_page_erms` under `do_huge_pmd_anonymous_page`) was 37% of all
//! samples. [`no_huge_pages`] turns them off for the process, first thing.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (milliseconds;
/// -1 never purges). The crate's Rust bindings for options need a feature
/// whose dependency is not vendored here, so the two functions are declared
/// below; the test pins the index by its default (1,000 ms in v3's
/// `options.c`).
const PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Never hand freed memory back to the OS (for a long-running `serve`).
pub fn keep_freed_memory() {
    // SAFETY: mimalloc's option setters are thread-safe and take any value;
    // `PURGE_DELAY` is the index of an existing option (see the test).
    unsafe { mi_option_set(PURGE_DELAY, -1) };
}

/// No transparent huge pages for this process (Linux; elsewhere nothing).
/// The kernel checks the flag at every fault, so memory mimalloc reserved
/// before this ran is covered too.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes a flag and zeroes; it only sets a
    // bit on this process's memory map. Failure (an old kernel) leaves
    // huge pages on, which is merely slower.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Whether this process may get transparent huge pages (Linux).
#[cfg(all(test, target_os = "linux"))]
fn huge_pages_disabled() -> bool {
    // SAFETY: PR_GET_THP_DISABLE only reads the flag.
    unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1 }
}

/// The purge delay in force, in milliseconds.
#[cfg(test)]
fn purge_delay() -> std::ffi::c_long {
    // SAFETY: reading an option by a valid index has no precondition.
    unsafe { mi_option_get(PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index is right: the option it names has the purge delay's
    /// default (1,000 ms), and setting it takes effect.
    #[test]
    fn the_purge_delay_is_the_option_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge_delay(), 1000);
        }
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_are_turned_off() {
        no_huge_pages();
        assert!(huge_pages_disabled());
    }
}
