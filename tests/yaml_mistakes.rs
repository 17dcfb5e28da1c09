//! The layout mistakes editors make in front matter, one row each: `casebook check` must
//! point at the line and column of the mistake with the right advice, and the file, with
//! that advice applied, must then pass with nothing reported.

use crate::common;

use common::Kb;

const CASE: &str = "content/cases/meals.md";

/// A case that passes: each mistake is made in a copy of it.
const GOOD: &str = "---
title: Food Train meals
theme:
  - co-production
  - participatory budgeting
region: Scotland
organisation: Food Train
approach: volunteering
sources:
  - title: A report
    url: https://example.org/report
---
Volunteers delivered meals.
";

/// One mistake: the text it replaces in [`GOOD`], what must be reported, and the advice
/// applied (a replacement in the broken file).
struct Mistake {
    name: &'static str,
    broken: (&'static str, &'static str),
    line: usize,
    column: usize,
    severity: &'static str,
    message: &'static str,
    help: &'static str,
    advice_applied: (&'static str, &'static str),
}

const MISTAKES: &[Mistake] = &[
    Mistake {
        name: "a tab before a key",
        broken: ("region:", "\tregion:"),
        line: 6,
        column: 1,
        severity: "error",
        message: "a tab is used here; YAML is indented with spaces only",
        help: "remove the tab at the start of the line",
        advice_applied: ("\tregion:", "region:"),
    },
    Mistake {
        name: "a tab indenting a source's key",
        broken: ("    url:", "\turl:"),
        line: 11,
        column: 1,
        severity: "error",
        message: "a tab is used here; YAML is indented with spaces only",
        help: "indent the line with 4 spaces instead of the tab",
        advice_applied: ("\turl:", "    url:"),
    },
    Mistake {
        name: "a key indented more than the key above",
        broken: ("    url:", "     url:"),
        line: 11,
        column: 6,
        severity: "error",
        message: "`url:` is indented more than `title:` above it, so it reads as part of that value",
        help: "line `url:` up with `title:`: indent it by 4 spaces instead of 5",
        advice_applied: ("     url:", "    url:"),
    },
    Mistake {
        name: "a key indented less than the key above",
        broken: ("    url:", "   url:"),
        line: 11,
        column: 4,
        severity: "error",
        message: "`url:` is indented less than `title:` above it",
        help: "line `url:` up with `title:`: indent it by 4 spaces instead of 3",
        advice_applied: ("   url:", "    url:"),
    },
    Mistake {
        name: "a key under a list item lined up with its dash",
        broken: ("    url:", "  url:"),
        line: 11,
        column: 3,
        severity: "error",
        message: "`url:` is lined up with the `-` above it, not with `title:`, so it is not part of that item",
        help: "line `url:` up with `title:`: indent it by 4 spaces instead of 2",
        advice_applied: ("  url:", "    url:"),
    },
    Mistake {
        name: "a top-level key indented after a list",
        broken: ("region:", " region:"),
        line: 6,
        column: 2,
        severity: "error",
        message: "`region:` is indented more than `theme:` above it",
        help: "line `region:` up with `theme:`: start it at the beginning of the line",
        advice_applied: (" region:", "region:"),
    },
    Mistake {
        name: "a list item indented too far",
        broken: ("  - participatory", "    - participatory"),
        line: 5,
        column: 5,
        severity: "error",
        message: "`- participatory budgeting` is indented further than the `-` above it, so it reads as part of `co-production`",
        help: "line up its `-` with the `-` of `co-production` above it",
        advice_applied: ("    - participatory", "  - participatory"),
    },
    Mistake {
        name: "no space after a colon",
        broken: ("region: Scotland", "region:Scotland"),
        line: 6,
        column: 8,
        severity: "error",
        message: "there is no space after the colon of `region:`, so YAML reads `region:Scotland` as one piece of text",
        help: "put a space after the colon: `region: Scotland`",
        advice_applied: ("region:Scotland", "region: Scotland"),
    },
    Mistake {
        name: "an unquoted `: ` in a value",
        broken: ("title: Food Train meals", "title: Food Train: meals on wheels"),
        line: 2,
        column: 18,
        severity: "error",
        message: "a `: ` inside the value of `title`, which is not in quotes",
        help: "put the whole value in quotes: `title: \"Food Train: meals on wheels\"`",
        advice_applied: ("title: Food Train: meals on wheels", "title: \"Food Train: meals on wheels\""),
    },
    Mistake {
        name: "an unquoted ` #` in a value",
        broken: ("title: Food Train meals", "title: Food Train #1 meals"),
        line: 2,
        column: 19,
        severity: "warning",
        message: "` #` starts a comment in YAML, so `title` reads as `Food Train`, without what follows",
        help: "put the whole value in quotes: `title: \"Food Train #1 meals\"`",
        advice_applied: ("title: Food Train #1 meals", "title: \"Food Train #1 meals\""),
    },
    Mistake {
        name: "an unclosed quote",
        broken: ("title: Food Train meals", "title: \"Food Train meals"),
        line: 2,
        column: 8,
        severity: "error",
        message: "this quoted value is never closed",
        help: "end it with the same quote mark: `title: \"Food Train meals\"`",
        advice_applied: ("title: \"Food Train meals", "title: \"Food Train meals\""),
    },
    Mistake {
        name: "text after a closing quote",
        broken: ("title: Food Train meals", "title: \"Food Train\" meals"),
        line: 2,
        column: 21,
        severity: "error",
        message: "text follows the closing quote of `title`'s value, where YAML expects none",
        help: "move the closing quote to the end: `title: \"Food Train meals\"`",
        advice_applied: ("title: \"Food Train\" meals", "title: \"Food Train meals\""),
    },
    Mistake {
        name: "curly quotes from a word processor",
        broken: ("title: Food Train meals", "title: “Food Train: meals on wheels”"),
        line: 2,
        column: 8,
        severity: "error",
        message: "`“` is a curly quote, which YAML reads as part of the text rather than as quoting, so the `: ` inside the value is not allowed",
        help: "use straight quotes: `title: \"Food Train: meals on wheels\"`",
        advice_applied: ("title: “Food Train: meals on wheels”", "title: \"Food Train: meals on wheels\""),
    },
    Mistake {
        name: "a duplicate key",
        broken: ("approach: volunteering\n", "approach: volunteering\ntitle: Meals\n"),
        line: 9,
        column: 1,
        severity: "error",
        message: "`title` is given twice",
        help: "keep one of the two `title:` lines (the other is line 2)",
        advice_applied: ("title: Meals\n", ""),
    },
    Mistake {
        name: "a missing `- ` in a list",
        broken: ("  - participatory", "  participatory"),
        line: 5,
        column: 3,
        severity: "error",
        message: "`participatory budgeting` has no `- ` before it, so it is not an item of the list above",
        help: "start the line with `- `, like the item above: `- participatory budgeting`",
        advice_applied: ("  participatory", "  - participatory"),
    },
    Mistake {
        name: "values on lines of their own without `- `",
        broken: ("  - co-production\n  - participatory", "  co-production\n  participatory"),
        line: 5,
        column: 3,
        severity: "error",
        message: "`participatory budgeting` has no `- ` before it, so it reads as part of one value with `co-production`",
        help: "put each theme on a line of its own starting with `- `: `- co-production`, `- participatory budgeting`",
        advice_applied: ("  co-production\n  participatory", "  - co-production\n  - participatory"),
    },
    Mistake {
        name: "a list mixing `[a, b]` and `- `",
        broken: ("theme:\n  - co-production\n", "theme: [co-production]\n"),
        line: 4,
        column: 3,
        severity: "error",
        message: "`theme` is written as a `[…]` list, then goes on with `- ` items",
        help: "write the list one way: `theme: [co-production, participatory budgeting]`",
        advice_applied: (
            "theme: [co-production]\n  - participatory budgeting\n",
            "theme: [co-production, participatory budgeting]\n",
        ),
    },
    Mistake {
        name: "a `---` inside the front matter",
        broken: ("region: Scotland\n", "---\nregion: Scotland\n"),
        line: 6,
        column: 1,
        severity: "error",
        message: "this `---` ends the front matter, so `region:` and the lines below it up to line 13 are read as the case's text",
        help: "remove this `---` line: the front matter then ends at the `---` of line 13",
        advice_applied: ("---\nregion: Scotland\n", "region: Scotland\n"),
    },
];

/// `path:line:col: severity: message` lines a run reported for [`CASE`].
fn reported(run: &common::Run) -> Vec<String> {
    run.diagnostics()
        .into_iter()
        .filter(|l| l.starts_with(CASE))
        .map(str::to_string)
        .collect()
}

/// Replaces `from`, which must be there once, by `to`.
#[track_caller]
fn replaced(text: &str, (from, to): (&str, &str)) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` once in:\n{text}");
    text.replacen(from, to, 1)
}

#[test]
fn each_layout_mistake_is_found_where_it_is_with_advice_that_mends_the_file() {
    let kb = Kb::example();
    kb.write(CASE, GOOD);
    let run = kb.check();
    run.expect_success();
    assert_eq!(reported(&run), Vec::<String>::new(), "the good case passes");
    let mut failures = Vec::new();
    for mistake in MISTAKES {
        let broken = replaced(GOOD, mistake.broken);
        kb.write(CASE, &broken);
        let run = kb.check();
        let expected = format!(
            "{CASE}:{}:{}: {}: {}",
            mistake.line, mistake.column, mistake.severity, mistake.message
        );
        let found = reported(&run);
        if found.first() != Some(&expected) {
            failures.push(format!(
                "{}: expected\n  {expected}\nfound\n  {}",
                mistake.name,
                found.join("\n  ")
            ));
            continue;
        }
        if run.help_for(&expected) != Some(mistake.help) {
            failures.push(format!(
                "{}: help expected\n  {}\nfound\n  {:?}",
                mistake.name,
                mistake.help,
                run.help_for(&expected)
            ));
            continue;
        }
        // The advice, applied: nothing is left to report.
        kb.write(CASE, replaced(&broken, mistake.advice_applied));
        let run = kb.check();
        let left = reported(&run);
        if run.code != 0 || !left.is_empty() {
            failures.push(format!(
                "{}: with the advice applied, still\n  {}",
                mistake.name,
                left.join("\n  ")
            ));
        }
    }
    assert!(MISTAKES.len() >= 12);
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn after_a_yaml_error_the_rest_of_the_file_and_every_other_case_are_checked() {
    let kb = Kb::example();
    // A tab in `region:` breaks the YAML; below it, an unknown theme value and an unknown key.
    let broken = "---\ntitle: Food Train meals\n\tregion: Scotland\ntheme: [co-produktion]\norganisation: Food Train\napproach: volunteering\nsumary: Meals.\n---\nText.\n";
    kb.write(CASE, broken);
    let other = "content/cases/other.md";
    kb.write(
        other,
        "---\ntitle: Other\ntheme: homelesness\nregion: Wales\norganisation: O\napproach: volunteering\n---\nText.\n",
    );
    let run = kb.check();
    run.expect_code(1);
    let found = reported(&run);
    let lines: Vec<&str> = found
        .iter()
        .map(|l| l.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        lines,
        [
            format!("{CASE}:3:1"),
            format!("{CASE}:4:9"),
            format!("{CASE}:7:1")
        ],
        "{}",
        run.stderr
    );
    assert!(
        found[1].contains("`co-produktion` is not a theme"),
        "{}",
        found[1]
    );
    assert!(found[2].contains("unknown key `sumary`"), "{}", found[2]);
    assert!(
        !run.stderr.contains("no `region` given"),
        "a key left unread is not reported missing\n{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("{other}:3:8: error: `homelesness` is not a theme")),
        "{}",
        run.stderr
    );
}
