//! The integration tests, gathered in one binary so that the shared helpers of `common/` are
//! compiled once (after ripgrep's `tests/tests.rs`). Each module is one behaviour's tests, run
//! on the real `casebook` binary and real folders.
//!
//! Tests run in parallel. What cannot be shared stays serial: the Node checks that drive
//! Chromium or the HTML validator take [`common::browser`]'s lock, and every test works on its
//! own copy of a knowledge base (and so its own `.casebook/` cache) or on one built once and
//! only read.

mod common;

mod analyzer_parity;
mod bad_input;
mod browser_search;
mod cite;
mod cms;
mod commands;
mod fuzz_case_files;
mod output_safety;
mod pictures;
mod quality_report;
mod reader;
mod real_collections;
mod schema;
mod search_cli;
mod search_parity;
mod serve;
mod site_checks;
mod site_output;
mod stopped_builds;
mod subfolder_deploy;
mod xss;
mod yaml_mistakes;
