//! The values templates see. Field names here are the theme's contract: keep them stable.

use serde::Serialize;

/// `site`: settings every page needs.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub title: String,
    pub description: String,
    pub language: String,
    /// Absolute, ending with `/`.
    pub base_url: String,
    /// The path part of `base_url`, e.g. `/kb/`; every site link starts with it.
    pub base_path: String,
    pub case_count: usize,
}

/// One entry of `nav`: a facet and the address of its index page.
#[derive(Debug, Clone, Serialize)]
pub struct FacetContext {
    pub key: &'static str,
    pub label: &'static str,
    pub plural_label: &'static str,
    pub url: String,
}

/// `page`: what this page is.
#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    pub title: String,
    pub description: String,
    /// Absolute canonical URL.
    pub url: String,
    pub kind: &'static str,
}

/// A facet value as a link.
#[derive(Debug, Clone, Serialize)]
pub struct ValueLink {
    pub name: String,
    pub url: String,
}

/// A facet value with its number of cases.
#[derive(Debug, Clone, Serialize)]
pub struct ValueCount {
    pub name: String,
    pub url: String,
    pub count: usize,
    pub description: Option<String>,
}

/// `combinations`: links to theme × country pages, e.g. "co-production by country".
#[derive(Debug, Clone, Serialize)]
pub struct CombinationList {
    pub heading: String,
    pub links: Vec<ValueCount>,
}

/// The values one case has for one facet.
#[derive(Debug, Clone, Serialize)]
pub struct CaseFacet {
    pub facet: FacetContext,
    pub values: Vec<ValueLink>,
}

/// A case in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub year: Option<i32>,
    pub facets: Vec<CaseFacet>,
}

/// A related case and why it is related.
#[derive(Debug, Clone, Serialize)]
pub struct RelatedCard {
    #[serde(flatten)]
    pub card: Card,
    pub reason: String,
    /// The compare page with this case beside the one whose page lists it.
    pub compare_url: String,
}

/// A source of a case.
#[derive(Debug, Clone, Serialize)]
pub struct SourceContext {
    pub title: String,
    pub url: Option<String>,
}

/// `case` on a case page.
#[derive(Debug, Clone, Serialize)]
pub struct CaseContext {
    pub slug: String,
    pub title: String,
    pub url: String,
    pub summary: String,
    pub year: Option<i32>,
    pub date: Option<String>,
    /// The countries, joined (themes made before the country facet show this).
    pub country: Option<String>,
    pub image: Option<String>,
    pub body_html: String,
    pub sources: Vec<SourceContext>,
    pub facets: Vec<CaseFacet>,
    /// The headings of the page's own sections, none repeating a heading of the body.
    pub headings: GeneratedHeadings,
}

/// The headings of the sections a case page adds below its body.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedHeadings {
    /// Over the case's sources: "Sources".
    pub sources: &'static str,
    /// Over the related cases: "Related cases".
    pub related: &'static str,
    /// Over the citation: "Cite this case".
    pub cite: &'static str,
}

/// `cite` on a case page: its APA reference and the files to download.
#[derive(Debug, Clone, Serialize)]
pub struct CitationContext {
    /// The reference, with the title in italics.
    pub html: String,
    /// The same as text, to copy.
    pub text: String,
    /// BibTeX, RIS and CSL-JSON.
    pub downloads: Vec<DownloadContext>,
}

/// A file to download: its format's name and address.
#[derive(Debug, Clone, Serialize)]
pub struct DownloadContext {
    pub name: &'static str,
    pub url: String,
}

impl GeneratedHeadings {
    /// Headings that no heading of `body` repeats (an author's own "Related cases" section
    /// is common): each the first of its choices the body does not use.
    pub fn beside(body: &[String]) -> GeneratedHeadings {
        let taken = |heading: &str| body.iter().any(|b| b.trim().eq_ignore_ascii_case(heading));
        let first_free = |choices: &[&'static str]| {
            choices
                .iter()
                .copied()
                .find(|c| !taken(c))
                .unwrap_or(choices[choices.len() - 1])
        };
        GeneratedHeadings {
            sources: first_free(&[
                "Sources",
                "Sources of this case",
                "Where this case comes from",
            ]),
            related: first_free(&[
                "Related cases",
                "More cases like this",
                "Other cases to read",
            ]),
            cite: first_free(&["Cite this case", "How to cite this case"]),
        }
    }
}

/// One facet's values for browsing, most used first.
#[derive(Debug, Clone, Serialize)]
pub struct BrowseFacet {
    pub facet: FacetContext,
    pub values: Vec<ValueCount>,
    pub total: usize,
}

/// One page link in a pagination block.
#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out between this one and the one shown before it.
    pub gap_before: bool,
}

/// `pagination` on paginated lists.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub pages: Vec<PageLink>,
}

/// `feed` in feed.xml.
#[derive(Debug, Clone, Serialize)]
pub struct FeedContext {
    pub id: String,
    pub title: String,
    pub self_url: String,
    pub site_url: String,
    pub updated: String,
    pub author: String,
}

/// One entry of feed.xml.
#[derive(Debug, Clone, Serialize)]
pub struct FeedEntry {
    pub id: String,
    pub title: String,
    pub url: String,
    pub updated: String,
    pub summary: String,
    pub categories: Vec<String>,
}

/// One URL of sitemap.xml.
#[derive(Debug, Clone, Serialize)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
}
