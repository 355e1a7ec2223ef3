//! What `serve` remembers from one rebuild to the next of work that is a
//! pure function of its inputs: front matter parsed (`parse`); validated
//! guides and rendered Markdown (`validate`); each page's link check, each
//! guide's HowTo JSON (`render`); each page's search file
//! and fold-table part (`index`). A value is kept by the hash of its type
//! and of every input it depends on, and cloned out when asked for again;
//! a failure is never kept. Values neither of the last two rounds asked
//! for are forgotten, so memory follows the site (two, because a rebuild
//! that fails stops before the index, and the one after it should still
//! find the index's values).
//!
//! A leaf: it knows hashes and values, nothing about content.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use xxhash_rust::xxh3::Xxh3;

/// Values by (type, inputs); shared by the rebuilds of one `serve`.
#[derive(Default)]
pub struct Memo {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    round: u64,
    values: HashMap<u128, (u64, Arc<dyn Any + Send + Sync>)>,
}

impl Memo {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a round (a rebuild): values neither of the two before it
    /// asked for are dropped.
    pub fn begin(&self) {
        let mut inner = self.lock();
        let last = inner.round;
        inner.values.retain(|_, (round, _)| *round + 1 >= last);
        inner.round += 1;
    }

    /// The `T` made from `inputs` (every input it depends on): remembered,
    /// or `make`d now (and remembered when it succeeded).
    pub fn value<T: Clone + Send + Sync + 'static, E>(
        &self,
        inputs: &[&[u8]],
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let mut h = Xxh3::new();
        for part in
            std::iter::once(std::any::type_name::<T>().as_bytes()).chain(inputs.iter().copied())
        {
            // Length first, so ("ab", "c") and ("a", "bc") differ.
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        let key = h.digest128();
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
        let value = make()?;
        let mut inner = self.lock();
        let round = inner.round;
        inner.values.insert(key, (round, Arc::new(value.clone())));
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned lock only means a thread panicked; the map is whole.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Never = std::convert::Infallible;

    #[test]
    fn a_value_is_made_once_per_inputs_and_type() {
        let memo = Memo::new();
        memo.begin();
        let calls = std::cell::Cell::new(0);
        let value = |inputs: &[&[u8]], n: u32| {
            memo.value(inputs, || {
                calls.set(calls.get() + 1);
                Ok::<u32, Never>(n)
            })
        };
        assert_eq!(value(&[b"a: 1"], 1), Ok(1));
        assert_eq!(value(&[b"a: 1"], 9), Ok(1), "remembered");
        assert_eq!(value(&[b"a: 2"], 2), Ok(2), "other inputs");
        assert_eq!(value(&[b"a: ", b"1"], 3), Ok(3), "inputs are told apart");
        let as_u64 = memo.value(&[b"a: 1"], || Ok::<u64, Never>(7));
        assert_eq!(as_u64, Ok(7), "the same inputs made into another type");
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn failures_are_not_remembered_and_unused_values_are_dropped() {
        let memo = Memo::new();
        memo.begin();
        assert!(memo.value::<u32, &str>(&[b"x"], || Err("bad")).is_err());
        assert_eq!(memo.value(&[b"x"], || Ok::<u32, Never>(3)), Ok(3));
        memo.begin();
        memo.begin();
        assert_eq!(memo.lock().values.len(), 1, "kept while one round skips it");
        memo.begin();
        assert!(memo.lock().values.is_empty());
    }
}
