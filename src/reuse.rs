//! Vectors kept between calls on a thread, so that repairing one short
//! text after another does not allocate them again. A layer that reuses
//! some keeps them in a thread-local cell, takes them when it starts and
//! leaves them there, emptied ([`emptied`]), when it ends.

/// Most elements a kept vector may hold room for (what a text of a few
/// pages fills): one that grew past it is dropped instead, so that a thread
/// keeps a few hundred kilobytes at most.
pub(crate) const MOST: usize = 4096;

/// `v` emptied, to be kept for the next call on the thread: an empty
/// vector without room when `v` held room for more than [`MOST`] elements.
pub(crate) fn emptied<T>(mut v: Vec<T>) -> Vec<T> {
    v.clear();
    if v.capacity() > MOST {
        v = Vec::new();
    }
    v
}

/// Of a vector to keep and the one kept before, the one with more room,
/// emptied: a call that handed its vectors on to another (and so holds
/// none) does not replace what that one kept.
pub(crate) fn roomier<T>(v: Vec<T>, before: Vec<T>) -> Vec<T> {
    let v = emptied(v);
    if v.capacity() >= before.capacity() {
        v
    } else {
        before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_vector_is_empty_and_not_large() {
        let mut v = Vec::with_capacity(10);
        v.extend([1, 2, 3]);
        let v = emptied(v);
        assert!(v.is_empty() && v.capacity() >= 10);
        let large: Vec<u8> = Vec::with_capacity(MOST + 1);
        assert_eq!(emptied(large).capacity(), 0);
        let kept = roomier(Vec::<u8>::new(), Vec::with_capacity(8));
        assert!(kept.capacity() >= 8);
        let kept = roomier(vec![1u8; 16], Vec::with_capacity(8));
        assert!(kept.is_empty() && kept.capacity() >= 16);
    }
}
