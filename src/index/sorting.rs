//! The orders results can be sorted in, and the per-case keys they sort by: shared by
//! `casebook search` (`.casebook/sorts.bin`) and the browser (the export's `search/sorts.bin`,
//! fetched only when a sort other than relevance is asked for), which both read the same
//! file, so both sort alike.
//!
//! - relevance: by score, higher first, then case number (slug order);
//! - newest: by date (or year) the most recent first, then title, then slug;
//! - oldest: by date the earliest first, then title, then slug;
//! - title: by title, then slug.
//!
//! Undated cases come last in both date orders. Titles compare by their folded form
//! ([`crate::text::folded`]) as UTF-8 bytes, never by a locale's collation. Partial matches
//! keep their tiers (most words first) whatever the sort.
//!
//! Encoding: for each case in case-number order `varint(date)`, the rank of the case's date
//! among the distinct dates (1 the earliest, 0 undated), then for each case
//! `varint(zigzag(title − case))`, where `title` is the case's place in title order (case
//! numbers follow slugs, which mostly follow titles, so the differences are small).
//! gzip-compressed. The years of record go apart ([`encode_years`]): `facets.bin` ends with
//! them, for the year filter and chart of a first query, and `casebook search` reads them
//! from the cache's `years.bin`.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use super::codec::{read_varint, write_varint, Damaged};
use super::SearchInput;
use crate::text::folded;

/// An order results can be sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// The most recent first.
    Newest,
    /// The earliest first.
    Oldest,
    /// By title, A to Z.
    Title,
}

impl Sort {
    /// Every sort, as the command line and the URL name them.
    pub const ALL: [Sort; 4] = [Sort::Relevance, Sort::Newest, Sort::Oldest, Sort::Title];

    /// The sort's name: `relevance`, `newest`, `oldest`, `title`.
    pub fn name(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
        }
    }

    /// The sort named `name`.
    pub fn from_name(name: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// What each case sorts and filters by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SortKeys {
    /// Per case, its year of record.
    pub years: Vec<Option<i32>>,
    /// Per case, its date's rank among the distinct dates (0: undated).
    dates: Vec<u32>,
    /// Per case, its place in title order.
    titles: Vec<u32>,
}

impl SortKeys {
    /// The keys of every case of `input`.
    pub fn of(input: &SearchInput) -> SortKeys {
        let cases = input.cases;
        let distinct: Vec<i64> = cases
            .iter()
            .filter_map(|c| c.recency_key())
            .collect::<BTreeSet<i64>>()
            .into_iter()
            .collect();
        let dates = cases
            .iter()
            .map(|c| {
                c.recency_key()
                    .map_or(0, |key| distinct.partition_point(|&d| d <= key) as u32)
            })
            .collect();
        let mut by_title: Vec<(String, usize)> = cases
            .iter()
            .enumerate()
            .map(|(number, c)| (folded(&c.title), number))
            .collect();
        // Case numbers are in slug order: they break ties between equal titles.
        by_title.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()).then(a.1.cmp(&b.1)));
        let mut titles = vec![0; cases.len()];
        for (place, (_, number)) in by_title.into_iter().enumerate() {
            titles[number] = place as u32;
        }
        SortKeys {
            years: cases.iter().map(|c| c.year_of_record()).collect(),
            dates,
            titles,
        }
    }

    /// How cases `a` and `b` compare in `sort` (not relevance, which is by score).
    pub fn compare(&self, sort: Sort, a: u32, b: u32) -> Ordering {
        let (a, b) = (a as usize, b as usize);
        let title = self.titles[a].cmp(&self.titles[b]);
        let undated_last = |x: u32, y: u32| (x == 0).cmp(&(y == 0));
        match sort {
            Sort::Relevance => a.cmp(&b),
            Sort::Newest => undated_last(self.dates[a], self.dates[b])
                .then(self.dates[b].cmp(&self.dates[a]))
                .then(title),
            Sort::Oldest => undated_last(self.dates[a], self.dates[b])
                .then(self.dates[a].cmp(&self.dates[b]))
                .then(title),
            Sort::Title => title,
        }
    }

    /// The date and title keys encoded (uncompressed); the years are [`SortKeys::encode_years`].
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.dates.len() * 3);
        for &date in &self.dates {
            write_varint(&mut out, u64::from(date));
        }
        for (case, &title) in self.titles.iter().enumerate() {
            write_varint(&mut out, zigzag(i64::from(title) - case as i64));
        }
        out
    }

    /// The years of record encoded (uncompressed), as `facets.bin` ends.
    pub fn encode_years(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.years.len() + 2);
        encode_years(&mut out, &self.years);
        out
    }

    /// Keys encoded by [`SortKeys::encode`] and [`SortKeys::encode_years`], for `cases` cases.
    pub fn decode(sorts: &[u8], years: &[u8], cases: usize) -> Result<SortKeys, Damaged> {
        let mut keys = SortKeys::default();
        let mut at = 0;
        let first = read_varint(years, &mut at)? as i32;
        for _ in 0..cases {
            let year = read_varint(years, &mut at)?;
            let year = i32::try_from(year).map_err(|_| Damaged("a year is out of range"))?;
            keys.years.push((year > 0).then(|| first + year - 1));
        }
        let mut at = 0;
        for _ in 0..cases {
            let date = read_varint(sorts, &mut at)?;
            let date = usize::try_from(date)
                .ok()
                .filter(|&d| d <= cases)
                .ok_or(Damaged("a date is out of range"))?;
            keys.dates.push(date as u32);
        }
        let mut placed = vec![false; cases];
        for case in 0..cases {
            let title = case as i64 + unzigzag(read_varint(sorts, &mut at)?);
            let place = usize::try_from(title)
                .ok()
                .filter(|&t| t < cases && !placed[t])
                .ok_or(Damaged("a title's place is out of range"))?;
            placed[place] = true;
            keys.titles.push(place as u32);
        }
        Ok(keys)
    }
}

/// A signed number as an unsigned one, small either side of 0 staying small.
fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

/// The inverse of [`zigzag`].
fn unzigzag(n: u64) -> i64 {
    (n >> 1) as i64 ^ -((n & 1) as i64)
}

/// Each case's year of record: `varint(first)`, the earliest year, then per case
/// `varint(year − first + 1)`, 0 for none.
pub fn encode_years(out: &mut Vec<u8>, years: &[Option<i32>]) {
    let first = years.iter().flatten().min().copied().unwrap_or(0);
    write_varint(out, u64::from(first.max(0) as u32));
    for year in years {
        write_varint(out, year.map_or(0, |y| (y - first) as u64 + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_sort_as_stated() {
        let keys = SortKeys {
            years: vec![Some(2014), None, Some(2009), Some(2014)],
            dates: vec![3, 0, 1, 2],
            titles: vec![2, 0, 3, 1],
        };
        let (bytes, years) = (keys.encode(), keys.encode_years());
        assert_eq!(SortKeys::decode(&bytes, &years, 4).unwrap(), keys);
        assert!(SortKeys::decode(&bytes[..bytes.len() - 1], &years, 4).is_err());
        assert!(SortKeys::decode(&bytes, &years[..years.len() - 1], 4).is_err());
        for n in [0, 1, -1, 63, -64, i64::from(u32::MAX), -i64::from(u32::MAX)] {
            assert_eq!(unzigzag(zigzag(n)), n);
        }
        let sorted = |sort: Sort| {
            let mut docs = vec![0u32, 1, 2, 3];
            docs.sort_by(|&a, &b| keys.compare(sort, a, b));
            docs
        };
        assert_eq!(sorted(Sort::Newest), [0, 3, 2, 1], "undated last");
        assert_eq!(sorted(Sort::Oldest), [2, 3, 0, 1], "undated last too");
        assert_eq!(sorted(Sort::Title), [1, 3, 0, 2]);
    }
}
