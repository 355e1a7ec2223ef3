//! Places kept between builds by their path under the content folder.
//!
//! What `build` keeps of a checked file (`kept.rs`) holds the places its
//! values came from, and a place names its file as shown: `content/…`,
//! `/home/me/site/content/…` or `../site/content/…`, however the content
//! folder was given. Kept with that spelling, a rebuild that spells the
//! folder otherwise would show the old one in every message about a value
//! read back. Inside [`relative_to`], a place in a file under the content
//! folder is written as a NUL (which no path holds) and its path under the
//! folder, and read back under the folder as the build reading it shows it.
//! Anywhere else (`--format json`, tests) a place is written as it is.

use std::cell::RefCell;

use serde::{Deserializer, Serializer, de};

thread_local! {
    /// What the files of the content folder are shown under, in this
    /// thread's [`relative_to`]; `None` outside it.
    static ROOT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Marks a path written relative to the content folder.
const MARK: char = '\0';

/// Runs `f` with places written and read relative to `root`: the prefix
/// the content folder's files are shown with (`content/`, or empty when
/// the folder is the working directory).
pub fn relative_to<R>(root: &str, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            ROOT.with(|r| *r.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(ROOT.with(|r| r.replace(Some(root.to_string()))));
    f()
}

pub(super) fn serialize<S: Serializer>(file: &str, s: S) -> Result<S::Ok, S::Error> {
    ROOT.with(
        |r| match r.borrow().as_deref().map(|root| file.strip_prefix(root)) {
            Some(Some(under)) => s.serialize_str(&format!("{MARK}{under}")),
            _ => s.serialize_str(file),
        },
    )
}

pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct File;
    impl de::Visitor<'_> for File {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a file's path")
        }

        fn visit_str<E: de::Error>(self, file: &str) -> Result<String, E> {
            Ok(match file.strip_prefix(MARK) {
                Some(under) => ROOT.with(|r| {
                    let root = r.borrow();
                    let root = root.as_deref().unwrap_or_default();
                    let mut shown = String::with_capacity(root.len() + under.len());
                    shown.push_str(root);
                    shown.push_str(under);
                    shown
                }),
                None => file.to_string(),
            })
        }
    }
    d.deserialize_str(File)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Located;

    /// A place under the content folder is kept by its path under it and
    /// read back under the folder as shown then; any other place, and
    /// every place outside `relative_to`, as it is.
    #[test]
    fn places_under_the_folder_read_back_under_its_new_spelling() {
        let places = vec![
            Located::new("/home/me/site/content/lenders/a/waiver.md", 3, 4),
            Located::new("templates/guide.html", 1, 1),
        ];
        let bytes = relative_to("/home/me/site/content/", || postcard::to_stdvec(&places)).unwrap();
        let back: Vec<Located> = relative_to("content/", || postcard::from_bytes(&bytes)).unwrap();
        assert_eq!(back[0], Located::new("content/lenders/a/waiver.md", 3, 4));
        assert_eq!(back[1], places[1]);
        let plain: Vec<Located> = relative_to("", || postcard::from_bytes(&bytes)).unwrap();
        assert_eq!(plain[0].file, "lenders/a/waiver.md");
        // Outside it, written as it is (`--format json` and the like).
        let json = serde_json::to_string(&places[0]).unwrap();
        assert!(
            json.contains("\"/home/me/site/content/lenders/a/waiver.md\""),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Located>(&json).unwrap(), places[0]);
    }
}
