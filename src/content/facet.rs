//! The facets a case is classified by, and the slugs of their values.

use serde::Serialize;

/// How many facets there are: the length of every per-facet array.
pub const FACETS: usize = 5;

/// One of the ways practitioners browse cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Facet {
    /// What the case is about, e.g. "co-production".
    Theme,
    /// Where it happened, e.g. "North West England".
    Region,
    /// Who did it, e.g. "Oldham Big Local".
    Organisation,
    /// How it was done, e.g. "participatory budgeting".
    Approach,
    /// Where, as a country made canonical by [`super::countries`], e.g. "United Kingdom".
    Country,
}

impl Facet {
    /// All facets, in the order pages show them.
    pub const ALL: [Facet; FACETS] = [
        Facet::Theme,
        Facet::Region,
        Facet::Organisation,
        Facet::Approach,
        Facet::Country,
    ];

    /// The front matter key, e.g. `theme`.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Theme => "theme",
            Facet::Region => "region",
            Facet::Organisation => "organisation",
            Facet::Approach => "approach",
            Facet::Country => "country",
        }
    }

    /// Whether a case is expected to give the facet (a case without it is warned about):
    /// all but the country, which a region often says already.
    pub fn expected(self) -> bool {
        self != Facet::Country
    }

    /// A heading for one value, e.g. "Theme".
    pub fn label(self) -> &'static str {
        match self {
            Facet::Theme => "Theme",
            Facet::Region => "Region",
            Facet::Organisation => "Organisation",
            Facet::Approach => "Approach",
            Facet::Country => "Country",
        }
    }

    /// A heading for the list of values, e.g. "Themes".
    pub fn plural_label(self) -> &'static str {
        match self {
            Facet::Theme => "Themes",
            Facet::Region => "Regions",
            Facet::Organisation => "Organisations",
            Facet::Approach => "Approaches",
            Facet::Country => "Countries",
        }
    }

    /// Position in [`Facet::ALL`], for per-facet arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The facet whose front matter key is `key`.
    pub fn from_key(key: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// The longest slug; longer ones are cut and given a hash of the whole, because file
/// systems limit a name to 255 bytes and long values (a list of agencies) do occur.
const MAX_SLUG: usize = 80;

/// A readable ASCII slug: `Seinäjoki care` → `seinajoki-care`.
///
/// Deterministic and Unicode-aware (transliterated by `deunicode`); empty when the text has
/// no letters or digits, which callers must treat as an error.
/// A slug that Windows reserves for a device (`con`, `nul`, `com1` …) gets `-1` appended,
/// so the site can be copied to any file system.
pub fn slugify(text: &str) -> String {
    let slug = full_slug(text);
    if slug.len() <= MAX_SLUG {
        return if is_reserved_name(&slug) {
            format!("{slug}-1")
        } else {
            slug
        };
    }
    let head = &slug[..MAX_SLUG - 9];
    let head = head.rsplit_once('-').map_or(head, |(h, _)| h);
    format!("{head}-{:08x}", fnv1a(slug.as_bytes()) as u32)
}

/// Names Windows cannot create a file or folder with (also with any extension: `con.html`).
pub fn is_reserved_name(part: &str) -> bool {
    let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
    let numbered = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    };
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul") || numbered("com") || numbered("lpt")
}

/// A small stable hash (FNV-1a), the same on every platform and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn full_slug(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_dash = false;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(ch.to_ascii_lowercase());
        } else if ch != '\'' && ch != '’' {
            // Apostrophes join ("Oldham's" → "oldhams"); anything else separates words.
            pending_dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_ascii() {
        assert_eq!(slugify("Seinäjoki care"), "seinajoki-care");
        assert_eq!(
            slugify("Oldham Big Local's decision day"),
            "oldham-big-locals-decision-day"
        );
        assert_eq!(slugify("co-production"), "co-production");
        assert_eq!(slugify("  São Paulo -- (PB) "), "sao-paulo-pb");
        assert_eq!(slugify("../../etc/x"), "etc-x");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(slugify("Rønne"), "ronne");
        assert_eq!(slugify("CON"), "con-1", "a name Windows reserves");
        assert_eq!(slugify("lpt9"), "lpt9-1");
        assert_eq!(slugify("console"), "console");
    }

    #[test]
    fn long_slugs_are_cut_and_stay_distinct() {
        let a = slugify(&"public prosecutors office ".repeat(10));
        let b = slugify(&format!("{} x", "public prosecutors office ".repeat(10)));
        assert!(a.len() <= MAX_SLUG, "{a}");
        assert_ne!(a, b);
        assert!(a.starts_with("public-prosecutors-office-"));
    }

    #[test]
    fn facet_keys_round_trip() {
        for facet in Facet::ALL {
            assert_eq!(Facet::from_key(facet.key()), Some(facet));
        }
    }
}
