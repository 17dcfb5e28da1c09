//! Builds that are killed, fail, or run four at once: the site and the search index change
//! together or not at all, what a stopped build left is cleared by the next, and one build
//! of a knowledge base runs at a time.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{case_file, snapshot, Kb};

/// A word no collection holds, put in one new case.
const NEW_WORD: &str = "zyxquornal";

fn search(kb: &Kb, query: &str) -> String {
    let run = kb.run(&["search", query]);
    run.expect_success();
    run.stdout.clone()
}

/// Staging folders beside `dir`'s entries: what a build writes before swapping it in.
fn staging_folders(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.contains(".casebook-new-") || name.contains(".casebook-old-"))
                .collect()
        })
        .unwrap_or_default()
}

/// No staging folder is left beside the output or in the cache.
#[track_caller]
fn assert_no_staging_left(kb: &Kb) {
    assert_eq!(staging_folders(kb.root()), Vec::<String>::new());
    assert_eq!(staging_folders(&kb.path(".casebook")), Vec::<String>::new());
}

/// A knowledge base big enough that a build takes a while: IPS-X, or the example without
/// `../shared`.
fn large_kb() -> Kb {
    match common::corpora::shared() {
        Some(shared) => {
            let kb = Kb::empty();
            common::corpora::convert(&shared, "convert_ipsx.py", kb.root(), &[]);
            kb
        }
        None => Kb::example(),
    }
}

fn spawn_build(kb: &Kb) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("casebook"))
        .current_dir(kb.root())
        .args(["build", "--root", "."])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("casebook starts")
}

#[test]
fn a_killed_build_leaves_the_site_and_the_index_together() {
    let kb = large_kb();
    kb.build(&[]).expect_success();
    // A second build of the same content writes the same site: how long a whole one takes,
    // to kill the next ones at points all through it.
    let started = Instant::now();
    kb.build(&[]).expect_success();
    let whole = started.elapsed();
    let found_before = search(&kb, "budget");
    assert!(found_before.contains("/cases/"), "{found_before}");
    let site_before = snapshot(&kb.output());

    kb.write(
        "content/cases/a-new-case.md",
        case_file("A new case", "", &format!("It is about {NEW_WORD}.")),
    );
    let mut killed = 0;
    for step in 1..=8u32 {
        let mut build = spawn_build(&kb);
        std::thread::sleep(whole * step / 9);
        let _ = build.kill();
        let status = build.wait().expect("the build ends");
        if status.success() {
            continue;
        }
        killed += 1;
        // Killed before its swaps: the site and the index are both as they were. Killed
        // after them (while removing the folders they replaced): both are new.
        if kb.path("public/cases/a-new-case/index.html").is_file() {
            assert!(
                search(&kb, NEW_WORD).contains("/cases/a-new-case/"),
                "killed at step {step}: the site holds a case the index does not"
            );
            continue;
        }
        assert_eq!(search(&kb, "budget"), found_before, "killed at step {step}");
        assert!(
            search(&kb, NEW_WORD).contains("No cases match"),
            "killed at step {step}: the index holds a case the site does not"
        );
        assert!(
            site_before == snapshot(&kb.output()),
            "killed at step {step}: the site changed"
        );
    }
    assert!(killed > 0, "no build was stopped before its end");

    // The next build clears what the killed ones left, and the site and index hold the case.
    kb.build(&[]).expect_success();
    assert!(search(&kb, NEW_WORD).contains("/cases/a-new-case/"));
    assert!(kb.path("public/cases/a-new-case/index.html").is_file());
    assert_no_staging_left(&kb);
}

#[test]
fn a_failed_build_leaves_the_index_as_it_was() {
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    // The alias clash is found after rendering, when the index has been written.
    kb.write(
        "content/cases/a-new-case.md",
        case_file(
            "A new case",
            "aliases: [cases/food-train/]\n",
            &format!("It is about {NEW_WORD}."),
        ),
    );
    let run = kb.build(&[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("alias would overwrite"),
        "{}",
        run.stderr
    );
    assert!(search(&kb, NEW_WORD).contains("No cases match"));
    assert!(search(&kb, "budget").contains("/cases/"));
    assert_eq!(staging_folders(&kb.path(".casebook")), Vec::<String>::new());
}

#[test]
fn a_half_written_index_is_reported_not_searched() {
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    let stamp = kb.read(".casebook/search/index-version");
    let (version, cases) = stamp.trim().split_once(' ').expect("version and cases");
    assert_eq!(cases, "19");

    // A build's index that lost documents, and one that never got its stamp.
    kb.write(".casebook/search/index-version", format!("{version} 20\n"));
    let run = kb.run(&["search", "budget"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("is incomplete") && run.stderr.contains("run `casebook build`"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(kb.path(".casebook/search/index-version")).unwrap();
    let run = kb.run(&["search", "budget"]);
    run.expect_code(2);
    assert!(run.stderr.contains("is incomplete"), "{}", run.stderr);

    kb.build(&[]).expect_success();
    assert!(search(&kb, "budget").contains("/cases/"));
}

#[test]
fn builds_of_one_knowledge_base_run_one_at_a_time() {
    let kb = Kb::example();
    let builds: Vec<_> = (0..4).map(|_| spawn_build(&kb)).collect();
    let mut waited = 0;
    for build in builds {
        let output = build.wait_with_output().expect("the build ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        if stderr.contains("another casebook build (pid ") {
            assert!(stderr.contains("is using this knowledge base"), "{stderr}");
            waited += 1;
        }
    }
    assert!(waited > 0, "no build waited for another");
    assert!(search(&kb, "budget").contains("/cases/"));
    assert_no_staging_left(&kb);
}

#[test]
fn leftovers_of_stopped_builds_are_removed_and_those_of_running_ones_kept() {
    let kb = Kb::example();
    kb.build(&[]).expect_success();
    let leftover = |name: &str| {
        let folder = kb.path(name);
        std::fs::create_dir_all(folder.join("cases")).unwrap();
        std::fs::write(folder.join("cases/index.html"), vec![b'x'; 2_000_000]).unwrap();
        folder
    };
    // No process has this id (above Linux's largest).
    let gone = leftover(".public.casebook-new-4194305");
    let gone_index = leftover(".casebook/.search.casebook-old-4194305");
    // A process whose id was reused: it started after the folder was made.
    let reused = leftover(".public.casebook-old-1");
    std::thread::sleep(Duration::from_millis(3500));
    let mut later = Command::new("sleep").arg("30").spawn().expect("sleep runs");
    let reused_name = format!(".public.casebook-old-{}", later.id());
    std::fs::rename(&reused, kb.path(&reused_name)).unwrap();
    // A running build's: this test started before the folder was made.
    let running = leftover(&format!(".public.casebook-new-{}", std::process::id()));

    let run = kb.build(&[]);
    run.expect_success();
    let _ = later.kill();
    let _ = later.wait();
    assert!(!gone.exists() && !gone_index.exists());
    assert!(
        !kb.path(&reused_name).exists(),
        "a reused process id kept a leftover"
    );
    assert!(running.exists(), "a running build's folder was removed");
    assert!(
        run.stderr
            .contains("removed 4.0 MB that stopped builds had left"),
        "{}",
        run.stderr
    );
}
