//! Deadlines per second, per unit: from an instant to an instant with its
//! Europe/Amsterdam offset, over 4,096 starts spread over 2025-2027.
//!
//! Run: `cargo bench -p servicenorm-core --bench terms`
//! Targets (one core): working days >= 10 M/s, office hours >= 5 M/s.
#![allow(clippy::panic)]

use divan::{Bencher, black_box, counter::ItemsCount};
use jiff::Timestamp;
use servicenorm_core::{calendar::Calendar, terms::Term};

fn main() {
    divan::main();
}

/// Deterministic starts: a linear congruential generator, no dependency.
fn starts() -> Vec<Timestamp> {
    let mut state: u64 = 0x5eed;
    (0..4096)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            // 2025-01-01 .. 2027-12-31
            let second = 1_735_686_000 + (state >> 33) as i64 % 94_608_000;
            Timestamp::from_second(second).unwrap_or(Timestamp::UNIX_EPOCH)
        })
        .collect()
}

fn run(bencher: Bencher, expression: &str, calendar: &Calendar) {
    // A bench that cannot set up must fail, not time nothing.
    let term: Term = expression
        .parse()
        .unwrap_or_else(|e| panic!("{expression}: {e}"));
    let starts = starts();
    bencher.counter(ItemsCount::new(starts.len())).bench(|| {
        for &start in &starts {
            let _ = black_box(term.deadline(black_box(start), calendar));
        }
    });
}

fn gemeente() -> &'static Calendar {
    Calendar::gemeente().unwrap_or_else(|e| unreachable!("{e}"))
}

#[divan::bench]
fn working_days(bencher: Bencher) {
    run(bencher, "2 werkdagen", gemeente());
}

#[divan::bench]
fn working_days_until_closing(bencher: Bencher) {
    run(bencher, "10 werkdagen (tot sluitingstijd)", gemeente());
}

#[divan::bench]
fn office_hours(bencher: Bencher) {
    run(bencher, "2 kantooruren", gemeente());
}

#[divan::bench]
fn office_hours_long(bencher: Bencher) {
    run(bencher, "40 kantooruren", gemeente());
}

#[divan::bench]
fn elapsed_hours(bencher: Bencher) {
    run(bencher, "12 uur", gemeente());
}

#[divan::bench]
fn policy_weeks(bencher: Bencher) {
    run(bencher, "6 weken (naar werkdag)", gemeente());
}

#[divan::bench]
fn statutory_weeks(bencher: Bencher) {
    run(bencher, "6 weken (wettelijk)", gemeente());
}

#[divan::bench]
fn statutory_months(bencher: Bencher) {
    run(bencher, "3 maanden (wettelijk)", gemeente());
}

#[divan::bench]
fn first_working_day_at(bencher: Bencher) {
    run(bencher, "eerstvolgende werkdag 12:00", gemeente());
}

/// Building a calendar's tables for 1990-2102, as a custom calendar does once.
#[divan::bench(sample_count = 10)]
fn build_calendar_tables() -> Calendar {
    let spec = gemeente().spec().clone();
    match Calendar::new(spec) {
        Ok(calendar) => calendar,
        Err(e) => unreachable!("{e}"),
    }
}

/// The penalty period of Awb 4:17 from a notice of default.
#[divan::bench]
fn dwangsom(bencher: Bencher) {
    let notices: Vec<jiff::civil::Date> = starts()
        .iter()
        .map(|&t| servicenorm_core::time::Moment::in_amsterdam(t).date())
        .collect();
    let term_end = jiff::civil::date(2024, 12, 31);
    bencher.counter(ItemsCount::new(notices.len())).bench(|| {
        for &notice in &notices {
            let _ = black_box(servicenorm_core::terms::dwangsom(
                term_end,
                black_box(notice),
            ));
        }
    });
}
