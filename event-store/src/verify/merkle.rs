//! The Merkle root a checkpoint signs: RFC 6962's Merkle Tree Hash (Certificate
//! Transparency) over one leaf per stream head, computed as the leaves stream by, in
//! O(log n) memory. docs/hash-chain.md defines it for an outside party.

use sha2::{Digest, Sha256};

/// `SHA-256(0x00 || len(stream) || stream || version || len(hash) || hash)`: lengths and
/// the version as 8-byte big-endian integers, the stream name in UTF-8, the head hash as
/// its 64 lowercase hex characters.
pub fn leaf_hash(stream: &str, version: u64, hash: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update((stream.len() as u64).to_be_bytes());
    h.update(stream.as_bytes());
    h.update(version.to_be_bytes());
    h.update((hash.len() as u64).to_be_bytes());
    h.update(hash.as_bytes());
    h.finalize().into()
}

fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Leaves in, root out. The tree of n leaves splits at the largest power of two below n
/// (RFC 6962 2.1): full subtrees are merged as soon as they form, and what remains at the
/// end is folded from the right, so an odd leaf is never duplicated.
#[derive(Debug, Default)]
pub struct MerkleTree {
    /// Roots of full subtrees, largest first, with their leaf counts.
    stack: Vec<(u64, [u8; 32])>,
    leaves: u64,
}

impl MerkleTree {
    pub fn push(&mut self, leaf: [u8; 32]) {
        let mut node = (1u64, leaf);
        while let Some(&(size, left)) = self.stack.last() {
            if size != node.0 {
                break;
            }
            self.stack.pop();
            node = (size * 2, node_hash(&left, &node.1));
        }
        self.stack.push(node);
        self.leaves += 1;
    }

    pub fn leaves(&self) -> u64 {
        self.leaves
    }

    /// The root as lowercase hex; of no leaves, SHA-256 of nothing.
    pub fn root(&self) -> String {
        let mut nodes = self.stack.iter().rev().map(|(_, h)| *h);
        let Some(mut acc) = nodes.next() else {
            return hex::encode(Sha256::digest([]));
        };
        for left in nodes {
            acc = node_hash(&left, &acc);
        }
        hex::encode(acc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6962's definition, recursively, to hold the streaming one against.
    fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
        match leaves.len() {
            0 => Sha256::digest([]).into(),
            1 => leaves[0],
            n => {
                let mut k = 1;
                while k * 2 < n {
                    k *= 2;
                }
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    /// Computed outside this code by `python3 ops/hash-chain.py known-answers`: heads
    /// `zaak-{i}` at version i with hash `{i:064x}`.
    #[test]
    fn roots_match_the_values_computed_outside() {
        for (n, root) in [
            (
                0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                1,
                "6f58fceb6896d3e6dc3630c01c199ee37c14dce401dedc77897cf551a4bafa10",
            ),
            (
                2,
                "8f8e25782a805f395f44b8c15e5697afe125cb4870d148c556c6fc6bb1b59847",
            ),
            (
                3,
                "f122ff473a4e4787e8ce2d7492d15f997fbda980bd8305e0497ffc4710525dce",
            ),
            (
                5,
                "334be17e62712e22d44db93b31b289b0256e968c9b695d9f5ef51cad43dcb395",
            ),
            (
                7,
                "d5d8f8128f9fb035d8ad68001a7f1b6b98ed912e9f3c5091e5505f0906392408",
            ),
        ] {
            let mut tree = MerkleTree::default();
            for i in 0..n {
                tree.push(leaf_hash(&format!("zaak-{i}"), i, &format!("{i:064x}")));
            }
            assert_eq!(tree.root(), root, "{n} heads");
        }
        // Sorted by the bytes of their names: claim-x, zaak-a, zaak-b.
        let mut tree = MerkleTree::default();
        tree.push(leaf_hash("claim-x", 0, &"cd".repeat(32)));
        tree.push(leaf_hash("zaak-a", 10, &"ef".repeat(32)));
        tree.push(leaf_hash("zaak-b", 2, &"ab".repeat(32)));
        assert_eq!(
            tree.root(),
            "c2aba202737c1e9151979b09ee44911399b55773c1eda89549b720f9b84e47c8"
        );
    }

    #[test]
    fn the_streaming_root_is_rfc_6962s_for_every_size() {
        for n in 0..40u64 {
            let leaves: Vec<[u8; 32]> = (0..n)
                .map(|i| leaf_hash(&format!("zaak-{i}"), i, "ab"))
                .collect();
            let mut tree = MerkleTree::default();
            leaves.iter().for_each(|l| tree.push(*l));
            assert_eq!(tree.root(), hex::encode(mth(&leaves)), "{n} leaves");
            assert_eq!(tree.leaves(), n);
        }
    }
}
