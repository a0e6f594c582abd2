//! Durations in whole seconds, counted so that the mean, median and 90th
//! percentile are exact without keeping every value.

/// Counts per second up to [`Histogram::EXACT_UP_TO`]; longer durations are
/// kept as values (they are rare for the limits measured: phone answer time,
/// counter waiting time).
#[derive(Clone, Debug, Default)]
pub struct Histogram {
    counts: Vec<u32>,
    long: Vec<i64>,
    total: u64,
    sum: i128,
}

impl Histogram {
    pub const EXACT_UP_TO: i64 = 4 * 3600;

    pub fn add(&mut self, seconds: i64) {
        let seconds = seconds.max(0);
        if seconds < Self::EXACT_UP_TO {
            let i = seconds as usize;
            if self.counts.len() <= i {
                self.counts.resize(i + 1, 0);
            }
            self.counts[i] += 1;
        } else {
            self.long.push(seconds);
        }
        self.total += 1;
        self.sum += i128::from(seconds);
    }

    pub fn mean(&self) -> Option<f64> {
        (self.total > 0).then(|| self.sum as f64 / self.total as f64)
    }

    /// The smallest value with at least `share` of the values at or below it
    /// (nearest-rank method): `quantile(0.5)` is the median.
    pub fn quantile(&mut self, share: f64) -> Option<i64> {
        if self.total == 0 {
            return None;
        }
        let rank = ((share * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (seconds, &count) in self.counts.iter().enumerate() {
            seen += u64::from(count);
            if seen >= rank {
                return Some(seconds as i64);
            }
        }
        self.long.sort_unstable();
        self.long.get((rank - seen - 1) as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_exact() {
        let mut h = Histogram::default();
        for v in [5, 1, 3, 2, 4, 100_000, 7, 6, 9, 8] {
            h.add(v);
        }
        assert_eq!(h.quantile(0.5), Some(5));
        assert_eq!(h.quantile(0.9), Some(9));
        assert_eq!(h.quantile(1.0), Some(100_000));
        assert_eq!(h.mean(), Some(100_045.0 / 10.0));
    }
}
