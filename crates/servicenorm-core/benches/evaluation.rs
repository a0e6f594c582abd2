//! Judging one case, and reading its events: the parts of `servicenorm report`.
//!
//! Run: `cargo bench -p servicenorm-core --bench evaluation`
#![allow(clippy::panic)]

use divan::{Bencher, black_box, counter::ItemsCount};
use jiff::Timestamp;
use servicenorm_core::{
    catalog::{self, CatalogVersions},
    evaluation::{Detail, evaluate},
    events::{CaseEvents, Event, read::from_csv_fields},
};

fn main() {
    divan::main();
}

fn versions() -> CatalogVersions {
    let text = include_str!("../../../catalogs/buch.toml");
    catalog::parse_versions(&[(text, "buch.toml")]).unwrap_or_else(|e| unreachable!("{e}"))
}

const LETTER: [&str; 5] = [
    "e1,z1,received,2026-04-02T10:00:00+02:00,brief,castricum,,contact_needed=false",
    "e2,z1,acknowledged,2026-04-03T09:00:00+02:00,,,,",
    "e3,z1,tussenbericht_sent,2026-04-10T09:00:00+02:00,,,,",
    "e4,z1,answered,2026-04-14T15:00:00+02:00,,,,",
    "e5,z1,closed,2026-04-14T15:01:00+02:00,,,,",
];

fn letter() -> Vec<Event> {
    LETTER
        .iter()
        .map(|line| {
            from_csv_fields(&line.split(',').collect::<Vec<_>>())
                .unwrap_or_else(|e| panic!("{line}: {e}"))
        })
        .collect()
}

#[divan::bench]
fn read_csv_event(bencher: Bencher) {
    let lines: Vec<Vec<&str>> = LETTER.iter().map(|l| l.split(',').collect()).collect();
    bencher.counter(ItemsCount::new(lines.len())).bench(|| {
        for fields in &lines {
            let _ = black_box(from_csv_fields(black_box(fields)));
        }
    });
}

#[divan::bench]
fn judge_a_letter(bencher: Bencher) {
    let versions = versions();
    let events = letter();
    let as_of = Timestamp::from_second(1_790_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    bencher.counter(ItemsCount::new(1usize)).bench(|| {
        let case = CaseEvents::new(black_box(events.clone())).unwrap_or_else(|e| panic!("{e}"));
        black_box(evaluate(&versions, &case, as_of, Detail::Brief))
            .unwrap_or_else(|e| panic!("{e}"));
    });
}
