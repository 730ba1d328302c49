//! The hasher of the evaluator's indexes and the world's id table.
//!
//! Keys there are mostly small integers (interned ids, row numbers, dates),
//! and the standard library's SipHash cost more than the joins themselves;
//! integers are mixed with the multiply-rotate scheme of rustc's FxHash.
//! Text (ids, cities, names) comes from scenario files, which may come from
//! an untrusted pull request: a fixed fast hash would let such a file choose
//! thousands of colliding ids and make every table look-up linear. So text
//! goes through SipHash with keys drawn per process (`RandomState`), as in a
//! standard `HashMap`. The maps using this hasher are never iterated where
//! order could reach output.

use std::collections::HashMap;
use std::collections::hash_map::{DefaultHasher, RandomState};
use std::hash::{BuildHasher, Hasher};

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, FastState>;

/// Builds [`FastHasher`]s; each map gets its own random keys for text.
#[derive(Debug, Clone, Default)]
pub struct FastState {
    text_keys: RandomState,
}

impl BuildHasher for FastState {
    type Hasher = FastHasher;

    #[inline]
    fn build_hasher(&self) -> FastHasher {
        FastHasher {
            hash: 0,
            text: self.text_keys.build_hasher(),
            has_text: false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct FastHasher {
    hash: u64,
    /// Keyed SipHash for the bytes of text.
    text: DefaultHasher,
    has_text: bool,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.text.write(bytes);
        self.has_text = true;
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        if self.has_text {
            (self.hash.rotate_left(5) ^ self.text.finish()).wrapping_mul(SEED)
        } else {
            self.hash
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_hash_alike_and_close_ones_apart() {
        let build = FastState::default();
        assert_eq!(build.hash_one("AAA"), build.hash_one("AAA"));
        assert_ne!(build.hash_one("AAA"), build.hash_one("AAB"));
        assert_ne!(build.hash_one((1u32, 2u32)), build.hash_one((2u32, 1u32)));
        // A string and the same string with a trailing NUL differ (str hashing adds a terminator).
        assert_ne!(build.hash_one("AB"), build.hash_one("AB\0"));
    }

    #[test]
    fn text_hashes_depend_on_keys_drawn_at_run_time() {
        // Two maps' hashers disagree on text (so a file cannot choose
        // colliding ids in advance), and agree with themselves.
        let (a, b) = (FastState::default(), FastState::default());
        assert_eq!(a.hash_one("KAZ"), a.hash_one("KAZ"));
        assert_ne!(a.hash_one("KAZ"), b.hash_one("KAZ"));
    }
}
