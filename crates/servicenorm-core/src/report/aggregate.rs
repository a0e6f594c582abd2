//! Adding judged cases up per norm, group and period.

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use jiff::civil::Date;
use serde::Serialize;

use super::{Histogram, Per, Period};
use crate::{
    catalog::{Catalog, CatalogVersions, LimitMeasure, NormKind},
    evaluation::{Evaluation, Measured, State},
    time::civil_from_days,
};

/// What a report is split by, besides the norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Norm,
    Channel,
    Municipality,
    Team,
}

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> Result<GroupBy, String> {
        match s {
            "norm" => Ok(GroupBy::Norm),
            "channel" | "kanaal" => Ok(GroupBy::Channel),
            "municipality" | "gemeente" => Ok(GroupBy::Municipality),
            "team" => Ok(GroupBy::Team),
            other => Err(format!(
                "onbekende indeling \"{other}\": kies norm, channel, municipality of team"
            )),
        }
    }
}

/// Which cases a report counts and how it splits them.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// First day counted (inclusive).
    pub from: Option<Date>,
    /// Last day counted (inclusive).
    pub to: Option<Date>,
    pub per: Per,
    pub by: GroupBy,
}

#[derive(Default)]
struct Cell {
    met: u64,
    missed: u64,
    open: u64,
    durations: Histogram,
    observations: u64,
    qualifying: u64,
}

/// One line of a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The channel, municipality or team (empty when split by norm only).
    pub group: String,
    pub period: Period,
    pub period_label: String,
    pub norm: String,
    pub text: String,
    pub kind: &'static str,
    pub channel: String,
    /// Counted: met + missed + still open.
    pub cases: u64,
    pub met: u64,
    pub missed: u64,
    /// Not yet due: left out of the share.
    pub open: u64,
    /// Met / (met + missed); for a ratio, qualifying / observations.
    pub share_met: Option<f64>,
    pub streefwaarde: Option<f64>,
    /// Whether the streefwaarde is an example the municipality did not publish.
    pub streefwaarde_example: bool,
    pub target_reached: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p90_seconds: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observations: Option<u64>,
}

/// Norm details for the rows, from the latest catalog version that has the norm.
struct NormInfo {
    order: usize,
    text: String,
    kind: &'static str,
    channel: String,
    streefwaarde: Option<f64>,
    example: bool,
    duration: bool,
}

/// Judged cases added up. Memory grows with norms x groups x periods, not
/// with the number of cases.
pub struct Report {
    options: ReportOptions,
    /// Keyed by group index, norm order, norm index and period: no strings
    /// are built per case.
    cells: HashMap<(u32, usize, u32, Period), Cell>,
    norm_index: HashMap<String, u32>,

    /// The group of each municipality or team id, and of none, once looked up.
    group_of: HashMap<Arc<str>, u32>,
    group_of_none: Option<u32>,
    /// The group of each norm's channel, once looked up.
    channel_group: Vec<Option<u32>>,
    norms: Vec<(String, NormInfo)>,
    /// Group names; index 0 is "no group".
    groups: Vec<String>,
    group_index: HashMap<String, u32>,
    names: HashMap<(GroupBy, String), String>,
    cases: u64,
    /// The last local day turned into a date: cases come in time order, so
    /// most results fall on the day before them.
    last_day: Option<(i32, Date)>,
}

impl Report {
    pub fn new(versions: &CatalogVersions, options: ReportOptions) -> Report {
        let mut norm_index: HashMap<String, u32> = HashMap::default();
        let mut norms: Vec<(String, NormInfo)> = Vec::new();
        let mut names = HashMap::default();

        for catalog in versions.versions() {
            add_names(catalog, &mut names);
            for (order, norm) in catalog.norms.iter().enumerate() {
                let info = NormInfo {
                    order,
                    text: norm.text.clone(),
                    kind: norm.kind.name(),
                    channel: catalog
                        .channel(&norm.channel)
                        .map_or(norm.channel.clone(), |c| c.name.clone()),
                    streefwaarde: norm.streefwaarde,
                    example: norm.example.iter().any(|e| e == "streefwaarde"),
                    duration: matches!(norm.kind, NormKind::Limit(LimitMeasure::Duration { .. })),
                };

                // A later version's wording and target win.
                match norm_index.get(&*norm.id) {
                    Some(&i) => norms[i as usize].1 = info,
                    None => {
                        norm_index.insert(norm.id.to_string(), norms.len() as u32);
                        norms.push((norm.id.to_string(), info));
                    }
                }
            }
        }

        let channel_group = vec![None; norms.len()];
        Report {
            options,
            cells: HashMap::default(),
            norm_index,

            group_of: HashMap::default(),
            group_of_none: None,
            channel_group,
            norms,
            groups: vec![String::new()],
            group_index: HashMap::default(),
            names,
            cases: 0,
            last_day: None,
        }
    }

    /// Cases added so far.
    pub fn cases(&self) -> u64 {
        self.cases
    }

    /// Adds one judged case.
    pub fn add(&mut self, evaluation: &Evaluation) {
        self.cases += 1;
        for result in &evaluation.norms {
            if result.state == State::NietVanToepassing {
                continue;
            }
            let Some(&norm) = self.norm_index.get(&*result.norm) else {
                continue;
            };
            let info = &self.norms[norm as usize].1;
            // Deadlines count when due; limits and ratios when they started.
            let moment = match result.kind {
                "deadline" | "tussenbericht" => result.deadline.or(result.start),
                _ => result.start,
            };
            let Some(day) = moment.map(|m| m.local_day()) else {
                continue;
            };
            let date = match self.last_day {
                Some((last, date)) if last == day => date,
                _ => {
                    let date = civil_from_days(day);
                    self.last_day = Some((day, date));
                    date
                }
            };
            if self.options.from.is_some_and(|from| date < from)
                || self.options.to.is_some_and(|to| date > to)
            {
                continue;
            }
            let (order, duration) = (info.order, info.duration);
            let group = match self.options.by {
                GroupBy::Norm => 0,
                GroupBy::Channel => match self.channel_group[norm as usize] {
                    Some(group) => group,
                    None => {
                        let channel = self.norms[norm as usize].1.channel.clone();
                        let group = self.group(&channel);
                        self.channel_group[norm as usize] = Some(group);
                        group
                    }
                },
                by @ (GroupBy::Municipality | GroupBy::Team) => {
                    let id = match by {
                        GroupBy::Municipality => evaluation.municipality.as_ref(),
                        _ => evaluation.team.as_ref(),
                    };
                    self.group_of_id(by, id)
                }
            };
            let key = (group, order, norm, Period::of(date, self.options.per));
            let cell = self.cells.entry(key).or_default();
            match result.state {
                State::Gehaald => cell.met += 1,
                State::NietGehaald => cell.missed += 1,
                _ => cell.open += 1,
            }
            match result.measured {
                Some(Measured::Seconds { value, .. }) if duration => cell.durations.add(value),
                Some(Measured::Observations { total, qualifying }) => {
                    cell.observations += u64::from(total);
                    cell.qualifying += u64::from(qualifying);
                }
                _ => {}
            }
        }
    }

    /// The group of a municipality or team id, looked up once per id.
    fn group_of_id(&mut self, by: GroupBy, id: Option<&Arc<str>>) -> u32 {
        let cached = match id {
            Some(id) => self.group_of.get(&**id).copied(),
            None => self.group_of_none,
        };
        if let Some(group) = cached {
            return group;
        }
        let name = self.name(by, id.map(|id| &**id));
        let group = self.group(&name);
        match id {
            Some(id) => {
                self.group_of.insert(Arc::clone(id), group);
            }
            None => self.group_of_none = Some(group),
        }
        group
    }

    fn name(&self, by: GroupBy, id: Option<&str>) -> String {
        match id {
            Some(id) => self
                .names
                .get(&(by, id.to_string()))
                .cloned()
                .unwrap_or_else(|| id.to_string()),
            None => "onbekend".to_string(),
        }
    }

    /// The index of a group name, added on first use.
    fn group(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.group_index.get(name) {
            return i;
        }
        let i = self.groups.len() as u32;
        self.groups.push(name.to_string());
        self.group_index.insert(name.to_string(), i);
        i
    }

    /// The rows, by group name, then norm in catalog order, then period.
    pub fn rows(&mut self) -> Vec<Row> {
        let groups = &self.groups;
        let mut cells: Vec<_> = self.cells.iter_mut().collect();
        cells.sort_by(|a, b| {
            groups[a.0.0 as usize]
                .cmp(&groups[b.0.0 as usize])
                .then(a.0.cmp(b.0))
        });
        let mut rows = Vec::with_capacity(cells.len());
        for ((group, _, norm, period), cell) in cells {
            let (norm, info) = &self.norms[*norm as usize];
            let ratio = info.kind == "ratio";
            let share_met = if ratio {
                (cell.observations > 0).then(|| cell.qualifying as f64 / cell.observations as f64)
            } else {
                let judged = cell.met + cell.missed;
                (judged > 0).then(|| cell.met as f64 / judged as f64)
            };
            rows.push(Row {
                group: groups[*group as usize].clone(),
                period: *period,
                period_label: period.label(),
                norm: norm.clone(),
                text: info.text.clone(),
                kind: info.kind,
                channel: info.channel.clone(),
                cases: cell.met + cell.missed + cell.open,
                met: cell.met,
                missed: cell.missed,
                open: cell.open,
                share_met,
                streefwaarde: info.streefwaarde,
                streefwaarde_example: info.example,
                target_reached: share_met
                    .zip(info.streefwaarde)
                    .map(|(share, target)| share + 1e-12 >= target),
                mean_seconds: cell.durations.mean(),
                median_seconds: cell.durations.quantile(0.5),
                p90_seconds: cell.durations.quantile(0.9),
                observations: ratio.then_some(cell.observations),
            });
        }
        rows
    }

    pub fn options(&self) -> &ReportOptions {
        &self.options
    }
}

fn add_names(catalog: &Catalog, names: &mut HashMap<(GroupBy, String), String>) {
    for m in &catalog.municipalities {
        names.insert((GroupBy::Municipality, m.id.clone()), m.name.clone());
    }
    for t in &catalog.teams {
        names.insert((GroupBy::Team, t.id.clone()), t.name.clone());
    }
}
