//! The search of a live preview: the tantivy index with its writer kept open and the
//! export's shards in memory, so that after some cases changed only their documents are
//! replaced and only the export files they touch are written again.
//!
//! Scores in the rewritten shards use the index's statistics at the time of the change;
//! shards that were not touched keep theirs until the next full build, so a preview's ranking
//! can differ from a fresh build's in the last decimals.

use std::collections::BTreeSet;

use super::export::{self, ExportFile, SearchExport};
use super::writer::LiveIndex;
use super::{IndexError, SearchInput};

/// A case whose document is to be replaced.
#[derive(Debug, Clone)]
pub struct ChangedCase {
    /// Its number.
    pub number: usize,
    /// The terms its previous version had ([`super::IndexedCase::terms`]), whose shards may
    /// lose it.
    pub old_terms: BTreeSet<String>,
}

/// Export files to write and to remove.
#[derive(Debug, Default)]
pub struct ExportChanges {
    /// New or changed files: path in the output and contents.
    pub files: Vec<ExportFile>,
    /// Paths of files that no longer exist.
    pub removed: Vec<String>,
}

/// The index and export of a live preview.
pub struct LiveSearch {
    index: LiveIndex,
    export: SearchExport,
}

impl LiveSearch {
    /// Indexes every case in memory and makes the whole export: the live search and every
    /// file of the export. Nothing is written to the cache that `casebook search` reads.
    pub fn create(input: &SearchInput) -> Result<(LiveSearch, Vec<ExportFile>), IndexError> {
        let index = LiveIndex::in_memory(&input.all_indexed())?;
        let export =
            SearchExport::from_index(index.index(), index.fields(), index.new_spellings())?;
        let files = export.files(input);
        Ok((LiveSearch { index, export }, files))
    }

    /// Replaces the documents of the `changed` cases (as `input` now describes them) and
    /// returns the export files that changed: their fragments, the shards of their old and
    /// new terms, and, when `relations_changed` (facet values, dates or titles), the facet
    /// data and the sort keys.
    pub fn update(
        &mut self,
        input: &SearchInput,
        changed: Vec<ChangedCase>,
        relations_changed: bool,
    ) -> Result<ExportChanges, IndexError> {
        let mut changes = ExportChanges::default();
        let mut terms = BTreeSet::new();
        for case in changed {
            let files = export::fragment_files(input, case.number);
            // A body now short enough to travel whole in its fragment leaves no `.txt`.
            if files.len() == 1 {
                changes.removed.push(export::body_path(case.number));
            }
            changes.files.extend(files);
            let now = input.indexed(case.number);
            self.index.replace(case.number as u64, &now)?;
            terms.extend(case.old_terms);
            terms.extend(now.terms());
        }
        if relations_changed {
            changes.files.push(export::facet_file(input));
            changes.files.push(export::sorts_file(input));
        }
        self.index.commit()?;
        changes.files.extend(self.export.update_terms(
            self.index.index(),
            self.index.fields(),
            &terms,
            self.index.new_spellings(),
        )?);
        Ok(changes)
    }
}
