//! Deterministic randomness for the seed: SplitMix64, one generator per zaak derived from
//! `(seed, index)`, so zaak `i` is the same whatever the run, chunk or resume point.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use uuid::Uuid;

pub struct Rng(u64);

impl Rng {
    /// The generator of item `index` of stream `purpose` under `seed`.
    pub fn new(seed: u64, purpose: u64, index: u64) -> Self {
        let mut r = Self(seed ^ purpose.wrapping_mul(0xA24B_AED4_963E_E407));
        r.0 ^= r
            .next()
            .wrapping_add(index.wrapping_mul(0x9FB2_1C65_1E98_DF25));
        Self(r.next())
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        for chunk in out.chunks_mut(8) {
            let v = self.next().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        out
    }

    /// A random (version 4) uuid.
    pub fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(self.bytes()).into_uuid()
    }

    /// A time-ordered (version 7) uuid for an event that occurred `at`, as the API makes
    /// event ids, with deterministic random bits.
    pub fn event_id(&mut self, at: DateTime<Utc>) -> Uuid {
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or_default();
        uuid::Builder::from_unix_timestamp_millis(millis, &self.bytes()).into_uuid()
    }

    /// A day in `from..=to`.
    pub fn date(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let days = (to - from).num_days().max(0) as u64;
        from + chrono::Days::new(self.below(days + 1))
    }

    /// A moment during office hours (08:00–17:00 UTC) of a day in `from..=to`.
    pub fn office_hours(&mut self, from: NaiveDate, to: NaiveDate) -> DateTime<Utc> {
        let day = self.date(from, to);
        day.and_time(NaiveTime::MIN).and_utc() + Duration::minutes(480 + self.below(540) as i64)
    }

    /// A burgerservicenummer: nine digits passing the 11-proef (never all zeros).
    pub fn bsn(&mut self) -> String {
        loop {
            let mut digits: Vec<u64> = (0..8).map(|_| self.below(10)).collect();
            digits[0] = self.between(1, 6);
            let sum: u64 = digits.iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
            let check = sum % 11;
            if check < 10 && sum != check {
                digits.push(check);
                return digits.iter().map(|d| d.to_string()).collect();
            }
        }
    }
}

/// A calendar date the seed uses as a bound.
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_and_index_give_the_same_values_and_others_differ() {
        let a: Vec<u64> = (0..4).map(|_| Rng::new(7, 1, 42).next()).collect();
        assert_eq!(
            a,
            (0..4)
                .map(|_| Rng::new(7, 1, 42).next())
                .collect::<Vec<_>>()
        );
        assert_ne!(Rng::new(7, 1, 42).next(), Rng::new(7, 1, 43).next());
        assert_ne!(Rng::new(7, 1, 42).next(), Rng::new(8, 1, 42).next());
    }

    #[test]
    fn every_generated_bsn_passes_the_eleven_check() {
        let mut rng = Rng::new(1, 2, 3);
        for _ in 0..1_000 {
            let bsn = rng.bsn();
            assert!(domain::Rsin::parse(&bsn).is_ok(), "{bsn}");
        }
    }
}
