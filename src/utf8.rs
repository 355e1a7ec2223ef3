//! UTF-8 checked fast: the two places that check the most text, reading the
//! content (117 MB at 10,000 guides) and reading the kept model's prose back,
//! check it with SIMD (`simdutf8`), several times faster than the standard
//! library on Chinese text. On a failure the standard check runs again, so
//! errors say where the first bad byte is exactly as before.
//!
//! [`Text`] is prose checked once and then shared, not copied: a clone is
//! a count, and prose read back from `build`'s kept store points into the
//! shard it was read from ([`sharing`]) instead of being copied out of it
//! (at 10,000 guides, 110 MB of HTML and search text per rebuild).
//!
//! A leaf: bytes in, text out.

use std::cell::RefCell;
use std::string::FromUtf8Error;

use bytes::Bytes;

/// `bytes` as a `String`, or the standard library's error for them.
pub fn string(bytes: Vec<u8>) -> Result<String, FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 just checked that `bytes` are UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// Text that is shared, not copied: UTF-8 checked when made, held as
/// [`Bytes`]. It reads as a `&str` (`Deref`), compares as its text, and
/// serialises as a string.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Text(Bytes);

impl Text {
    pub fn as_str(&self) -> &str {
        // SAFETY: every constructor checks the bytes are UTF-8 (`From<String>`
        // and `From<&str>` by their type, `checked` with simdutf8), and they
        // are never changed after.
        unsafe { std::str::from_utf8_unchecked(&self.0) }
    }

    /// `bytes` as text, when they are UTF-8.
    fn checked(bytes: Bytes) -> Option<Self> {
        simdutf8::basic::from_utf8(&bytes)
            .is_ok()
            .then_some(Self(bytes))
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for Text {
    /// Takes the string's buffer as it is (no copy).
    fn from(s: String) -> Self {
        Self(Bytes::from(s.into_bytes()))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Self(Bytes::copy_from_slice(s.as_bytes()))
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

thread_local! {
    /// The buffer a [`sharing`] call is decoding from, on this thread.
    static SOURCE: RefCell<Option<Bytes>> = const { RefCell::new(None) };
}

/// Runs `decode`, in which every [`Text`] deserialised from a slice of
/// `source` (postcard borrows its strings from the input) shares
/// `source`'s buffer instead of copying its bytes. Text from anywhere else
/// is copied as usual.
pub fn sharing<T>(source: &Bytes, decode: impl FnOnce() -> T) -> T {
    struct Restore(Option<Bytes>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let before = self.0.take();
            SOURCE.with(|s| *s.borrow_mut() = before);
        }
    }
    let before = SOURCE.with(|s| s.borrow_mut().replace(source.clone()));
    let _restore = Restore(before);
    decode()
}

/// `v` as a slice of the buffer [`sharing`] decodes from, if it is one.
fn shared_slice(v: &[u8]) -> Option<Bytes> {
    SOURCE.with(|s| {
        let s = s.borrow();
        let source = s.as_ref()?;
        let (start, end) = (
            source.as_ptr() as usize,
            source.as_ptr() as usize + source.len(),
        );
        let at = v.as_ptr() as usize;
        (at >= start && at + v.len() <= end).then(|| source.slice_ref(v))
    })
}

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Text;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a UTF-8 string")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::from(v))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text::from(v))
            }

            fn visit_borrowed_bytes<E: serde::de::Error>(self, v: &'de [u8]) -> Result<Text, E> {
                let bytes = shared_slice(v).unwrap_or_else(|| Bytes::copy_from_slice(v));
                Text::checked(bytes)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Bytes(v), &self))
            }

            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Text, E> {
                Text::checked(Bytes::copy_from_slice(v))
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Bytes(v), &self))
            }

            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Text, E> {
                string(v).map(Text::from).map_err(|e| {
                    E::invalid_value(serde::de::Unexpected::Bytes(e.as_bytes()), &self)
                })
            }
        }
        d.deserialize_bytes(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_passes_and_the_first_bad_byte_is_where_the_standard_check_says() {
        let text = "协商减免罚息 ok\n".repeat(100);
        assert_eq!(string(text.clone().into_bytes()).unwrap(), text);
        let mut bad = text.into_bytes();
        bad[301] = 0xFF;
        let e = string(bad.clone()).unwrap_err();
        assert_eq!(
            e.utf8_error().valid_up_to(),
            std::str::from_utf8(&bad).unwrap_err().valid_up_to()
        );
    }

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Shared {
        text: Text,
        after: u32,
    }

    /// Text decoded inside `sharing` points into the buffer it came from;
    /// outside, it is a copy; bad bytes are refused either way.
    #[test]
    fn text_read_back_while_sharing_points_into_its_buffer() {
        let p = Shared {
            text: Text::from("分期还款，每期916.80元".to_string()),
            after: 7,
        };
        let bytes = Bytes::from(postcard::to_stdvec(&p).unwrap());
        let within = |t: &Text| {
            let at = t.as_ptr() as usize;
            at >= bytes.as_ptr() as usize && at + t.len() <= bytes.as_ptr() as usize + bytes.len()
        };
        let shared: Shared = sharing(&bytes, || postcard::from_bytes(&bytes)).unwrap();
        assert_eq!(shared, p);
        assert!(within(&shared.text), "shares the buffer");
        let copied: Shared = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(copied, p);
        assert!(!within(&copied.text), "copied outside `sharing`");
        let other = Bytes::from(postcard::to_stdvec(&p).unwrap());
        let elsewhere: Shared = sharing(&other, || postcard::from_bytes(&bytes)).unwrap();
        assert!(
            !within(&elsewhere.text) && elsewhere == p,
            "copied from another buffer"
        );
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(json, r#"{"text":"分期还款，每期916.80元","after":7}"#);
        assert_eq!(serde_json::from_str::<Shared>(&json).unwrap(), p);
        let mut bad = bytes.to_vec();
        bad[1] = 0xFF;
        let bad = Bytes::from(bad);
        assert!(sharing(&bad, || postcard::from_bytes::<Shared>(&bad)).is_err());
        assert!(postcard::from_bytes::<Shared>(&bad).is_err());
    }
}
