//! UTF-8 checked fast: the two places that check the most text, reading the
//! content (117 MB at 10,000 guides) and reading the kept model's prose back,
//! check it with SIMD (`simdutf8`), several times faster than the standard
//! library on Chinese text. On a failure the standard check runs again, so
//! errors say where the first bad byte is exactly as before.
//!
//! A leaf: bytes in, text out.

use std::string::FromUtf8Error;

/// `bytes` as a `String`, or the standard library's error for them.
pub fn string(bytes: Vec<u8>) -> Result<String, FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 just checked that `bytes` are UTF-8.
        Ok(unsafe { String::from_utf8_unchecked(bytes) })
    } else {
        String::from_utf8(bytes)
    }
}

/// Deserialises a string field from the bytes a format holds it as
/// (`#[serde(deserialize_with = "crate::utf8::deserialize")]`), checking
/// them with [`string`]. postcard writes a string as its length and bytes,
/// which is what it reads bytes as; the big prose fields of the kept model
/// come back through this.
pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = String;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a UTF-8 string")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<String, E> {
            string(v.to_vec()).map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(v), &self))
        }

        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<String, E> {
            string(v)
                .map_err(|e| E::invalid_value(serde::de::Unexpected::Bytes(e.as_bytes()), &self))
        }
    }
    d.deserialize_bytes(Visitor)
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
    struct Prose {
        #[serde(deserialize_with = "deserialize")]
        text: String,
        after: u32,
    }

    #[test]
    fn a_field_reads_back_through_postcard_and_json_and_bad_bytes_are_refused() {
        let p = Prose {
            text: "分期还款，每期916.80元".to_string(),
            after: 7,
        };
        let bytes = postcard::to_stdvec(&p).unwrap();
        assert_eq!(postcard::from_bytes::<Prose>(&bytes).unwrap(), p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Prose>(&json).unwrap(), p);
        // The text's first byte (after its one-byte length) made invalid.
        let mut bad = bytes;
        bad[1] = 0xFF;
        assert!(postcard::from_bytes::<Prose>(&bad).is_err());
    }
}
