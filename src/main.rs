//! The `casebook` command line: parses arguments, calls the library, prints the outcome.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use casebook::report;
use casebook::{BuildOptions, Error, ExitKind, NewCase, SearchRequest, SearchResults};

// Building allocates many small strings from several threads at once; mimalloc's
// per-thread heaps make that markedly cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build a browsable, searchable website from a folder of Markdown case studies.
///
/// A knowledge base is a folder with content/_site.yaml (settings), content/_taxonomy.yaml
/// (allowed facet values) and content/cases/**/*.md (one case study per file).
#[derive(Parser)]
#[command(name = "casebook", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// List every warning, also those many files share (shown once otherwise).
    #[arg(long, global = true)]
    verbose: bool,
}

#[derive(Args)]
struct Root {
    /// The knowledge base folder (the one holding content/).
    #[arg(long, value_name = "DIR", default_value = ".", global = true)]
    root: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Check every case, then write the website (public/ by default).
    ///
    /// The site is written to a new folder and swapped in only when everything succeeded,
    /// so a failed build leaves the previous site untouched.
    Build {
        #[command(flatten)]
        root: Root,
        /// Where to write the site [default: ROOT/public].
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The address the site will be deployed at, e.g. https://example.org/kb/
        /// (overrides base_url in _site.yaml).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Publish cases marked `draft: true` too.
        #[arg(long)]
        drafts: bool,
        /// Fail on warnings too: write nothing unless there is no problem at all.
        #[arg(long)]
        strict: bool,
    },
    /// Check every case and list every problem, without writing anything.
    Check {
        #[command(flatten)]
        root: Root,
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long)]
        strict: bool,
        /// Also print a data-quality report of the collection (on stdout): how many cases
        /// give each field, near-duplicate values, unused vocabulary, summaries repeating
        /// the text, cases due for review.
        #[arg(long)]
        report: bool,
        /// Print the report as JSON.
        #[arg(long, requires = "report")]
        json: bool,
    },
    /// Start a new case: writes content/cases/<slug>.md with front matter to fill in.
    New {
        #[command(flatten)]
        root: Root,
        /// The case's title, in quotes: "Oldham Big Local's decision day".
        title: String,
        /// A theme, e.g. "co-production" (repeat for more).
        #[arg(long, value_name = "T")]
        theme: Vec<String>,
        /// A region, e.g. "North West England" (repeat for more).
        #[arg(long, value_name = "R")]
        region: Vec<String>,
        /// The organisation (repeat for more).
        #[arg(long, value_name = "O")]
        organisation: Vec<String>,
        /// An approach, e.g. "participatory budgeting" (repeat for more).
        #[arg(long, value_name = "A")]
        approach: Vec<String>,
        /// The country, e.g. "United Kingdom" (repeat for more).
        #[arg(long, value_name = "C")]
        country: Vec<String>,
        /// A sub-folder of content/cases/ to put it in.
        #[arg(long, value_name = "FOLDER")]
        folder: Option<String>,
        /// Mark it as a draft (published only with --drafts).
        #[arg(long)]
        draft: bool,
        /// Write facet values that content/_taxonomy.yaml does not list.
        #[arg(long)]
        force: bool,
    },
    /// Search the cases from the terminal, using the index of the last build.
    ///
    /// Words must all match (stems and accents are ignored: `budgets` finds budgeting,
    /// `Seinajoki` finds Seinäjoki); "quoted words" must stand together; synonyms from
    /// _taxonomy.yaml count as their value. A misspelt word (`peple`) is searched as the
    /// collection's nearest words; when no case has every word, the cases with most of them
    /// are shown. Filters of one facet are alternatives; filters of different facets must all
    /// hold. The browser's search page gives the same answers.
    Search {
        #[command(flatten)]
        root: Root,
        /// What to look for, e.g. "older people" or '"participatory budgeting" Oldham'; leave
        /// it out to list the cases the filters allow.
        #[arg(default_value = "")]
        query: String,
        /// Only cases with this theme (repeat for any of several).
        #[arg(long, value_name = "T")]
        theme: Vec<String>,
        /// Only cases in this region (repeat for any of several).
        #[arg(long, value_name = "R")]
        region: Vec<String>,
        /// Only cases by this organisation (repeat for any of several).
        #[arg(long, value_name = "O")]
        organisation: Vec<String>,
        /// Only cases with this approach (repeat for any of several).
        #[arg(long, value_name = "A")]
        approach: Vec<String>,
        /// Only cases from this country (repeat for any of several).
        #[arg(long, value_name = "C")]
        country: Vec<String>,
        /// Only cases of these years: `2010..2015`, `2010..` or `..2015` (both ends included);
        /// cases without a year are then left out.
        #[arg(long, value_name = "FROM..TO", value_parser = parse_years)]
        year: Option<casebook::Years>,
        /// The order of the results [default: relevance with a query, newest without].
        #[arg(long, value_name = "SORT", value_parser = parse_sort)]
        sort: Option<casebook::Sort>,
        /// How many results to show.
        #[arg(long, short = 'n', default_value_t = 10)]
        limit: usize,
        /// Treat the last word as unfinished, as the search page does while you type: it also
        /// matches the collection's words that begin with it.
        #[arg(long)]
        prefix: bool,
        /// Search the words exactly as typed: no corrections.
        #[arg(long)]
        exact: bool,
        /// Print the results as JSON (the README describes the fields), best first.
        #[arg(long)]
        json: bool,
    },
    /// Preview the site: build it, serve it, and rebuild what changed as you save.
    ///
    /// Pages reload by themselves after each change. When a save breaks a file, the last good
    /// site stays served and every open page shows the error until the file is fixed.
    Serve {
        #[command(flatten)]
        root: Root,
        /// The port to listen on (the next free one is used when it is taken; 0: any).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; other machines can reach the preview only if you
        /// give one of this machine's network addresses (or 0.0.0.0).
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        bind: std::net::IpAddr,
        /// Open the site in your browser.
        #[arg(long)]
        open: bool,
        /// Show cases marked `draft: true` too.
        #[arg(long)]
        drafts: bool,
        /// A name of this machine that browsers may use to reach the preview (e.g.
        /// `laptop.local`, with `--bind`); repeatable. Requests naming any other host than
        /// the address served are refused, so that no other web site can read the preview.
        #[arg(long = "host", value_name = "NAME")]
        hosts: Vec<String>,
    },
    /// Print the JSON Schema (draft 2020-12) of a case's front matter, made from the settings
    /// and the vocabulary: for editors whose tools check YAML against a schema.
    Schema {
        #[command(flatten)]
        root: Root,
        /// Require the four expected facets, as `check --strict` does.
        #[arg(long)]
        strict: bool,
    },
    /// Print the editing form's settings (admin/config.yml) that a build writes when
    /// `_site.yaml` enables `cms:`.
    Cms {
        #[command(flatten)]
        root: Root,
    },
    /// Create a new knowledge base in DIR with settings, an example case and the default theme.
    Init {
        /// The folder to create it in (created if missing).
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command, cli.verbose) {
        Ok(code) => code,
        Err(error) => {
            report_error(&error, cli.verbose);
            ExitCode::from(error.exit_kind().code())
        }
    }
}

/// Runs one command; a check that finds problems has run well, and says so by its code.
fn run(command: Command, verbose: bool) -> Result<ExitCode, Error> {
    match command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            strict,
        } => {
            let options = BuildOptions {
                root: root.root,
                output,
                base_url,
                drafts,
                progress: std::io::stderr().is_terminal(),
                strict,
            };
            let report = casebook::build(&options)?;
            report::eprint(&report.warnings, verbose);
            if report.leftovers_removed > 0 {
                eprintln!(
                    "removed {:.1} MB that stopped builds had left beside the output",
                    report.leftovers_removed as f64 / 1e6
                );
            }
            let warnings = match report.warnings.warning_count() {
                0 => String::new(),
                1 => ", with 1 warning (above)".to_string(),
                n => format!(", with {n} warnings (above)"),
            };
            if report.combinations_left_out > 0 {
                eprintln!(
                    "made the {} theme × country lists with most cases, the limit; {} more \
                     pairs share enough cases for one (raise `combinations: limit:` in \
                     content/_site.yaml to make them)",
                    report.combination_limit, report.combinations_left_out
                );
            }
            eprintln!(
                "built {} cases ({} files, {} theme × country lists) into {} in {:.2?}{warnings}",
                report.cases,
                report.files,
                report.combinations,
                report.output.display(),
                report.elapsed
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            root,
            drafts,
            strict,
            report: with_report,
            json,
        } => {
            let diagnostics = if with_report {
                let today = chrono::Local::now().date_naive();
                let (diagnostics, quality) =
                    casebook::check_with_report(&root.root, drafts, today)?;
                match quality {
                    Some(quality) if json => emit(&format!("{}\n", quality.to_json())),
                    Some(quality) => emit(&quality.to_string()),
                    None => eprintln!("no report: the settings above must be put right first"),
                }
                diagnostics
            } else {
                casebook::check(&root.root, drafts)?
            };
            report::eprint(&diagnostics, verbose);
            if diagnostics.fail(strict) {
                eprintln!("{}", report::failure_summary(&diagnostics));
                return Ok(ExitCode::from(ExitKind::Content.code()));
            }
            eprintln!("no errors ({} warnings)", diagnostics.warning_count());
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            root,
            title,
            theme,
            region,
            organisation,
            approach,
            country,
            folder,
            draft,
            force,
        } => {
            let new = NewCase {
                title,
                facets: [theme, region, organisation, approach, country],
                folder,
                draft,
                force,
            };
            let path = casebook::new_case(&root.root, &new)?;
            emit(&format!("{}\n", path.display()));
            eprintln!(
                "created {}: fill in its front matter, then run `casebook check`",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            root,
            query,
            theme,
            region,
            organisation,
            approach,
            country,
            year,
            sort,
            limit,
            prefix,
            exact,
            json,
        } => {
            let request = SearchRequest {
                query,
                filters: [theme, region, organisation, approach, country],
                limit,
                prefix,
                exact,
                sort,
                years: year.unwrap_or_default(),
            };
            let results = casebook::search(&root.root, &request)?;
            if json {
                emit(&(serde_json::to_string_pretty(&results).expect("plain data") + "\n"));
            } else {
                emit(&format_results(&results));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            hosts,
        } => {
            casebook::serve(&casebook::ServeOptions {
                root: root.root,
                port,
                bind,
                open,
                drafts,
                hosts,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { root, strict } => {
            let (schema, warnings) = casebook::schema(&root.root, strict)?;
            report::eprint(&warnings, verbose);
            emit(&schema);
            Ok(ExitCode::SUCCESS)
        }
        Command::Cms { root } => {
            emit(&casebook::cms_config(&root.root)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            casebook::init(&dir)?;
            eprintln!(
                "created a knowledge base in {}: try `casebook build --root {}`",
                dir.display(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--year FROM..TO`, either end optional.
fn parse_years(text: &str) -> Result<casebook::Years, String> {
    let (from, to) = text.split_once("..").unwrap_or((text, text));
    let year = |end: &str| -> Result<Option<i32>, String> {
        let end = end.trim();
        if end.is_empty() {
            return Ok(None);
        }
        end.parse::<i32>()
            .map(Some)
            .map_err(|_| format!("`{end}` is not a year: write e.g. 2010..2015"))
    };
    let years = casebook::Years {
        from: year(from)?,
        to: year(to)?,
    };
    if !years.is_set() {
        return Err("give a year at one end at least, e.g. 2010..2015".into());
    }
    if let (Some(from), Some(to)) = (years.from, years.to) {
        if from > to {
            return Err(format!(
                "{from} is after {to}: write the earlier year first, e.g. {to}..{from}"
            ));
        }
    }
    Ok(years)
}

/// `--sort relevance|newest|oldest|title`.
fn parse_sort(text: &str) -> Result<casebook::Sort, String> {
    casebook::Sort::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = casebook::Sort::ALL.iter().map(|s| s.name()).collect();
        format!("`{text}` is not a sort: choose one of {}", names.join(", "))
    })
}

/// Writes to stdout; a reader that stops early (`| head`) is not an error.
fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// A readable list: what was searched, then rank, title, score and address, then the snippet
/// with matches marked.
fn format_results(results: &SearchResults) -> String {
    let mut out = String::new();
    if let Some(corrected) = &results.corrected {
        out.push_str(&format!(
            "Showing results for {corrected:?} (search instead for {:?} with --exact)\n",
            results.query
        ));
    }
    if results.undated > 0 {
        out.push_str(&format!(
            "{} without a year left out by --year.\n",
            if results.undated == 1 {
                "1 case".to_string()
            } else {
                format!("{} cases", results.undated)
            }
        ));
    }
    if results.total == 0 {
        out.push_str(&format!("No cases match {:?}.\n", results.query));
        return out;
    }
    if let Some(partial) = &results.partial {
        let lacking = if partial.words == 2 {
            "both words".to_string()
        } else {
            format!("all {} words", partial.words)
        };
        out.push_str(&format!(
            "No case has {lacking}; {} {} {} of them.\n",
            partial.cases,
            if partial.cases == 1 {
                "case has"
            } else {
                "cases have"
            },
            partial.best
        ));
    }
    out.push('\n');
    let bold = std::io::stdout().is_terminal();
    for (rank, hit) in results.hits.iter().enumerate() {
        out.push_str(&format!(
            "{:>3}. {}  ({:.2})\n     {}\n",
            rank + 1,
            hit.title,
            hit.score,
            hit.url
        ));
        if results.partial.is_some() {
            out.push_str(&format!("     has: {}\n", hit.matched.join(", ")));
        }
        if let Some(snippet) = &hit.snippet {
            let mut line = String::new();
            let mut at = 0;
            for range in &snippet.highlights {
                line.push_str(&snippet.text[at..range.start]);
                let word = &snippet.text[range.clone()];
                line.push_str(&if bold {
                    format!("\x1b[1m{word}\x1b[0m")
                } else {
                    format!("*{word}*")
                });
                at = range.end;
            }
            line.push_str(&snippet.text[at..]);
            out.push_str(&format!(
                "     {}\n",
                line.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    let plural = if results.total == 1 { "" } else { "s" };
    out.push_str(&format!(
        "\n{} of {} matching case{plural}\n",
        results.hits.len(),
        results.total
    ));
    out
}

/// Prints why a command failed: its diagnostics as compilers show them, or one line.
fn report_error(error: &Error, verbose: bool) {
    match error.diagnostics() {
        Some(diagnostics) => {
            report::eprint(&diagnostics, verbose);
            eprintln!(
                "{}: nothing was written",
                report::failure_summary(&diagnostics)
            );
        }
        None => eprintln!("error: {error}"),
    }
}
