//! Data compiled into the binary (`include_bytes!`) that is parsed once into its own
//! lookup structures: the tagger models.
//!
//! After parsing, the bytes are never read again, yet their pages stay in the process's
//! resident set (2.5 MB, a tenth of what a memory-bounded build needs).
//! [`release_parsed`] gives them back to the kernel.

/// Tells the kernel that the process no longer needs the pages of `bytes`, data embedded
/// in the binary that has been parsed. Only whole pages inside `bytes` are released.
/// Reading `bytes` afterwards is still correct: the pages are read again from the
/// executable file, as on first use. A no-op off Linux.
pub(crate) fn release_parsed(bytes: &'static [u8]) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        let Ok(page) = usize::try_from(page) else {
            return;
        };
        if page == 0 {
            return;
        }
        let start = (bytes.as_ptr() as usize).div_ceil(page) * page;
        let end = (bytes.as_ptr() as usize + bytes.len()) / page * page;
        if end > start {
            // SAFETY: [start, end) is made of whole pages inside `bytes`, a `&'static`
            // slice of the executable's read-only data: a private file mapping that is
            // never written, so MADV_DONTNEED only drops clean pages, which the next read
            // (if any) faults in again from the file with the same contents. No Rust
            // object other than `bytes` lives there. A failure leaves the pages resident.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}

#[cfg(test)]
mod tests {
    use super::*;

    static DATA: [u8; 3 * 65536] = {
        let mut d = [0u8; 3 * 65536];
        let mut i = 0;
        while i < d.len() {
            d[i] = (i % 251) as u8;
            i += 1;
        }
        d
    };

    #[test]
    fn released_data_reads_back_the_same() {
        let sum = |b: &[u8]| b.iter().map(|&x| u64::from(x)).sum::<u64>();
        let before = sum(&DATA);
        release_parsed(&DATA);
        release_parsed(&DATA[1..10]); // less than a page: nothing to release
        release_parsed(&[]);
        assert_eq!(sum(&DATA), before);
        assert!(DATA.iter().enumerate().all(|(i, &x)| x == (i % 251) as u8));
    }
}
