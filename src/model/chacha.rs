//! ChaCha8 one block at a time: the words of `rand_chacha::ChaCha8Rng`, in a quarter of its
//! memory.
//!
//! `ChaCha8Rng` computes four 64-byte blocks at once (fast per byte) and keeps them in a
//! 256-byte buffer, 304 bytes per generator in all. A run holds about twenty streams and a
//! World 128 runs, so the buffers alone come to about 800 KB a World, most of the size of a
//! core's L2 cache, while a stream is drawn from only every few ticks: a draw then waits on a
//! cache line that the rest of the tick's work has pushed out. [`ChaCha8`] keeps one block
//! (64 bytes, aligned to a cache line, the position of the next word stored in the block's
//! first word once that word is used) and the key, counter and stream number in a second line
//! read only when the block is used up. It is the same cipher on the same key, counter and
//! stream number, so it yields the same words in the same order as `ChaCha8Rng` (and so the
//! same `u64`s, floats and samples of any distribution): the tests compare the two word for
//! word.

use rand::{SeedableRng, TryRng};
use rand_chacha::ChaCha8Rng;
use std::convert::Infallible;

/// Words per ChaCha block.
const BLOCK: usize = 16;

/// "expand 32-byte k", the ChaCha constants.
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// A ChaCha8 keystream with a 64-bit block counter and a 64-bit stream number, yielding the
/// same words as `ChaCha8Rng` seeded with the same key and set to the same stream.
#[derive(Clone, PartialEq, Eq)]
#[repr(C, align(64))]
pub struct ChaCha8 {
    /// The current block. Once its first word is used, `block[0]` holds the position of the
    /// next unused word (1 to 16; 16 means the block is used up).
    block: [u32; BLOCK],
    /// The key: the cipher's words 4 to 11.
    key: [u32; 8],
    /// The counter of the next block to compute.
    counter: u64,
    /// The stream number: the cipher's words 14 and 15.
    stream: u64,
}

impl std::fmt::Debug for ChaCha8 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // As `ChaCha8Rng`'s, the key is not shown.
        f.debug_struct("ChaCha8")
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl ChaCha8 {
    /// The stream `stream` of the key `ChaCha8Rng::seed_from_u64(seed)` expands `seed` to.
    pub fn new(seed: u64, stream: u64) -> ChaCha8 {
        let bytes = ChaCha8Rng::seed_from_u64(seed).get_seed();
        let mut key = [0u32; 8];
        for (word, chunk) in key.iter_mut().zip(bytes.chunks_exact(4)) {
            *word = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        let mut block = [0u32; BLOCK];
        block[0] = BLOCK as u32;
        ChaCha8 {
            block,
            key,
            counter: 0,
            stream,
        }
    }

    /// Computes the next block into `self.block`.
    #[inline(never)]
    fn refill(&mut self) {
        self.block = chacha8_block(&self.key, self.counter, self.stream);
        self.counter = self.counter.wrapping_add(1);
    }

    /// The next word of the keystream.
    #[inline]
    pub fn next_word(&mut self) -> u32 {
        let at = self.block[0] as usize;
        if at < BLOCK {
            self.block[0] = at as u32 + 1;
            self.block[at]
        } else {
            self.refill();
            let word = self.block[0];
            self.block[0] = 1;
            word
        }
    }

    /// The next two words, the first in the low half (as `ChaCha8Rng::next_u64`).
    #[inline]
    pub fn next_pair(&mut self) -> u64 {
        let at = self.block[0] as usize;
        if at < BLOCK - 1 {
            self.block[0] = at as u32 + 2;
            u64::from(self.block[at]) | (u64::from(self.block[at + 1]) << 32)
        } else {
            self.next_pair_across()
        }
    }

    /// `next_pair` when the block has fewer than two words left.
    #[inline(never)]
    fn next_pair_across(&mut self) -> u64 {
        let lo = self.next_word();
        let hi = self.next_word();
        u64::from(lo) | (u64::from(hi) << 32)
    }
}

impl TryRng for ChaCha8 {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next_word())
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_pair())
    }

    fn try_fill_bytes(&mut self, bytes: &mut [u8]) -> Result<(), Infallible> {
        // Whole words, the last one cut short, as `ChaCha8Rng` (it too drops the unused bytes
        // of a last partial word).
        for chunk in bytes.chunks_mut(4) {
            let word = self.next_word().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        Ok(())
    }
}

/// One ChaCha quarter round on the words `a`, `b`, `c`, `d` of `x`.
#[inline(always)]
fn quarter_round(x: &mut [u32; BLOCK], a: usize, b: usize, c: usize, d: usize) {
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(16);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(12);
    x[a] = x[a].wrapping_add(x[b]);
    x[d] = (x[d] ^ x[a]).rotate_left(8);
    x[c] = x[c].wrapping_add(x[d]);
    x[b] = (x[b] ^ x[c]).rotate_left(7);
}

/// The ChaCha8 block (four double rounds) for `key`, block `counter` and `stream`, in the
/// layout of Bernstein's original: constants, key, 64-bit counter, 64-bit stream number.
pub fn chacha8_block(key: &[u32; 8], counter: u64, stream: u64) -> [u32; BLOCK] {
    let mut input = [0u32; BLOCK];
    input[..4].copy_from_slice(&SIGMA);
    input[4..12].copy_from_slice(key);
    input[12] = counter as u32;
    input[13] = (counter >> 32) as u32;
    input[14] = stream as u32;
    input[15] = (stream >> 32) as u32;
    let mut x = input;
    for _ in 0..4 {
        quarter_round(&mut x, 0, 4, 8, 12);
        quarter_round(&mut x, 1, 5, 9, 13);
        quarter_round(&mut x, 2, 6, 10, 14);
        quarter_round(&mut x, 3, 7, 11, 15);
        quarter_round(&mut x, 0, 5, 10, 15);
        quarter_round(&mut x, 1, 6, 11, 12);
        quarter_round(&mut x, 2, 7, 8, 13);
        quarter_round(&mut x, 3, 4, 9, 14);
    }
    for (out, i) in x.iter_mut().zip(input) {
        *out = out.wrapping_add(i);
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, RngExt};
    use rand_distr::{Distribution, Exp1, StandardNormal};

    fn reference(seed: u64, stream: u64) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        rng
    }

    #[test]
    fn a_generator_holds_one_block_in_one_cache_line_and_its_key_in_another() {
        assert_eq!(std::mem::size_of::<ChaCha8>(), 128);
        assert_eq!(std::mem::align_of::<ChaCha8>(), 64);
    }

    #[test]
    fn the_block_function_gives_the_published_chacha8_keystream() {
        // ChaCha8 with an all-zero key, counter and nonce: the first 32 bytes of the
        // keystream in the test vectors of draft-strombergson-chacha-test-vectors (TC1, 8
        // rounds).
        let block = chacha8_block(&[0; 8], 0, 0);
        let bytes: Vec<u8> = block.iter().flat_map(|w| w.to_le_bytes()).collect();
        let expected: [u8; 32] = [
            0x3e, 0x00, 0xef, 0x2f, 0x89, 0x5f, 0x40, 0xd6, 0x7f, 0x5b, 0xb8, 0xe8, 0x1f, 0x09,
            0xa5, 0xa1, 0x2c, 0x84, 0x0e, 0xc3, 0xce, 0x9a, 0x7f, 0x3b, 0x18, 0x1b, 0xe1, 0x88,
            0xef, 0x71, 0x1a, 0x1e,
        ];
        assert_eq!(&bytes[..32], &expected);
    }

    #[test]
    fn words_equal_chacha8rng_across_many_blocks_seeds_and_streams() {
        for seed in [0, 1, 42, u64::MAX, 0x9E37_79B9_7F4A_7C15] {
            for stream in [0, 1, 7 << 32, u64::MAX, u64::MAX - 1] {
                let mut ours = ChaCha8::new(seed, stream);
                let mut theirs = reference(seed, stream);
                for i in 0..200 {
                    assert_eq!(ours.next_u32(), theirs.next_u32(), "{seed} {stream} {i}");
                }
            }
        }
    }

    #[test]
    fn pairs_and_single_words_interleave_as_in_chacha8rng() {
        // Odd numbers of single words put pairs across the blocks' (and the reference's
        // buffers') ends; the pattern repeats with a period prime to 16.
        let mut ours = ChaCha8::new(3, 5);
        let mut theirs = reference(3, 5);
        for i in 0..3_000 {
            if i % 7 == 0 || i % 11 == 0 {
                assert_eq!(ours.next_u32(), theirs.next_u32(), "word {i}");
            } else {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "pair {i}");
            }
        }
        let mut a = [0u8; 37];
        let mut b = [0u8; 37];
        ours.fill_bytes(&mut a);
        theirs.fill_bytes(&mut b);
        assert_eq!(a, b);
        assert_eq!(ours.next_u64(), theirs.next_u64());
    }

    #[test]
    fn floats_and_samples_equal_those_of_chacha8rng() {
        let mut ours = ChaCha8::new(11, 2);
        let mut theirs = reference(11, 2);
        for _ in 0..1_000 {
            assert_eq!(
                ours.random::<f64>().to_bits(),
                theirs.random::<f64>().to_bits()
            );
            let (x, y): (f64, f64) = (Exp1.sample(&mut ours), Exp1.sample(&mut theirs));
            assert_eq!(x.to_bits(), y.to_bits());
            let (x, y): (f64, f64) = (
                StandardNormal.sample(&mut ours),
                StandardNormal.sample(&mut theirs),
            );
            assert_eq!(x.to_bits(), y.to_bits());
            assert_eq!(ours.random_range(0..17u32), theirs.random_range(0..17u32));
        }
    }

    #[test]
    fn a_clone_continues_from_the_same_place() {
        let mut a = ChaCha8::new(9, 1);
        for _ in 0..13 {
            a.next_u32();
        }
        let mut b = a.clone();
        assert_eq!(a, b);
        let xs: Vec<u64> = (0..40).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..40).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
    }
}
