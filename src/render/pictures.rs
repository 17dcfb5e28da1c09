//! Pictures of the collection: a world map of where cases come from, and bar charts of
//! cases per year and per theme. The geometry is computed here, so that the theme's
//! `pictures.html` only places ready numbers into inline SVG (no JavaScript, no tiles, no
//! request to another host); a theme restyles or removes them by overriding that template.
//!
//! The map's shapes are `data/world.json` (Natural Earth, public domain, via npm
//! `world-atlas`; `data/README.md` says how it is made), embedded in the binary.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::context::ValueCount;
use crate::content::{countries, Case, Facet, Library};

/// The embedded map.
const WORLD: &str = include_str!("../../data/world.json");

/// How many shades the map uses at most (`shade-1` … `shade-4` in the stylesheet).
pub const SHADES: usize = 4;
/// How many bars a year chart draws at most: longer spans are counted in bins of years.
const MAX_YEAR_BARS: i64 = 40;
/// How many themes the home page's chart shows.
const CHART_THEMES: usize = 12;
/// How many characters of a theme's name the chart's label shows.
const LABEL_CHARS: usize = 30;

/// The projected world, as `data/update-world.mjs` writes it.
#[derive(Debug, Deserialize)]
struct World {
    width: u32,
    height: u32,
    sphere: String,
    others: String,
    outline: String,
    countries: Vec<Shape>,
    markers: Vec<Marker>,
    /// Per shape, the box of its largest ring (worked out on reading): what a map zooms to,
    /// so that Alaska or French Guiana do not stretch the view of a collection.
    #[serde(skip)]
    extents: Vec<Extent>,
    /// By ISO code, the index of its shape, or else of its dot.
    #[serde(skip)]
    places: HashMap<String, Drawn>,
}

/// How a country is drawn: by its shape or as a dot, by index.
#[derive(Debug, Clone, Copy)]
enum Drawn {
    Shape(usize),
    Dot(usize),
}

/// A box in the map's coordinates: left, top, right, bottom.
type Extent = [f64; 4];

/// The box of the largest ring of a path `d` as `update-world.mjs` writes it: rings of an
/// absolute `M x y`, then relative `l dx dy …` (a minus sign also separates numbers), each
/// closed by `z`.
fn main_ring_extent(d: &str) -> Extent {
    let mut best: (f64, Extent) = (-1.0, [0.0; 4]);
    for ring in d.split('z') {
        let numbers = integers(ring);
        let [x0, y0, steps @ ..] = numbers.as_slice() else {
            continue;
        };
        let (mut x, mut y) = (*x0, *y0);
        let mut extent = [x, y, x, y];
        let mut area = 0.0;
        for step in steps.chunks_exact(2) {
            let (nx, ny) = (x + step[0], y + step[1]);
            area += x * ny - nx * y;
            (x, y) = (nx, ny);
            extent = [
                extent[0].min(x),
                extent[1].min(y),
                extent[2].max(x),
                extent[3].max(y),
            ];
        }
        if area.abs() > best.0 {
            best = (area.abs(), extent);
        }
    }
    best.1
}

/// The integers of a path's text, in order ("M10 5l3-2 4 1" → 10 5 3 −2 4 1).
fn integers(text: &str) -> Vec<f64> {
    let mut numbers = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '-' && current.is_empty()) {
            current.push(c);
            continue;
        }
        if let Ok(n) = current.parse::<f64>() {
            numbers.push(n);
        }
        current.clear();
        if c == '-' {
            current.push(c);
        }
    }
    numbers
}

/// A country's outline: an SVG path in the map's coordinates.
#[derive(Debug, Deserialize)]
struct Shape {
    code: String,
    d: String,
}

/// Where a country too small for the map's shapes is drawn as a dot.
#[derive(Debug, Deserialize)]
struct Marker {
    code: String,
    x: i32,
    y: i32,
}

/// The map, read once.
fn world() -> &'static World {
    static WORLD_MAP: OnceLock<World> = OnceLock::new();
    // The map is part of the binary and a test reads it: it cannot be malformed here.
    WORLD_MAP.get_or_init(|| {
        let mut world: World = serde_json::from_str(WORLD).expect("data/world.json");
        world.extents = world
            .countries
            .iter()
            .map(|s| main_ring_extent(&s.d))
            .collect();
        let dots = world.markers.iter().enumerate();
        let dots = dots.map(|(i, m)| (m.code.clone(), Drawn::Dot(i)));
        let shapes = world.countries.iter().enumerate();
        let shapes = shapes.map(|(i, s)| (s.code.clone(), Drawn::Shape(i)));
        // A shape wins over a dot for the same code.
        world.places = dots.chain(shapes).collect();
        world
    })
}

/// The part of the world a map shows: the box around its shaded countries and dots, with a
/// margin, at least [`MIN_VIEW`] of the world's width, in the world's proportions, and
/// never beyond it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct View {
    /// `viewBox`: "x y width height".
    pub viewbox: String,
    /// A dot's radius in this view, so that dots look the same size at any zoom.
    pub dot: f64,
    /// The view's width as a share of the world's: what line widths are scaled by (the
    /// stylesheet's `--line`), so that borders stay hairlines at any zoom.
    pub line: f64,
}

/// The narrowest view, as a share of the world's width: a continent, not a town.
const MIN_VIEW: f64 = 0.3;
/// A dot's radius on the whole world.
const DOT_RADIUS: f64 = 6.0;

fn view_of(extents: impl Iterator<Item = Extent>) -> View {
    let world = world();
    let (width, height) = (f64::from(world.width), f64::from(world.height));
    let union = extents.reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    });
    let [left, top, right, bottom] = union.unwrap_or([0.0, 0.0, width, height]);
    let margin = 0.08 * (right - left).max(bottom - top) + 10.0;
    let mut w = (right - left + 2.0 * margin).max(MIN_VIEW * width);
    let mut h = bottom - top + 2.0 * margin;
    if w / h < width / height {
        w = h * width / height;
    } else {
        h = w * height / width;
    }
    if w >= width || h >= height {
        (w, h) = (width, height);
    }
    let x = ((left + right - w) / 2.0).clamp(0.0, width - w);
    let y = ((top + bottom - h) / 2.0).clamp(0.0, height - h);
    View {
        viewbox: format!("{} {} {} {}", x.round(), y.round(), w.round(), h.round()),
        dot: round((DOT_RADIUS * w / width).max(1.5)),
        line: (1000.0 * w / width).round() / 1000.0,
    }
}

/// The view of `placed`'s shaded countries and dots.
fn view_of_placed(placed: &Placed) -> View {
    let world = world();
    let shapes = placed.shaped.iter().map(|&(shape, _)| world.extents[shape]);
    let dots = placed.dotted.iter().map(|&(marker, _)| {
        let m = &world.markers[marker];
        let (x, y) = (f64::from(m.x), f64::from(m.y));
        [x, y, x, y]
    });
    view_of(shapes.chain(dots))
}

/// `map/world.svg`: every country's outline under its ISO code, and the land as `land`, for
/// the light maps of facet value pages to `<use>`. Paths carry no fill, so that each `<use>`
/// is shaded by its own class.
pub fn world_sheet() -> String {
    let world = world();
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\"><defs>\
         <path id=\"land\" d=\"{}\"/><path id=\"sphere\" d=\"{}\"/>",
        world.width, world.height, world.outline, world.sphere
    );
    for shape in &world.countries {
        svg.push_str(&format!("<path id=\"{}\" d=\"{}\"/>", shape.code, shape.d));
    }
    svg.push_str("</defs></svg>\n");
    svg
}

/// Where a set of cases comes from, as the map shows it.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// Each country of the cases with its number of cases.
    pub countries: Vec<ValueCount>,
    /// Each region of the cases that name no country ("European Union"), with its number.
    pub regions: Vec<ValueCount>,
    /// Cases naming neither a country nor a region.
    pub nowhere: usize,
}

/// A shade of the map's legend: which counts it stands for.
#[derive(Debug, Clone, Serialize)]
pub struct LegendEntry {
    /// 1 (lightest) to [`SHADES`].
    pub shade: usize,
    /// "1", "2–5".
    pub label: String,
}

/// A country drawn on the full map.
#[derive(Debug, Clone, Serialize)]
pub struct MapCountry {
    pub d: &'static str,
    /// Its cases, when it has any (then it is shaded and a link).
    pub cases: Option<ShadedCountry>,
}

/// A country with cases, shaded by their number.
#[derive(Debug, Clone, Serialize)]
pub struct ShadedCountry {
    #[serde(flatten)]
    pub country: ValueCount,
    pub shade: usize,
}

/// A small country with cases, drawn as a dot.
#[derive(Debug, Clone, Serialize)]
pub struct MapMarker {
    pub x: i32,
    pub y: i32,
    #[serde(flatten)]
    pub country: ShadedCountry,
}

/// `map` on the home page and the countries index: every country drawn, those with cases
/// shaded and linked.
#[derive(Debug, Clone, Serialize)]
pub struct FullMap {
    pub view: View,
    pub sphere: &'static str,
    /// Land that is no country of the table (drawn, never shaded).
    pub others: &'static str,
    pub countries: Vec<MapCountry>,
    pub markers: Vec<MapMarker>,
    #[serde(flatten)]
    pub key: MapKey,
}

/// What both maps say beside the drawing: the legend, the countries drawn, and the places
/// and cases the map cannot show.
#[derive(Debug, Clone, Serialize)]
pub struct MapKey {
    pub legend: Vec<LegendEntry>,
    /// Every country on the map, most cases first: the table beside it.
    pub rows: Vec<ValueCount>,
    /// Places with cases the map cannot show ("European Union", "International").
    pub elsewhere: Vec<ValueCount>,
    /// Cases naming no country or region.
    pub nowhere: usize,
}

/// The countries of one shade on a light map.
#[derive(Debug, Clone, Serialize)]
pub struct ShadeGroup {
    pub shade: usize,
    pub codes: Vec<&'static str>,
}

/// A dot of a light map.
#[derive(Debug, Clone, Serialize)]
pub struct LightMarker {
    pub x: i32,
    pub y: i32,
    pub shade: usize,
}

/// `map` on a facet value page: the shaded countries drawn by reference to the shared
/// `map/world.svg`, so that each page carries a few hundred bytes, not the shapes.
#[derive(Debug, Clone, Serialize)]
pub struct LightMap {
    /// The address of `map/world.svg`.
    pub sheet: String,
    pub view: View,
    /// What the list under the map is: "co-production by country".
    pub heading: String,
    /// The countries the list under the map names: the first [`LISTED`], and every one
    /// `keep` asked for (a theme's countries with pages of their own).
    pub listed: Vec<ValueCount>,
    /// How many more countries there are.
    pub more: usize,
    pub groups: Vec<ShadeGroup>,
    pub markers: Vec<LightMarker>,
    #[serde(flatten)]
    pub key: MapKey,
}

/// The map's view of a set of country counts: which are drawn where, in which shade.
struct Placed {
    /// Per country with a shape: (index into the world's shapes, row).
    shaped: Vec<(usize, usize)>,
    /// Per country with a marker: (index into the world's markers, row).
    dotted: Vec<(usize, usize)>,
    rows: Vec<ValueCount>,
    elsewhere: Vec<ValueCount>,
    scale: Scale,
}

/// Most cases first, then by name.
fn most_first(list: &mut [ValueCount]) {
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
}

/// Countries with a shape or a dot go on the map; other countries and the regions of cases
/// naming no country are listed beside it.
fn place(places: Places) -> Placed {
    let world = world();
    let mut rows = Vec::new();
    let mut elsewhere = Vec::new();
    let mut shaped = Vec::new();
    let mut dotted = Vec::new();
    let mut ordered = places.countries;
    most_first(&mut ordered);
    for country in ordered {
        let code = countries().find(&country.name).map(|c| c.code.as_str());
        match code.and_then(|c| world.places.get(c)) {
            Some(&Drawn::Shape(shape)) => shaped.push((shape, rows.len())),
            Some(&Drawn::Dot(marker)) => dotted.push((marker, rows.len())),
            None => {
                elsewhere.push(country);
                continue;
            }
        }
        rows.push(country);
    }
    let mut regions = places.regions;
    most_first(&mut regions);
    elsewhere.extend(regions);
    let scale = Scale::of(rows.iter().map(|r| r.count));
    Placed {
        shaped,
        dotted,
        rows,
        elsewhere,
        scale,
    }
}

/// The full map of `places`.
pub fn full_map(places: Places) -> FullMap {
    let world = world();
    let nowhere = places.nowhere;
    let placed = place(places);
    let mut shaded: Vec<Option<ShadedCountry>> = vec![None; world.countries.len()];
    for &(shape, row) in &placed.shaped {
        shaded[shape] = Some(placed.shade(row));
    }
    let countries = world
        .countries
        .iter()
        .zip(shaded)
        .map(|(shape, cases)| MapCountry { d: &shape.d, cases })
        .collect();
    let markers = placed
        .dotted
        .iter()
        .map(|&(marker, row)| MapMarker {
            x: world.markers[marker].x,
            y: world.markers[marker].y,
            country: placed.shade(row),
        })
        .collect();
    FullMap {
        view: view_of_placed(&placed),
        sphere: &world.sphere,
        others: &world.others,
        countries,
        markers,
        key: placed.into_key(nowhere),
    }
}

/// How many countries the list under a light map names at least.
const LISTED: usize = 12;

/// The light map of `places`, drawing shapes from the sheet at `sheet`, with its list under
/// `heading` naming the countries `keep` says besides the first [`LISTED`].
pub fn light_map(
    places: Places,
    sheet: String,
    heading: String,
    keep: impl Fn(&ValueCount) -> bool,
) -> LightMap {
    let world = world();
    let nowhere = places.nowhere;
    let placed = place(places);
    let mut groups: Vec<ShadeGroup> = (1..=placed.scale.breaks.len())
        .map(|shade| ShadeGroup {
            shade,
            codes: Vec::new(),
        })
        .collect();
    for &(shape, row) in &placed.shaped {
        let shade = placed.scale.shade_of(placed.rows[row].count);
        groups[shade - 1].codes.push(&world.countries[shape].code);
    }
    groups.retain(|g| !g.codes.is_empty());
    let markers = placed
        .dotted
        .iter()
        .map(|&(marker, row)| LightMarker {
            x: world.markers[marker].x,
            y: world.markers[marker].y,
            shade: placed.scale.shade_of(placed.rows[row].count),
        })
        .collect();
    let listed: Vec<ValueCount> = placed
        .rows
        .iter()
        .enumerate()
        .filter(|&(i, row)| i < LISTED || keep(row))
        .map(|(_, row)| row.clone())
        .collect();
    LightMap {
        sheet,
        view: view_of_placed(&placed),
        heading,
        more: placed.rows.len() - listed.len(),
        listed,
        groups,
        markers,
        key: placed.into_key(nowhere),
    }
}

impl Placed {
    fn into_key(self, nowhere: usize) -> MapKey {
        MapKey {
            legend: self.scale.legend(),
            rows: self.rows,
            elsewhere: self.elsewhere,
            nowhere,
        }
    }

    fn shade(&self, row: usize) -> ShadedCountry {
        ShadedCountry {
            country: self.rows[row].clone(),
            shade: self.scale.shade_of(self.rows[row].count),
        }
    }
}

/// Counts in at most [`SHADES`] classes, each an inclusive range, lightest first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scale {
    breaks: Vec<(usize, usize)>,
}

impl Scale {
    /// Classes for `counts`: one per distinct count when there are few, else classes holding
    /// about as many countries each (quantiles), merged where they would repeat a count.
    fn of(counts: impl Iterator<Item = usize>) -> Scale {
        let mut sorted: Vec<usize> = counts.collect();
        sorted.sort_unstable();
        let mut distinct = sorted.clone();
        distinct.dedup();
        if distinct.len() <= SHADES {
            return Scale {
                breaks: distinct.iter().map(|&c| (c, c)).collect(),
            };
        }
        let mut breaks: Vec<(usize, usize)> = Vec::new();
        for class in 1..=SHADES {
            let upper = sorted[(sorted.len() * class).div_ceil(SHADES) - 1];
            let lower = breaks.last().map_or(sorted[0], |&(_, hi)| hi + 1);
            if upper >= lower {
                breaks.push((lower, upper));
            }
        }
        Scale { breaks }
    }

    /// The shade (1-based) of `count`.
    fn shade_of(&self, count: usize) -> usize {
        self.breaks
            .iter()
            .position(|&(_, hi)| count <= hi)
            .unwrap_or(self.breaks.len().saturating_sub(1))
            + 1
    }

    fn legend(&self) -> Vec<LegendEntry> {
        self.breaks
            .iter()
            .enumerate()
            .map(|(i, &(lo, hi))| LegendEntry {
                shade: i + 1,
                label: if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}–{hi}")
                },
            })
            .collect()
    }
}

/// A bar of the year chart, in the chart's coordinates.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// "2015", "2010–2014".
    pub label: String,
    pub count: usize,
}

/// A labelled mark on an axis.
#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

/// `years`: cases per year (or per bin of years) as bars.
#[derive(Debug, Clone, Serialize)]
pub struct YearChart {
    pub width: u32,
    pub height: u32,
    /// The plot's left edge and bottom (the axes).
    pub left: f64,
    pub bottom: f64,
    pub right: f64,
    pub top: f64,
    pub bars: Vec<Bar>,
    pub x_ticks: Vec<Tick>,
    pub y_ticks: Vec<Tick>,
    /// Years a bar stands for (1, 5, 10…).
    pub years_per_bar: i64,
    /// Cases with a year, and without one (left out of the chart).
    pub dated: usize,
    pub undated: usize,
}

// The year chart's drawing area: narrow enough that its 13px labels stay readable when a
// phone scales it down.
const CHART_WIDTH: u32 = 480;
const CHART_HEIGHT: u32 = 190;
const PLOT_LEFT: f64 = 44.0;
const PLOT_RIGHT: f64 = 472.0;
const PLOT_TOP: f64 = 10.0;
const PLOT_BOTTOM: f64 = 150.0;

/// The year chart of `cases`, or `None` when none of them has a year.
pub fn year_chart(all: &[Case], cases: impl Iterator<Item = usize>) -> Option<YearChart> {
    let mut per_year: std::collections::BTreeMap<i64, usize> = Default::default();
    let mut undated = 0;
    for case in cases {
        match all[case].year_of_record() {
            Some(year) => *per_year.entry(i64::from(year)).or_default() += 1,
            None => undated += 1,
        }
    }
    let (&first, _) = per_year.first_key_value()?;
    let (&last, _) = per_year.last_key_value()?;
    let years_per_bar = [1, 2, 5, 10, 20, 50, 100, 200]
        .into_iter()
        .find(|&bin| last.div_euclid(bin) - first.div_euclid(bin) < MAX_YEAR_BARS)
        .unwrap_or(1000);
    let start = first.div_euclid(years_per_bar);
    let bins = (last.div_euclid(years_per_bar) - start + 1) as usize;
    let mut counts = vec![0usize; bins];
    for (year, count) in &per_year {
        counts[(year.div_euclid(years_per_bar) - start) as usize] += count;
    }
    let label = |bin: usize| {
        let from = (start + bin as i64) * years_per_bar;
        match years_per_bar {
            1 => from.to_string(),
            n => format!("{from}–{}", from + n - 1),
        }
    };
    let max = counts.iter().copied().max().unwrap_or(1).max(1);
    let slot = (PLOT_RIGHT - PLOT_LEFT) / bins as f64;
    let gap = if bins > 1 { slot * 0.2 } else { 0.0 };
    let bar_width = (slot - gap).min(60.0);
    let plot_height = PLOT_BOTTOM - PLOT_TOP;
    let bars = counts
        .iter()
        .enumerate()
        .map(|(bin, &count)| {
            let height = plot_height * count as f64 / max as f64;
            Bar {
                x: round(PLOT_LEFT + slot * bin as f64 + (slot - bar_width) / 2.0),
                y: round(PLOT_BOTTOM - height),
                width: round(bar_width),
                height: round(height),
                label: label(bin),
                count,
            }
        })
        .collect();
    // About six labels on the year axis, evenly spaced, always the first and last; a label
    // nearer the last than the labels' spacing is left out, or the two would run together
    // ("20202021" on a phone).
    let every = bins.div_ceil(6).max(1);
    let x_ticks = (0..bins)
        .filter(|&bin| bin % every == 0 || bin + 1 == bins)
        .filter(|&bin| bin + 1 == bins || bins - 1 - bin >= every)
        .map(|bin| Tick {
            at: round(PLOT_LEFT + slot * (bin as f64 + 0.5)),
            label: ((start + bin as i64) * years_per_bar).to_string(),
        })
        .collect();
    let y_ticks = [0, max.div_ceil(2), max]
        .into_iter()
        .filter(|&n| n == 0 || n == max || max >= 4)
        .map(|n| Tick {
            at: round(PLOT_BOTTOM - plot_height * n as f64 / max as f64),
            label: n.to_string(),
        })
        .collect();
    Some(YearChart {
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        left: PLOT_LEFT,
        bottom: PLOT_BOTTOM,
        right: PLOT_RIGHT,
        top: PLOT_TOP,
        bars,
        x_ticks,
        y_ticks,
        years_per_bar,
        dated: per_year.values().sum(),
        undated,
    })
}

/// `themes_chart`: the themes with most cases, each with a bar's length.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeChart {
    pub bars: Vec<ThemeBar>,
    /// How many themes there are in all (the chart shows at most [`CHART_THEMES`]).
    pub total: usize,
}

/// A theme on the themes chart.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeBar {
    /// The theme's name, shortened to [`LABEL_CHARS`].
    pub label: String,
    pub url: String,
    pub count: usize,
    /// The bar's length, in percent of the longest.
    pub percent: f64,
}

/// The chart of the themes with most cases, each linking to `url_of(value)`; `None` when no
/// case has a theme.
pub fn theme_chart(library: &Library, url_of: impl Fn(usize) -> String) -> Option<ThemeChart> {
    let values = library.values(Facet::Theme);
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        values[b]
            .cases
            .len()
            .cmp(&values[a].cases.len())
            .then_with(|| {
                values[a]
                    .name
                    .to_lowercase()
                    .cmp(&values[b].name.to_lowercase())
            })
    });
    order.truncate(CHART_THEMES);
    let max = values.get(*order.first()?)?.cases.len().max(1);
    let bars = order
        .iter()
        .map(|&value| {
            let count = values[value].cases.len();
            ThemeBar {
                label: crate::markdown::truncate_words(&values[value].name, LABEL_CHARS),
                url: url_of(value),
                count,
                percent: round(100.0 * count as f64 / max as f64).max(1.0),
            }
        })
        .collect();
    Some(ThemeChart {
        bars,
        total: values.len(),
    })
}

/// Coordinates to a tenth of a unit: enough for a screen, short in the page.
fn round(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(list: &[(&str, usize)]) -> Vec<ValueCount> {
        list.iter()
            .map(|&(name, count)| ValueCount {
                name: name.to_string(),
                url: format!("countries/{name}/"),
                count,
                description: None,
            })
            .collect()
    }

    #[test]
    fn the_embedded_map_has_the_countries_cases_name() {
        let world = world();
        assert!(world.countries.len() > 150);
        for code in ["GB", "US", "BR", "IN", "FR", "TR"] {
            assert!(world.countries.iter().any(|s| s.code == code), "{code}");
        }
        for code in ["MT", "SM", "AD"] {
            assert!(world.markers.iter().any(|m| m.code == code), "{code}");
        }
        assert!(WORLD.len() < 150_000);
    }

    #[test]
    fn few_counts_get_a_shade_each_and_many_get_quantiles() {
        let few = Scale::of([1, 3, 3, 8].into_iter());
        assert_eq!(few.breaks, vec![(1, 1), (3, 3), (8, 8)]);
        assert_eq!(few.shade_of(8), 3);
        let many = Scale::of((1..=100).chain([10_000]));
        assert_eq!(many.breaks.len(), SHADES);
        assert_eq!(many.breaks[0].0, 1);
        assert_eq!(many.breaks[SHADES - 1].1, 10_000);
        for pair in many.breaks.windows(2) {
            assert_eq!(pair[0].1 + 1, pair[1].0);
        }
        assert_eq!(many.shade_of(1), 1);
        assert_eq!(many.shade_of(10_000), SHADES);
        // Skewed counts never repeat a class.
        let skewed = Scale::of([1, 1, 1, 1, 1, 1, 1, 2, 50].into_iter());
        assert!(skewed.breaks.windows(2).all(|p| p[0].1 < p[1].0));
        assert_eq!(Scale::of(std::iter::empty()).breaks, vec![]);
    }

    #[test]
    fn places_that_are_no_country_are_listed_beside_the_map() {
        let map = full_map(Places {
            countries: counts(&[("United Kingdom", 5), ("Malta", 2), ("Atlantis", 1)]),
            regions: counts(&[("European Union", 3)]),
            nowhere: 4,
        });
        assert_eq!(map.key.nowhere, 4);
        assert_eq!(map.key.rows.len(), 2);
        assert_eq!(map.key.rows[0].name, "United Kingdom");
        assert_eq!(map.markers.len(), 1);
        assert_eq!(map.markers[0].country.country.name, "Malta");
        let shaded: Vec<&str> = map
            .countries
            .iter()
            .filter_map(|c| c.cases.as_ref().map(|s| s.country.name.as_str()))
            .collect();
        assert_eq!(shaded, ["United Kingdom"]);
        let elsewhere: Vec<&str> = map.key.elsewhere.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(elsewhere, ["Atlantis", "European Union"]);
        let places = Places {
            countries: counts(&[("United Kingdom", 5), ("Brazil", 1)]),
            ..Places::default()
        };
        let light = light_map(places, "m".into(), "From".into(), |_| false);
        assert_eq!(light.groups.len(), 2);
        assert_eq!(light.groups[1].codes, ["GB"]);
    }

    #[test]
    fn a_map_zooms_to_the_main_part_of_its_countries() {
        assert_eq!(integers("M10 5l3-2 4 1"), [10.0, 5.0, 3.0, -2.0, 4.0, 1.0]);
        assert_eq!(
            main_ring_extent("M0 0l1 0 0 1z M10 10l5 0 0 5 -5 0z"),
            [10.0, 10.0, 15.0, 15.0]
        );
        let world = world();
        let index = |code: &str| world.countries.iter().position(|s| s.code == code).unwrap();
        let numbers = |view: &View| -> Vec<f64> {
            view.viewbox
                .split(' ')
                .map(|n| n.parse().unwrap())
                .collect()
        };
        // The United Kingdom alone: a view of 30 % of the world's width around it.
        let uk = world.extents[index("GB")];
        let view = numbers(&view_of([uk].into_iter()));
        assert_eq!(view[2], (MIN_VIEW * f64::from(world.width)).round());
        assert!(
            view[0] <= uk[0] && view[0] + view[2] >= uk[2],
            "{view:?} holds {uk:?}"
        );
        // The United States: the box of the 48 states, not of Alaska and Hawaii too.
        let us = world.extents[index("US")];
        assert!(us[2] - us[0] < 0.25 * f64::from(world.width), "{us:?}");
        // Nothing, or the whole world: the whole world, in its proportions.
        let all = format!("0 0 {} {}", world.width, world.height);
        assert_eq!(view_of(std::iter::empty()).viewbox, all);
        let everything = (0..world.countries.len()).map(|i| world.extents[i]);
        assert_eq!(view_of(everything).viewbox, all);
    }

    #[test]
    fn long_spans_of_years_are_counted_in_bins() {
        use crate::content::Case;
        let mut cases = Vec::new();
        for year in [1850, 1990, 2001, 2001, 2024] {
            cases.push(Case {
                year: Some(year),
                ..Case::default()
            });
        }
        cases.push(Case::default());
        let chart = year_chart(&cases, 0..cases.len()).unwrap();
        assert_eq!(chart.years_per_bar, 5);
        assert_eq!(chart.dated, 5);
        assert_eq!(chart.undated, 1);
        assert_eq!(chart.bars.iter().map(|b| b.count).sum::<usize>(), 5);
        assert_eq!(chart.bars[0].label, "1850–1854");
        assert!(chart.bars.len() as i64 <= MAX_YEAR_BARS);
        let one = year_chart(&cases, [2].into_iter()).unwrap();
        assert_eq!(one.bars.len(), 1);
        assert_eq!(one.bars[0].label, "2001");
        assert!(year_chart(&cases, [5].into_iter()).is_none());
    }

    #[test]
    fn the_year_axis_labels_stand_at_least_their_spacing_apart() {
        use crate::content::Case;
        let labels = |first: i32, last: i32| {
            let cases: Vec<Case> = (first..=last)
                .map(|year| Case {
                    year: Some(year),
                    ..Case::default()
                })
                .collect();
            let chart = year_chart(&cases, 0..cases.len()).unwrap();
            let ticks: Vec<String> = chart.x_ticks.into_iter().map(|t| t.label).collect();
            ticks
        };
        // Twelve years, a label every other year: 2020 would stand next to 2021.
        assert_eq!(
            labels(2010, 2021),
            ["2010", "2012", "2014", "2016", "2018", "2021"]
        );
        assert_eq!(labels(2010, 2022), ["2010", "2013", "2016", "2019", "2022"]);
        assert_eq!(labels(2019, 2021), ["2019", "2020", "2021"]);
        assert_eq!(labels(2020, 2020), ["2020"]);
    }
}
