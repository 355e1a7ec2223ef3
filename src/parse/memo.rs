//! What `serve` remembers of the front matter it parsed: a YAML document
//! whose text is unchanged since an earlier rebuild is not parsed again;
//! its value is cloned from memory.
//!
//! A value depends only on the YAML text and the type it is read as (spans
//! count from the start of that text; the file's name and line offset only
//! place errors, which are never remembered), so the key is the hash of
//! both. A value no parse asked for in the last round is forgotten.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::diagnostics::Diagnostic;
use crate::sink::{Fingerprint, Hasher};

/// Parsed values by (type, text); shared by the rebuilds of one `serve`.
#[derive(Default)]
pub struct ParseMemo {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    round: u64,
    values: HashMap<Fingerprint, (u64, Arc<dyn Any + Send + Sync>)>,
}

impl ParseMemo {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a parse: values the previous one did not ask for are dropped.
    pub fn begin(&self) {
        let mut inner = self.lock();
        let last = inner.round;
        inner.values.retain(|_, (round, _)| *round == last);
        inner.round += 1;
    }

    /// The value of `yaml` read as `T`: remembered, or `parse`d now (and
    /// remembered when it parsed).
    pub(super) fn value<T: Clone + Send + Sync + 'static>(
        &self,
        yaml: &str,
        parse: impl FnOnce() -> Result<T, Diagnostic>,
    ) -> Result<T, Diagnostic> {
        let mut h = Hasher::new();
        h.bytes(std::any::type_name::<T>().as_bytes())
            .bytes(yaml.as_bytes());
        let key = h.finish();
        let found = {
            let mut inner = self.lock();
            let round = inner.round;
            inner.values.get_mut(&key).map(|(used, value)| {
                *used = round;
                Arc::clone(value)
            })
        };
        if let Some(value) = found.and_then(|v| v.downcast_ref::<T>().cloned()) {
            return Ok(value);
        }
        let value = parse()?;
        let mut inner = self.lock();
        let round = inner.round;
        inner.values.insert(key, (round, Arc::new(value.clone())));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means a parser thread panicked; the map is whole.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_parsed_once_per_text_and_type() {
        let memo = ParseMemo::new();
        memo.begin();
        let calls = std::cell::Cell::new(0);
        let parse = |n: u32| {
            calls.set(calls.get() + 1);
            Ok::<u32, Diagnostic>(n)
        };
        assert_eq!(memo.value("a: 1", || parse(1)).unwrap(), 1);
        assert_eq!(memo.value("a: 1", || parse(9)).unwrap(), 1, "remembered");
        assert_eq!(memo.value("a: 2", || parse(2)).unwrap(), 2, "other text");
        let as_u64 = memo.value("a: 1", || Ok::<u64, Diagnostic>(7)).unwrap();
        assert_eq!(as_u64, 7, "the same text read as another type");
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn errors_are_not_remembered_and_unused_values_are_dropped() {
        let memo = ParseMemo::new();
        memo.begin();
        let failed = memo.value::<u32>("x", || {
            Err(Diagnostic::error(
                "yaml",
                &crate::diagnostics::Located::new("f", 1, 1),
                "bad",
            ))
        });
        assert!(failed.is_err());
        assert_eq!(memo.value("x", || Ok::<u32, Diagnostic>(3)).unwrap(), 3);
        memo.begin();
        memo.begin();
        assert!(memo.lock().values.is_empty());
    }
}
