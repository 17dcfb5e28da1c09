//! The search page works in a real browser: the example is built for
//! `http://127.0.0.1:PORT/kb/`, served from `/kb/` by a plain static server, and
//! `tests/browser/search.test.mjs` drives headless Chromium through it (typing, filters, the
//! URL, reload, back, the keyboard). Needs Node and Debian's `/usr/bin/chromium`; without
//! Chromium the test is skipped, except on CI (`CI` set), where it fails.

use crate::common;

use std::time::Duration;

use common::browser::{chromium_or_skip, ServedSite};
use common::Kb;

/// A guard against a hung browser, well above the test's usual run time (~15 s).
const NODE_TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn search_page_works_in_headless_chromium() {
    if !chromium_or_skip() {
        return;
    }
    let site = ServedSite::build(Kb::example());
    site.node_test("search.test.mjs", NODE_TIMEOUT)
        .expect_pass();
}
